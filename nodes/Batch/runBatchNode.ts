/**
 * The Batch node's execute(), shared by its versions: n8n glue only, in four steps, each in its own file:
 * reading the run's settings and credential (runSettingsReading.ts), preparing every item (the version's glue
 * and itemsPreparing.ts), sending the valid ones, batched, rate limited and retried (itemsSending.ts) — or, with
 * Dry Run on, building the same requests and sending none (dryRun.ts) — and reporting exactly one output item per
 * input item (runReporting.ts). With Output "One Summary Item" (version 2), summaryRun.ts does the same steps as
 * the items go and outputs one item for the run. With "Continue On Fail" off, it still sends every valid item
 * first, then throws for the first failing item, so that nothing Batch accepted goes unreported in the error.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { dryRunFailureSummaryOf, dryRunOutcomes, invalidInDryRun, planDryRun } from './dryRun';
import type { EndpointSetting } from './endpointSelection';
import { issue, type ItemIssue } from './itemIssue';
import type { IdentifierType, ItemInputs, Operation, PreparationResult } from './itemPreparation';
import { prepareItems } from './itemsPreparing';
import { sendItems } from './itemsSending';
import { failureSummaryOf, itemMessage, notAccepted, type ItemMessageFormat, type OutcomeBase } from './outcomes';
import type { Platform, PlatformSetting } from './platformRouting';
import { deliveredOutcomes, finishRun } from './runReporting';
import { dispatchSettingsFor, readRunConfiguration } from './runSettingsReading';
import type { RunTally } from './runTally';
import { runForSummary } from './summaryRun';
import { appKeyFieldFor } from './triggerEventsApiRequest';
import type { BatchApiKind } from './validation';

/** Per-execution settings: the parameters that never vary by item, read once by the version's glue. */
export interface RunSettings {
	operation: Operation;
	api: BatchApiKind;
	platform: PlatformSetting;
	identifierType: IdentifierType;
	/** The `options` collection as stored (read with readOptions). */
	options: IDataObject;
	/** Option Endpoint when not added (Profile API): version 1 `update` (its behaviour before the option), version 2 `auto`. */
	endpointDefault?: EndpointSetting;
}

/** What one item became before sending: the prepared item (or its issues) and the fields every output item shows. */
export interface ItemReading {
	result: PreparationResult;
	base: OutcomeBase;
}

/**
 * An item's reading from its preparation result and inputs (every version): the identifier as given (text or number,
 * else empty), the event name as prepared (as given when the item is invalid), the platforms it goes to.
 */
export function itemReading(
	result: PreparationResult,
	{ api, operation, identifierType }: { api: BatchApiKind; operation: Operation; identifierType: IdentifierType },
	inputs: Pick<ItemInputs, 'identifier' | 'eventName'>,
): ItemReading {
	return {
		result,
		base: {
			api,
			operation,
			identifierType,
			identifier: typeof inputs.identifier === 'string' || typeof inputs.identifier === 'number' ? String(inputs.identifier) : '',
			eventName: result.ok ? result.item.eventName : typeof inputs.eventName === 'string' ? inputs.eventName : undefined,
			platforms: result.ok && api === 'triggerEvents' ? result.item.platforms : undefined,
		},
	};
}

/** The sentences that differ between versions (version 1 keeps its own exactly). */
export interface RunMessages {
	noRestApiKey: string;
	noProjectKey: string;
	/** The issue of an item whose Trigger Events API app has no key in the credential. */
	missingAppKey: (platform: Platform) => ItemIssue;
	format: ItemMessageFormat;
}

/** What a version of the node brings to a run: its settings, how it reads and prepares each item, its words. */
export interface BatchVersionRun {
	settings: RunSettings;
	messages: RunMessages;
	/**
	 * Reads and prepares one item (parameters and the item's JSON) into what will be sent, or its issues; `check`
	 * is applied to the prepared result before the output fields are taken from it (it refuses an item whose app
	 * has no key in the credential).
	 */
	readItem: (itemIndex: number, json: IDataObject, nowMs: number, check: (result: PreparationResult) => PreparationResult) => ItemReading;
	/** Version 2: add `sent` (this item's part of the request body exactly as sent) to accepted and refused items. */
	includeSent?: boolean;
	/** Called with the run's tally once every item is settled (version 2 annotates the execution). */
	afterRun?: (tally: RunTally, run: { dryRun: boolean }) => void;
	/** Version 2: the node has the Dry Run option (`options.dryRun`); version 1 ignores any such value. */
	dryRunOption?: boolean;
	/** Version 2: the node has the Output option (`options.output`); version 1 ignores any such value. */
	outputOption?: boolean;
	/** How messages name the event time when it is checked again as its request is built (default: version 1's). */
	timeLabel?: string;
}

/** Version 1's words. */
export const VERSION_1_MESSAGES: RunMessages = {
	noRestApiKey: 'The Batch API credential has no REST API key',
	noProjectKey: 'The Batch API credential has no project key; the Profile API needs it (X-Batch-Project)',
	missingAppKey: (platform) => {
		const field = appKeyFieldFor(platform);
		return issue(field, 'missingCredential', `the Batch API credential has no ${platform === 'ios' ? 'iOS' : 'Android'} API key (${field}); the Trigger Events API needs it for this item`);
	},
	format: itemMessage,
};

export async function runBatchNode(this: IExecuteFunctions, version: (context: IExecuteFunctions, items: INodeExecutionData[]) => BatchVersionRun): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const run = version(this, items);
	const config = await readRunConfiguration(this, run);
	if (config.output === 'summary') return await runForSummary(this, run, items, config);
	const prepared = prepareItems(run, items, config.credentials, Date.now());
	const settings = dispatchSettingsFor(run, config, prepared.sendable.length);
	if (config.dryRun) {
		const nowMs = Date.now();
		const plan = planDryRun(prepared, settings, config.credentials, config.baseUrl, nowMs);
		const outcomes = dryRunOutcomes(prepared, plan, nowMs, config.scrub, run.messages.format);
		return finishRun(this, run, outcomes, { failed: invalidInDryRun, summary: dryRunFailureSummaryOf, dryRun: true, scrub: config.scrub });
	}
	const report = await sendItems(this, prepared.sendable, settings, config);
	const outcomes = deliveredOutcomes(run, prepared, report, config.scrub);
	return finishRun(this, run, outcomes, { failed: notAccepted, summary: failureSummaryOf, scrub: config.scrub });
}
