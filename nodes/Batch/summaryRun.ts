/**
 * A run with Output "One Summary Item" (n8n glue): the items are prepared, sent and counted as they go, so that the
 * node holds a few prepared items at a time and keeps nothing of an accepted item; the one output item
 * (summaryItem.ts) gives the counts and every failed item's outcome. For imports of many items: the node's memory no
 * longer grows with the items Batch accepts (bench/RESULTS.md, "Batch node memory").
 *
 * Items are prepared PREPARE_WINDOW at a time. On the Profile API each window's valid items are written at once into
 * the next request: their operation as the text that is sent, outside V8's heap (operationPacking.ts; requests cut as
 * in a run that outputs each item), and the prepared items are dropped before anything waits. Requests go one after
 * another (mass update allows no burst; /profiles/update is rate bound). Prepared items that outlived a wait, or a
 * scavenge, would survive V8's young-generation collections, and V8 then allocates every later object of their kind
 * in old space (allocation-site pretenuring), where it stays until n8n's next full collection: in a real n8n, after
 * it saved the execution. Measured in-process before this was so, 100,000 items: 59 MB of prepared items promoted,
 * and the node's share of the peak 89 MB instead of 22 (bench/RESULTS.md, "Batch node memory"). On
 * the Trigger Events API each window of Batch Size × Max Concurrent Requests items is sent as a run that outputs
 * each item sends it. Endpoint "Automatic" decides exactly as there (mass update when more than 1,000 items can be
 * sent): the first windows are prepared once to count, and again to be sent. With Dry Run on, the same requests are
 * cut and counted, and none is sent. Every item ends as accepted or reported; with "Continue On Fail" off the run
 * throws the first failing item's error once every item is settled.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { addRefused, checkTimesAtBuild, type DispatchSettings } from './batchDispatch';
import { AUTO_MASS_UPDATE_ABOVE } from './batchLimits';
import { dryRunFailureSummaryOf, dryRunOutcomes, invalidInDryRun, planDryRun } from './dryRun';
import type { ItemIssue } from './itemIssue';
import type { PreparedItem } from './itemPreparation';
import { prepareItems, type PreparedItems } from './itemsPreparing';
import { openSender, type ItemSender } from './itemsSending';
import { packedProfileRequest, RequestPacker } from './operationPacking';
import { deliveryOutcome, failureSummaryOf, notAccepted, validationOutcome, type Delivery, type OutcomeBase } from './outcomes';
import type { BatchVersionRun } from './runBatchNode';
import { deliveredOutcomes, settleRun } from './runReporting';
import { dispatchSettingsFor, type RunConfiguration } from './runSettingsReading';
import { RunTally } from './runTally';
import { summaryItemJson } from './summaryItem';

/**
 * Items prepared at a time: few enough that a window's objects die in V8's young generation. Measured in-process
 * (100,000 profile updates, each window prepared then sent): windows of 1,000 items left 7 MB of old-space garbage,
 * windows of 2,000 left 96 MB and windows of 10,000 left 131 MB, which n8n's process then carries until its next
 * full garbage collection.
 */
export const PREPARE_WINDOW = 1000;

/** Trigger Events API: input items per window (what a run can have in flight at once). */
export function windowSize(settings: DispatchSettings): number {
	return settings.batchSize * settings.maxConcurrentRequests;
}

interface SummaryContext {
	run: BatchVersionRun;
	config: RunConfiguration;
	tally: RunTally;
	/** Undefined in a dry run. */
	sender?: ItemSender;
}

/** Prepares the input items `start` to `end` (excluded). */
type Preparer = (start: number, end: number) => PreparedItems;

export async function runForSummary(
	context: IExecuteFunctions,
	run: BatchVersionRun,
	items: readonly INodeExecutionData[],
	config: RunConfiguration,
): Promise<INodeExecutionData[][]> {
	const { credentials, dryRun, scrub } = config;
	const prepare: Preparer = (start, end) => prepareItems(run, items, credentials, Date.now(), start, Math.min(end, items.length));
	const tally = new RunTally(dryRun ? invalidInDryRun : notAccepted, true);
	const sender = dryRun ? undefined : openSender(context, config);
	let settings: DispatchSettings;
	try {
		const summary: SummaryContext = { run, config, tally, sender };
		settings = run.settings.api === 'profile' ? await sendPacked(summary, items.length, prepare) : await sendWindows(summary, items.length, prepare);
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
 * Profile API: each window's valid items are written at once into the next request (their operation as the text
 * sent, see operationPacking.ts) and the window's prepared items are dropped before anything waits, so that they die
 * in V8's young generation; each request is sent (a dry run: counted) when full. Endpoint "Automatic" decides once
 * more than 1,000 items can be sent, or every item is prepared (the same rule as a run that outputs each item).
 * Returns the settings the run used.
 */
async function sendPacked(summary: SummaryContext, count: number, prepare: Preparer): Promise<DispatchSettings> {
	const { run, config, tally, sender } = summary;
	const { api, operation, identifierType } = run.settings;
	const sendableOf = (window: PreparedItems): PreparedItem[] => {
		window.results.forEach((result, position) => {
			if (!result.ok) refusedOutcome(summary, window.start + position, window.bases[position], result.issues);
		});
		return window.sendable;
	};

	// Endpoint "Automatic": the first windows are prepared once only to count what can be sent, then again when sent,
	// so that no prepared item is held while its request fills (see PREPARE_WINDOW). An event time at the edge of
	// Batch's window could count differently the second time: the decision is as good either way.
	let sendableCount = 0;
	if (config.endpointSetting === 'auto') {
		for (let start = 0; start < count && sendableCount <= AUTO_MASS_UPDATE_ABOVE; start += PREPARE_WINDOW) sendableCount += prepare(start, start + PREPARE_WINDOW).sendable.length;
	}
	const settings = dispatchSettingsFor(run, config, sendableCount);
	const packer = new RequestPacker(settings);
	let number = 0;

	const flush = async () => {
		const request = packer.take();
		if (!request) return;
		const baseOf = (position: number): OutcomeBase => ({ api, operation, identifierType, identifier: request.identifier(position), eventName: request.eventName(position) });
		const refused = new Map<number, ItemIssue[]>();
		const plan = packedProfileRequest(request, settings, config.credentials, ++number);
		let delivered: Delivery[];
		if (sender) {
			delivered = await sender.sendRequest(plan, settings, refused);
		} else {
			// A dry run checks the event times now, and counts what a real run would send.
			const { kept, refused: late } = checkTimesAtBuild(plan.entries, plan.timedOf, Date.now(), settings.timeLabel);
			addRefused(refused, late);
			delivered = kept.map((position) => ({ itemIndex: request.itemIndex(position), accepted: true, attempts: 0 }));
		}
		if (delivered.length > 0) tally.requests += 1;
		for (const [itemIndex, issues] of refused) refusedOutcome(summary, itemIndex, baseOf(request.positionOf(itemIndex)), issues);
		let answered = true;
		for (const delivery of delivered) {
			const position = request.positionOf(delivery.itemIndex);
			if (delivery.accepted) {
				tally.addAccepted(request.eventName(position), request.identifier(position), delivery.possibleDuplicate === true);
				continue;
			}
			if (delivery.status === undefined) answered = false;
			const outcome = deliveryOutcome(delivery.itemIndex, baseOf(position), [delivery], run.messages.format);
			if (run.includeSent) outcome.json.sent = JSON.parse(request.operationText(position)) as unknown;
			tally.add(outcome);
		}
		// Its body and columns carry the next request, unless it got no answer (they could still be read).
		if (answered) packer.recycle(request);
	};
	const pack = async (sendable: readonly PreparedItem[]) => {
		for (const item of sendable) {
			if (packer.isFullFor(item.identifier)) await flush();
			packer.add(item);
		}
	};

	// A window never reaches past the request being packed, and a full request is sent before the next window is
	// prepared: no prepared item waits for an answer (only a Track Event request cut early for a profile's event cap
	// holds the rest of its window while it is sent).
	for (let start = 0; start < count; ) {
		const end = start + Math.min(PREPARE_WINDOW, settings.batchSize - packer.length);
		await pack(sendableOf(prepare(start, end)));
		if (packer.length >= settings.batchSize) await flush();
		start = end;
	}
	await flush();
	return settings;
}

/** Trigger Events API: each window sent (a dry run: planned) as a run that outputs each item would send it. */
async function sendWindows(summary: SummaryContext, count: number, prepare: Preparer): Promise<DispatchSettings> {
	const { run, config, tally, sender } = summary;
	const settings = dispatchSettingsFor(run, config, 0);
	const size = windowSize(settings);
	for (let start = 0; start < count; start += size) {
		const window = prepare(start, start + size);
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
	}
	return settings;
}
