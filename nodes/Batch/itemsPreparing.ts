/**
 * Preparing a run's items: the version's glue reads and prepares each item (itemPreparation.ts), then each
 * prepared item is checked against the credential (a Trigger Events API item needs its app's key).
 */
import type { INodeExecutionData } from 'n8n-workflow';
import type { BatchCredentials } from './batchDispatch';
import type { PreparationResult, PreparedItem } from './itemPreparation';
import type { OutcomeBase } from './outcomes';
import type { BatchVersionRun } from './runBatchNode';
import { appKeyFieldFor } from './triggerEventsApiRequest';

export interface PreparedItems {
	/** The input item index of the first entry of `results` and `bases` (0 unless a window of the run's items). */
	start: number;
	/** One per input item, in order. */
	results: PreparationResult[];
	/** The fields every output item shows, one per input item. */
	bases: OutcomeBase[];
	/** The items that passed every check, in input order. */
	sendable: PreparedItem[];
}

/** Prepares the items `start` to `end` (excluded; default: all of them). */
export function prepareItems(
	run: BatchVersionRun,
	items: readonly INodeExecutionData[],
	credentials: BatchCredentials,
	nowMs: number,
	start = 0,
	end = items.length,
): PreparedItems {
	const { api } = run.settings;
	const checkAppKey = (result: PreparationResult): PreparationResult => {
		if (!result.ok || api !== 'triggerEvents') return result;
		const missing = result.item.platforms.filter((target) => !credentials[appKeyFieldFor(target)]);
		return missing.length > 0 ? { ok: false, issues: [run.messages.missingAppKey(missing[0])] } : result;
	};

	const results: PreparationResult[] = [];
	const bases: OutcomeBase[] = [];
	for (let itemIndex = start; itemIndex < end; itemIndex++) {
		const reading = run.readItem(itemIndex, items[itemIndex].json, nowMs, checkAppKey);
		results.push(reading.result);
		bases.push(reading.base);
	}
	return { start, results, bases, sendable: results.flatMap((result) => (result.ok ? [result.item] : [])) };
}
