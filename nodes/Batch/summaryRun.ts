/**
 * A run with Output "One Summary Item" (n8n glue): the items are prepared, sent and counted as they go, so that the
 * node holds a few prepared items at a time and keeps nothing of an accepted item; the one output item
 * (summaryItem.ts) gives the counts and every failed item's outcome. For imports of many items: the node's memory no
 * longer grows with the items Batch accepts (bench/RESULTS.md, "Batch node memory").
 *
 * Items are prepared PREPARE_WINDOW at a time. On the Profile API each valid item's operation is packed into the
 * next request as text (operationPacking.ts; requests cut as in a run that outputs each item) and the prepared item
 * is dropped; requests go one after another (mass update allows no burst; /profiles/update is rate bound). On the
 * Trigger Events API each window of Batch Size × Max Concurrent Requests items is sent as a run that outputs each
 * item sends it. Endpoint "Automatic" decides exactly as there: the items are prepared until more than 1,000 of
 * them can be sent (mass update) or none are left (the count decides). With Dry Run on, the same requests are cut
 * and counted, and none is sent. Every item ends as accepted or reported; with "Continue On Fail" off the run throws
 * the first failing item's error once every item is settled.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { addRefused, checkTimesAtBuild, type DispatchSettings } from './batchDispatch';
import { AUTO_MASS_UPDATE_ABOVE } from './batchLimits';
import { dryRunFailureSummaryOf, dryRunOutcomes, invalidInDryRun, planDryRun } from './dryRun';
import type { ItemIssue } from './itemIssue';
import { prepareItems, type PreparedItems } from './itemsPreparing';
import { openSender, type ItemSender } from './itemsSending';
import { packedProfileRequest, RequestPacker, type PackedEntry } from './operationPacking';
import { deliveryOutcome, failureSummaryOf, notAccepted, validationOutcome, type Delivery, type OutcomeBase } from './outcomes';
import type { BatchVersionRun } from './runBatchNode';
import { deliveredOutcomes, settleRun } from './runReporting';
import { dispatchSettingsFor, type RunConfiguration } from './runSettingsReading';
import { RunTally } from './runTally';
import { summaryItemJson } from './summaryItem';

/**
 * Items prepared at a time: few enough that a window's objects die in V8's young generation. Measured in-process
 * (100,000 profile updates, prepared and sent window by window): windows of 1,000 items left 7 MB of old-space
 * garbage, windows of 2,000 left 96 MB and windows of 10,000 left 131 MB, which n8n's process then carries until
 * its next full garbage collection.
 */
export const PREPARE_WINDOW = 1000;

/** Trigger Events API: input items per window (what a run can have in flight at once). */
export function windowSize(settings: DispatchSettings): number {
	return settings.batchSize * settings.maxConcurrentRequests;
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

interface SummaryContext {
	run: BatchVersionRun;
	config: RunConfiguration;
	settings: DispatchSettings;
	tally: RunTally;
	/** Undefined in a dry run. */
	sender?: ItemSender;
}

/** The items of the run: those the decision prepared (taken once), then `from` to `to`, prepared by `prepare(start, end)`. */
interface Remaining {
	takeFirst: () => PreparedItems | undefined;
	from: number;
	to: number;
	prepare: (start: number, end: number) => PreparedItems;
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
	// Handed over once, then no longer referenced here (a window kept for the whole run would outlive the young generation).
	let first = decisive.length > 0 ? joined(decisive.splice(0)) : undefined;
	const takeFirst = () => {
		const window = first;
		first = undefined;
		return window;
	};

	const tally = new RunTally(dryRun ? invalidInDryRun : notAccepted, true);
	const sender = dryRun ? undefined : openSender(context, config);
	try {
		const summary: SummaryContext = { run, config, settings, tally, sender };
		const rest: Remaining = { takeFirst, from: prepared, to: items.length, prepare };
		if (run.settings.api === 'profile') await sendPacked(summary, rest);
		else await sendWindows(summary, rest);
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

/** An item refused before sending (its preparation, or its event time when its request was built). */
function refusedOutcome({ run, config, tally }: SummaryContext, itemIndex: number, base: OutcomeBase, issues: readonly ItemIssue[]): void {
	const outcome = validationOutcome(itemIndex, base, issues, config.scrub, run.messages.format);
	if (config.dryRun) outcome.json.dryRun = { valid: false };
	tally.add(outcome);
}

/**
 * Profile API: valid items packed into requests as text, each request sent (a dry run: counted) when full. Each
 * window is sized to fill the current request exactly, so that a request is normally sent once its last window is
 * done with: a window alive across a request's wait would outlive V8's young generation (see PREPARE_WINDOW).
 */
async function sendPacked(summary: SummaryContext, rest: Remaining): Promise<void> {
	const { run, config, settings, tally, sender } = summary;
	const { api, operation, identifierType } = run.settings;
	const baseOf = (entry: PackedEntry): OutcomeBase => ({ api, operation, identifierType, identifier: entry.identifier, eventName: entry.eventName });
	const packer = new RequestPacker(settings);
	let number = 0;

	const flush = async () => {
		const entries = packer.take();
		if (entries.length === 0) return;
		const byIndex = new Map(entries.map((entry) => [entry.item.itemIndex, entry]));
		const refused = new Map<number, ItemIssue[]>();
		let delivered: Delivery[];
		if (sender) {
			delivered = await sender.sendRequest(packedProfileRequest(entries, settings, config.credentials, ++number), settings, refused);
		} else {
			// A dry run checks the event times now, and counts what a real run would send.
			const { kept, refused: late } = checkTimesAtBuild(entries, Date.now(), settings.timeLabel);
			addRefused(refused, late);
			delivered = kept.map((entry) => ({ itemIndex: entry.item.itemIndex, accepted: true, attempts: 0 }));
		}
		if (delivered.length > 0) tally.requests += 1;
		for (const [itemIndex, issues] of refused) refusedOutcome(summary, itemIndex, baseOf(byIndex.get(itemIndex)!), issues);
		for (const delivery of delivered) {
			const entry = byIndex.get(delivery.itemIndex)!;
			if (delivery.accepted) {
				tally.addAccepted(entry.eventName, entry.identifier, delivery.possibleDuplicate === true);
				continue;
			}
			const outcome = deliveryOutcome(delivery.itemIndex, baseOf(entry), [delivery], run.messages.format);
			if (run.includeSent) outcome.json.sent = JSON.parse(entry.operation) as unknown;
			tally.add(outcome);
		}
	};

	const pack = async (window: PreparedItems) => {
		for (let position = 0; position < window.results.length; position++) {
			const result = window.results[position];
			if (!result.ok) {
				refusedOutcome(summary, window.start + position, window.bases[position], result.issues);
				continue;
			}
			// Track Event: a request also ends before a profile's 16th event (rarely inside a window).
			if (packer.isFullFor(result.item)) await flush();
			packer.add(result.item);
		}
	};

	// In a function of its own, so that the decision's window is not kept in this one's frame.
	const packFirst = async () => {
		const first = rest.takeFirst();
		if (first) await pack(first);
	};
	await packFirst();
	for (let start = rest.from; start < rest.to; ) {
		if (packer.length >= settings.batchSize) await flush();
		const end = Math.min(rest.to, start + Math.min(PREPARE_WINDOW, settings.batchSize - packer.length));
		await pack(rest.prepare(start, end));
		start = end;
	}
	await flush();
}

/** Trigger Events API: each window sent (a dry run: planned) as a run that outputs each item would send it. */
async function sendWindows(summary: SummaryContext, rest: Remaining): Promise<void> {
	const { run, config, settings, tally, sender } = summary;
	const settle = async (window: PreparedItems) => {
		if (sender) {
			const report = await sender.send(window.sendable, settings);
			// Nothing is built for an accepted item: it is only counted.
			const counted = deliveredOutcomes(run, window, report, config.scrub, (base, deliveries) =>
				tally.addAccepted(base.eventName, base.identifier, deliveries.some((delivery) => delivery.possibleDuplicate === true)),
			);
			tally.addAll(counted);
			tally.requests += report.requests;
		} else {
			const nowMs = Date.now();
			const plan = planDryRun(window, settings, config.credentials, config.baseUrl, nowMs);
			tally.addAll(dryRunOutcomes(window, plan, nowMs, config.scrub, run.messages.format));
			tally.requests += plan.requests;
		}
	};
	const first = rest.takeFirst();
	if (first) await settle(first);
	const size = windowSize(settings);
	for (let start = rest.from; start < rest.to; start += size) await settle(rest.prepare(start, start + size));
}
