/**
 * Reporting a run: exactly one output item per input item (or, with Output "One Summary Item", summaryRun.ts's one
 * item), the version's `afterRun` (version 2 annotates the execution), and, with "Continue On Fail" off, the error
 * of the first failing item once every item is settled (so that nothing Batch accepted goes unreported in the error).
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import type { DispatchReport } from './batchDispatch';
import type { Operation, PreparedItem } from './itemPreparation';
import type { PreparedItems } from './itemsPreparing';
import { deliveryOutcome, validationOutcome, type Delivery, type ItemOutcome, type OutcomeBase } from './outcomes';
import { buildProfileOperation } from './profileApiRequest';
import { tallyOf, type FailedTest, type RunTally } from './runTally';
import type { BatchVersionRun } from './runBatchNode';
import { scrubDeep, type Scrubber } from './secretScrubbing';
import { buildTriggerUserEvents } from './triggerEventsApiRequest';
import type { BatchApiKind } from './validation';

/** This item's part of the request body, exactly as the dispatch builds it. */
function sentPart(item: PreparedItem, api: BatchApiKind, operation: Operation): IDataObject {
	return (api === 'profile' ? buildProfileOperation(item, operation) : buildTriggerUserEvents(item)) as unknown as IDataObject;
}

/** Counts an item Batch accepted instead of building its output item (Output "One Summary Item"). */
export type AcceptedCounter = (base: OutcomeBase, deliveries: readonly Delivery[]) => void;

/**
 * The outcome of every item of a real run: refused before sending, or what Batch answered. With `countAccepted`,
 * an item Batch accepted is passed to it and gets no outcome (only the others are returned, in input order).
 */
export function deliveredOutcomes(run: BatchVersionRun, prepared: PreparedItems, report: DispatchReport, scrub: Scrubber, countAccepted?: AcceptedCounter): ItemOutcome[] {
	const { api, operation } = run.settings;
	const { format } = run.messages;
	const outcomes: ItemOutcome[] = [];
	prepared.results.forEach((result, position) => {
		const itemIndex = prepared.start + position;
		const base = prepared.bases[position];
		// Left out when its request was built (event time outside Batch's window by then).
		const refused = report.refused.get(itemIndex);
		if (!result.ok || refused) {
			outcomes.push(validationOutcome(itemIndex, base, result.ok ? (refused ?? []) : result.issues, scrub, format));
			return;
		}
		const deliveries = report.deliveries.get(itemIndex) ?? [];
		if (countAccepted && deliveries.every((delivery) => delivery.accepted)) {
			countAccepted(base, deliveries);
			return;
		}
		const outcome = deliveryOutcome(itemIndex, base, deliveries, format);
		if (run.includeSent) outcome.json.sent = sentPart(result.item, api, operation);
		outcomes.push(outcome);
	});
	return outcomes;
}

export interface FinishOptions {
	/** Whether an outcome counts as a failure (a real run: not accepted; a dry run: invalid). */
	failed: FailedTest;
	/** The error's description when "Continue On Fail" is off. */
	summary: (tally: RunTally) => string;
	dryRun?: boolean;
	scrub: Scrubber;
}

/**
 * The end of every run: the version's `afterRun` with the run's tally, then, with "Continue On Fail" off and an
 * item failed, the error of the first failing item (its message, Batch's code and status, the run's summary).
 */
export function settleRun(context: IExecuteFunctions, run: BatchVersionRun, tally: RunTally, finish: Omit<FinishOptions, 'failed'>): void {
	run.afterRun?.(tally, { dryRun: finish.dryRun === true });
	const firstFailure = tally.firstFailure;
	if (!firstFailure || context.continueOnFail()) return;
	const node = context.getNode();
	const error = firstFailure.error;
	const description = finish.summary(tally);
	const message = error?.message ?? run.messages.format(firstFailure.itemIndex, 'Batch did not accept it');
	// n8n's error classes replace a message mentioning a system error code (ECONNREFUSED, …) with a generic
	// sentence; the item index and Batch's own code matter more here, so the message is set back afterwards.
	let thrown: NodeOperationError | NodeApiError;
	if (!error || error.stage !== 'batch') {
		thrown = new NodeOperationError(node, message, { itemIndex: firstFailure.itemIndex, description });
	} else {
		const response = scrubDeep({ message, code: error.code ?? null, httpCode: error.status !== undefined ? String(error.status) : null }, finish.scrub) as JsonObject;
		thrown = new NodeApiError(node, response, {
			message,
			description,
			httpCode: error.status !== undefined ? String(error.status) : undefined,
			itemIndex: firstFailure.itemIndex,
		});
	}
	thrown.message = message;
	thrown.description = description;
	throw thrown;
}

/** Settles a run that outputs one item per input item, and returns those items. */
export function finishRun(context: IExecuteFunctions, run: BatchVersionRun, outcomes: ItemOutcome[], finish: FinishOptions): INodeExecutionData[][] {
	settleRun(context, run, tallyOf(outcomes, finish.failed), finish);
	return [outcomes.map((outcome) => ({ json: outcome.json as IDataObject, pairedItem: { item: outcome.itemIndex } }))];
}
