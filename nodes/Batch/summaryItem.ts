/**
 * The one output item of a run with Output "One Summary Item" (pure). Documented in README "One summary item":
 *
 *   items: number                 — input items
 *   accepted: number              — items Batch accepted (a dry run: `valid`, the items a real run would send)
 *   failed: number                — items not accepted: refused before sending, or by Batch (a dry run: would fail)
 *   possibleDuplicates?: number   — items whose request was retried after an uncertain failure (real run)
 *   requests: number              — requests sent (a dry run: that a real run would send), retries not counted
 *   api, operation, endpoint?     — as on each item's output; endpoint: the Profile API endpoint used
 *   dryRun?: true                 — nothing was sent
 *   failedItems: [{ itemIndex, …the item's output as "One Item per Input Item" gives it (error, identifier, …) }]
 *                                 — every failed item, in input order; itemIndex is its 0-based input position
 */
import type { IDataObject } from 'n8n-workflow';
import type { ProfileEndpoint } from './batchLimits';
import type { Operation } from './itemPreparation';
import type { RunTally } from './runTally';
import type { BatchApiKind } from './validation';

export interface SummaryFacts {
	api: BatchApiKind;
	operation: Operation;
	/** Profile API: the endpoint the run used (or would use). */
	endpoint?: ProfileEndpoint;
	dryRun: boolean;
}

export function summaryItemJson(tally: RunTally, facts: SummaryFacts): IDataObject {
	const json: IDataObject = { items: tally.items };
	if (facts.dryRun) {
		json.dryRun = true;
		json.valid = tally.succeeded;
		json.failed = tally.failed;
	} else {
		json.accepted = tally.succeeded;
		json.failed = tally.failed;
		json.possibleDuplicates = tally.possibleDuplicates;
	}
	json.requests = tally.requests;
	json.api = facts.api;
	json.operation = facts.operation;
	if (facts.endpoint !== undefined) json.endpoint = facts.endpoint;
	json.failedItems = tally.failedInOrder().map((outcome) => ({ itemIndex: outcome.itemIndex, ...outcome.json }) as IDataObject);
	return json;
}
