/**
 * A run with Output "One Summary Item" (n8n glue): the items are prepared, sent and counted window after window,
 * so that the node holds one window of prepared items at a time and keeps nothing of an accepted item; the one
 * output item (summaryItem.ts) gives the counts and every failed item's outcome. For imports of many items: the
 * node's memory no longer grows with the items Batch accepts (bench/RESULTS.md, "Batch node memory").
 *
 * Each window is what the run can have in flight at once: one request for mass update (Batch allows no burst there,
 * so a second request would only wait), else Batch Size × Max Concurrent Requests items. Endpoint "Automatic"
 * decides exactly as in a run that outputs each item: the items are prepared until more than 1,000 of them can be
 * sent (mass update) or none are left (the count decides). Every item still ends as accepted or reported; with
 * "Continue On Fail" off the run throws the first failing item's error once every window is settled.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { AUTO_MASS_UPDATE_ABOVE } from './batchLimits';
import type { DispatchSettings } from './batchDispatch';
import { dryRunFailureSummaryOf, dryRunOutcomes, invalidInDryRun, planDryRun } from './dryRun';
import { prepareItems, type PreparedItems } from './itemsPreparing';
import { openSender } from './itemsSending';
import { failureSummaryOf, notAccepted, type ItemOutcome } from './outcomes';
import type { BatchVersionRun } from './runBatchNode';
import { deliveredOutcomes, settleRun } from './runReporting';
import { dispatchSettingsFor, type RunConfiguration } from './runSettingsReading';
import { RunTally } from './runTally';
import { summaryItemJson } from './summaryItem';

/** Input items per window (see the header). */
export function windowSize(settings: DispatchSettings): number {
	return settings.profileEndpoint === 'massUpdate' ? settings.batchSize : settings.batchSize * settings.maxConcurrentRequests;
}

/** Windows prepared one after another, joined (the first items, while Endpoint "Automatic" decides). */
function joined(parts: readonly PreparedItems[]): PreparedItems {
	if (parts.length === 1) return parts[0];
	return {
		start: parts[0]?.start ?? 0,
		results: parts.flatMap((part) => part.results),
		bases: parts.flatMap((part) => part.bases),
		sendable: parts.flatMap((part) => part.sendable),
	};
}

export async function runForSummary(
	context: IExecuteFunctions,
	run: BatchVersionRun,
	items: readonly INodeExecutionData[],
	config: RunConfiguration,
): Promise<INodeExecutionData[][]> {
	const { credentials, dryRun, scrub } = config;
	const prepare = (start: number, end: number) => prepareItems(run, items, credentials, Date.now(), start, Math.min(end, items.length));

	// Endpoint "Automatic": prepare until more than one /update burst can be sent, or until no item is left.
	const decisive: PreparedItems[] = [];
	let prepared = 0;
	let sendable = 0;
	if (config.endpointSetting === 'auto') {
		while (prepared < items.length && sendable <= AUTO_MASS_UPDATE_ABOVE) {
			const part = prepare(prepared, prepared + AUTO_MASS_UPDATE_ABOVE + 1 - sendable);
			decisive.push(part);
			prepared += part.results.length;
			sendable += part.sendable.length;
		}
	}
	const settings = dispatchSettingsFor(run, config, sendable);
	const size = windowSize(settings);
	// The first window is the decision's items topped up to a whole window (mass update: one full request).
	if (decisive.length > 0 && prepared < size && prepared < items.length) {
		const part = prepare(prepared, size);
		decisive.push(part);
		prepared += part.results.length;
	}

	const tally = new RunTally(dryRun ? invalidInDryRun : notAccepted, true);
	const count = (outcomes: readonly ItemOutcome[], requests: number) => {
		tally.addAll(outcomes);
		tally.requests += requests;
	};
	const sender = dryRun ? undefined : openSender(context, config);
	const settle = async (window: PreparedItems) => {
		if (sender) {
			const report = await sender.send(window.sendable, settings);
			// Nothing is built for an accepted item: it is only counted.
			const counted = deliveredOutcomes(run, window, report, scrub, (base, deliveries) =>
				tally.addAccepted(base.eventName, base.identifier, deliveries.some((delivery) => delivery.possibleDuplicate === true)),
			);
			count(counted, report.requests);
		} else {
			const nowMs = Date.now();
			const plan = planDryRun(window, settings, credentials, config.baseUrl, nowMs);
			count(dryRunOutcomes(window, plan, nowMs, scrub, run.messages.format), plan.requests);
		}
	};
	try {
		if (decisive.length > 0) await settle(joined(decisive));
		for (let start = prepared; start < items.length; start += size) await settle(prepare(start, start + size));
	} finally {
		await sender?.close();
	}

	settleRun(context, run, tally, {
		summary: (final) => (dryRun ? dryRunFailureSummaryOf(final, 'summary') : failureSummaryOf(final, 'summary')),
		dryRun,
		scrub,
	});
	const json = summaryItemJson(tally, { api: run.settings.api, operation: run.settings.operation, endpoint: settings.profileEndpoint, dryRun });
	// Like n8n's Aggregate node: the one item comes from every input item.
	return [[{ json, pairedItem: items.map((_, item) => ({ item })) }]];
}
