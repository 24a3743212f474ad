/**
 * The Batch node's execute(), shared by its versions: n8n glue only. The version's glue (v1/, v2/) reads the
 * settings and each item's parameters and prepares the item; this reads the credential, checks every prepared
 * item's app key, sends the valid ones (batched, rate limited, retried), and returns exactly
 * one output item per input item. With "Continue On Fail" off, it still sends every valid item first, then
 * throws for the first failing item, so that nothing Batch accepted goes unreported in the error.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { API_MAX_OPERATIONS, PROFILE_API_VERSION, PROFILE_ENDPOINT_LIMITS } from './batchLimits';
import { dispatchItems, type BatchCredentials } from './batchDispatch';
import { effectiveBatchSize } from './chunking';
import { issue, type ItemIssue } from './itemIssue';
import type { IdentifierType, Operation, PreparationResult, PreparedItem } from './itemPreparation';
import { OPTION_DEFAULTS } from './optionDefaults';
import { deliveryOutcome, failureSummary, itemMessage, validationOutcome, type ItemMessageFormat, type ItemOutcome, type OutcomeBase } from './outcomes';
import type { Platform, PlatformSetting } from './platformRouting';
import { buildProfileOperation } from './profileOperations';
import { chooseProfileEndpoint, rateSettingsFor, readEndpointSetting, type EndpointSetting } from './endpointSelection';
import { sharedBucket, TokenBucket } from './rateLimiter';
import { abortableSleep } from './requestSending';
import type { DeliveryMode } from './retryPolicy';
import { createScrubber, scrubDeep } from './secretScrubbing';
import { BatchHttpClient } from './transport/batchHttpClient';
import { appKeyFieldFor, buildTriggerUserEvents } from './triggerEventsRequests';
import type { BatchApiKind } from './validation';

interface BatchOptions {
	batchSize: number;
	maxConcurrentRequests: number;
	rateLimitPerSecond: number;
	rateLimitBurst: number;
	maxAttempts: number;
	maxRetryDuration: number;
	requestTimeout: number;
}

/** options.delivery: at-least-once unless At Most Once is chosen. */
function readDelivery(raw: IDataObject): DeliveryMode {
	return raw.delivery === 'atMostOnce' ? 'atMostOnce' : OPTION_DEFAULTS.delivery;
}

export function readOptions(raw: IDataObject): BatchOptions {
	const number = (key: keyof BatchOptions, min: number): number => {
		const value = Number(raw[key] ?? OPTION_DEFAULTS[key]);
		return Number.isFinite(value) ? Math.max(min, value) : OPTION_DEFAULTS[key];
	};
	return {
		batchSize: number('batchSize', 0),
		maxConcurrentRequests: Math.floor(number('maxConcurrentRequests', 1)),
		rateLimitPerSecond: number('rateLimitPerSecond', 0),
		rateLimitBurst: number('rateLimitBurst', 1),
		maxAttempts: Math.floor(number('maxAttempts', 1)),
		maxRetryDuration: number('maxRetryDuration', 0),
		requestTimeout: number('requestTimeout', 1),
	};
}

function text(value: unknown): string {
	return typeof value === 'string' ? value : '';
}

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
	/** Called with every outcome once the run is over (version 2 annotates the execution). */
	afterRun?: (outcomes: readonly ItemOutcome[]) => void;
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

/** This item's part of the request body, exactly as the dispatch builds it. */
function sentPart(item: PreparedItem, api: BatchApiKind, operation: Operation): IDataObject {
	return (api === 'profile' ? buildProfileOperation(item, operation) : buildTriggerUserEvents(item)) as unknown as IDataObject;
}

export async function runBatchNode(this: IExecuteFunctions, version: (context: IExecuteFunctions, items: INodeExecutionData[]) => BatchVersionRun): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const node = this.getNode();
	const run = version(this, items);
	const { operation, api } = run.settings;
	const { messages } = run;
	const options = readOptions(run.settings.options);
	const delivery = readDelivery(run.settings.options);
	// Profile API only (the Trigger Events API has one route); checked before anything is sent.
	const endpointSetting = api === 'profile' ? readEndpointSetting(run.settings.options.endpoint, run.settings.endpointDefault ?? 'update') : undefined;
	if (endpointSetting && !endpointSetting.ok) throw new NodeOperationError(node, endpointSetting.message);

	const credentialData = await this.getCredentials('batchApi', 0);
	const credentials: BatchCredentials = {
		restApiKey: text(credentialData.restApiKey).trim(),
		projectKey: text(credentialData.projectKey).trim(),
		iosApiKey: text(credentialData.iosApiKey).trim() || undefined,
		androidApiKey: text(credentialData.androidApiKey).trim() || undefined,
	};
	const baseUrl = text(credentialData.baseUrl).trim() || 'https://api.batch.com';
	const scrub = createScrubber([credentials.restApiKey, credentials.projectKey, credentials.iosApiKey, credentials.androidApiKey]);
	if (credentials.restApiKey === '') throw new NodeOperationError(node, messages.noRestApiKey);
	if (api === 'profile' && credentials.projectKey === '') {
		throw new NodeOperationError(node, messages.noProjectKey);
	}

	const checkAppKey = (result: PreparationResult): PreparationResult => {
		if (!result.ok || api !== 'triggerEvents') return result;
		const missing = result.item.platforms.filter((target) => !credentials[appKeyFieldFor(target)]);
		return missing.length > 0 ? { ok: false, issues: [messages.missingAppKey(missing[0])] } : result;
	};

	const nowMs = Date.now();
	const prepared: PreparationResult[] = [];
	const bases: OutcomeBase[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const reading = run.readItem(itemIndex, items[itemIndex].json, nowMs, checkAppKey);
		prepared.push(reading.result);
		bases.push(reading.base);
	}

	const sendable = prepared.flatMap((result) => (result.ok ? [result.item] : []));
	const profileEndpoint = endpointSetting?.ok ? chooseProfileEndpoint(endpointSetting.setting, sendable.length) : undefined;
	const maxOperations = profileEndpoint ? PROFILE_ENDPOINT_LIMITS[profileEndpoint].maxOperations : API_MAX_OPERATIONS[api];
	const client = new BatchHttpClient({
		baseUrl,
		connections: options.maxConcurrentRequests,
		connectTimeoutMs: options.requestTimeout,
		requestTimeoutMs: options.requestTimeout,
	});
	// Cancelling the execution aborts the waits and the requests in flight and drops the connections at once;
	// every item is still reported (n8n 1.x versions without the signal: feature-detected, no-op).
	const signal = (this as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal?.();
	const onCancel = () => void client.destroy().catch(() => undefined);
	const logger = this.logger;
	signal?.addEventListener('abort', onCancel, { once: true });
	let report;
	try {
		report = await dispatchItems(
			sendable,
			{
				api,
				operation,
				batchSize: effectiveBatchSize(options.batchSize, maxOperations),
				maxConcurrentRequests: options.maxConcurrentRequests,
				profileApiVersion: PROFILE_API_VERSION,
				profileEndpoint,
				// Version 1's output stays as it was unless the option is set; version 2 always names the endpoint.
				reportEndpoint: run.settings.endpointDefault === 'auto' || (run.settings.options.endpoint ?? '') !== '',
				baseUrl,
				timeLabel: run.timeLabel,
			},
			credentials,
			{
				transport: client,
				bucket: new TokenBucket(options.rateLimitPerSecond, options.rateLimitBurst),
				// One budget per Batch project and endpoint (Profile API) or app (Trigger Events API) for this whole n8n process.
				bucketFor: (scope) => {
					const rate = rateSettingsFor(scope.api, { ratePerSecond: options.rateLimitPerSecond, burst: options.rateLimitBurst });
					return sharedBucket(scope, rate.ratePerSecond, rate.burst);
				},
				retry: { maxAttempts: options.maxAttempts, maxRetryDurationMs: options.maxRetryDuration * 1000, baseDelayMs: 500, maxDelayMs: 30_000 },
				sleep: abortableSleep,
				random: Math.random,
				now: Date.now,
				signal,
				delivery,
				scrub,
				log: (level, message) => logger?.[level]?.(scrub(message), { node: node.name }),
			},
			scrub,
		);
	} catch (error) {
		throw new NodeOperationError(node, scrub(error instanceof Error ? error.message : String(error)));
	} finally {
		signal?.removeEventListener('abort', onCancel);
		await client.close();
	}

	const outcomes: ItemOutcome[] = prepared.map((result, itemIndex) => {
		// Left out when its request was built (event time outside Batch's window by then).
		const refused = report.refused.get(itemIndex);
		if (!result.ok || refused) {
			return validationOutcome(itemIndex, bases[itemIndex], result.ok ? (refused ?? []) : result.issues, scrub, messages.format);
		}
		const outcome = deliveryOutcome(itemIndex, bases[itemIndex], report.deliveries.get(itemIndex) ?? [], messages.format);
		if (run.includeSent) outcome.json.sent = sentPart(result.item, api, operation);
		return outcome;
	});
	run.afterRun?.(outcomes);

	const firstFailure = outcomes.find((outcome) => !outcome.accepted);
	if (firstFailure && !this.continueOnFail()) {
		const error = firstFailure.error;
		const description = failureSummary(outcomes);
		const message = error?.message ?? messages.format(firstFailure.itemIndex, 'Batch did not accept it');
		// n8n's error classes replace a message mentioning a system error code (ECONNREFUSED, …) with a generic
		// sentence; the item index and Batch's own code matter more here, so the message is set back afterwards.
		let thrown: NodeOperationError | NodeApiError;
		if (!error || error.stage !== 'batch') {
			thrown = new NodeOperationError(node, message, { itemIndex: firstFailure.itemIndex, description });
		} else {
			const response = scrubDeep({ message, code: error.code ?? null, httpCode: error.status !== undefined ? String(error.status) : null }, scrub) as JsonObject;
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

	return [outcomes.map((outcome) => ({ json: outcome.json as IDataObject, pairedItem: { item: outcome.itemIndex } }))];
}
