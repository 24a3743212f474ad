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
	/** One per input item, in order. */
	results: PreparationResult[];
	/** The fields every output item shows, one per input item. */
	bases: OutcomeBase[];
	/** The items that passed every check, in input order. */
	sendable: PreparedItem[];
}

export function prepareItems(run: BatchVersionRun, items: readonly INodeExecutionData[], credentials: BatchCredentials, nowMs: number): PreparedItems {
	const { api } = run.settings;
	const checkAppKey = (result: PreparationResult): PreparationResult => {
		if (!result.ok || api !== 'triggerEvents') return result;
		const missing = result.item.platforms.filter((target) => !credentials[appKeyFieldFor(target)]);
		return missing.length > 0 ? { ok: false, issues: [run.messages.missingAppKey(missing[0])] } : result;
	};

	const results: PreparationResult[] = [];
	const bases: OutcomeBase[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const reading = run.readItem(itemIndex, items[itemIndex].json, nowMs, checkAppKey);
		results.push(reading.result);
		bases.push(reading.base);
	}
	return { results, bases, sendable: results.flatMap((result) => (result.ok ? [result.item] : [])) };
}
