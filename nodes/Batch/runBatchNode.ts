/**
 * The Batch node's execute(): n8n glue only. Reads the parameters (once where they cannot vary by item),
 * prepares and validates every item, sends the valid ones (batched, rate limited, retried), and returns exactly
 * one output item per input item. With "Continue On Fail" off, it still sends every valid item first, then
 * throws for the first failing item, so that nothing Batch accepted goes unreported in the error.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { API_MAX_OPERATIONS, PROFILE_API_VERSION } from './batchLimits';
import { dispatchItems, type BatchCredentials } from './batchDispatch';
import { effectiveBatchSize } from './chunking';
import { OPTION_DEFAULTS } from './descriptions';
import { compileFieldPath, type FieldGetter } from './fieldPath';
import { issue } from './itemIssue';
import { prepareItem, type IdentifierType, type ItemInputs, type Operation, type PreparationResult, type PreparationSettings } from './itemPreparation';
import { deliveryOutcome, failureSummary, validationOutcome, type ItemOutcome, type OutcomeBase } from './outcomes';
import { ParameterReader } from './parameterReading';
import type { PlatformSetting } from './platformRouting';
import { sharedBucket, TokenBucket } from './rateLimiter';
import { abortableSleep } from './requestSending';
import type { DeliveryMode } from './retryPolicy';
import { createScrubber, scrubDeep } from './secretScrubbing';
import { BatchHttpClient } from './transport/batchHttpClient';
import { appKeyFieldFor } from './triggerEventsRequests';
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
	return raw.delivery === 'atMostOnce' ? 'atMostOnce' : 'atLeastOnce';
}

function readOptions(raw: IDataObject): BatchOptions {
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

export async function runBatchNode(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	if (items.length === 0) return [[]];
	const node = this.getNode();
	const reader = new ParameterReader(this, node.parameters);

	// Parameters that never vary by item (noDataExpression), read once.
	const operation = this.getNodeParameter('operation', 0) as Operation;
	const api: BatchApiKind = operation === 'updateAttributes' ? 'profile' : (this.getNodeParameter('api', 0, 'profile') as BatchApiKind);
	const platform = (api === 'triggerEvents' ? this.getNodeParameter('platform', 0, 'fromStore') : 'ios') as PlatformSetting;
	const identifierType: IdentifierType = api === 'triggerEvents' ? 'customId' : (this.getNodeParameter('identifierType', 0, 'customId') as IdentifierType);
	const identifierSource = this.getNodeParameter('identifierSource', 0, 'field') as 'field' | 'value';
	const eventNameSource = operation === 'trackEvent' ? (this.getNodeParameter('eventNameSource', 0, 'value') as 'field' | 'value') : 'value';
	const rawOptions = this.getNodeParameter('options', 0, {}) as IDataObject;
	const options = readOptions(rawOptions);
	const delivery = readDelivery(rawOptions);

	const credentialData = await this.getCredentials('batchApi', 0);
	const credentials: BatchCredentials = {
		restApiKey: text(credentialData.restApiKey).trim(),
		projectKey: text(credentialData.projectKey).trim(),
		iosApiKey: text(credentialData.iosApiKey).trim() || undefined,
		androidApiKey: text(credentialData.androidApiKey).trim() || undefined,
	};
	const baseUrl = text(credentialData.baseUrl).trim() || 'https://api.batch.com';
	const scrub = createScrubber([credentials.restApiKey, credentials.projectKey, credentials.iosApiKey, credentials.androidApiKey]);
	if (credentials.restApiKey === '') throw new NodeOperationError(node, 'The Batch API credential has no REST API key');
	if (api === 'profile' && credentials.projectKey === '') {
		throw new NodeOperationError(node, 'The Batch API credential has no project key; the Profile API needs it (X-Batch-Project)');
	}

	// Field paths are compiled once per distinct path (a path given by expression may differ per item).
	const getters = new Map<string, FieldGetter>();
	const getter = (path: string): FieldGetter => {
		let compiled = getters.get(path);
		if (!compiled) getters.set(path, (compiled = compileFieldPath(path)));
		return compiled;
	};

	const nowMs = Date.now();
	const prepared: PreparationResult[] = [];
	const bases: OutcomeBase[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const json = items[itemIndex].json;
		const identifierField = identifierSource === 'field' ? reader.get('identifierField', itemIndex, 'meta.userId') : '';
		const attributesField = reader.get('attributesField', itemIndex, '').trim();
		const storeField = api === 'triggerEvents' && platform === 'fromStore' ? reader.get('storeField', itemIndex, 'meta.store') : '';
		const eventNameField = operation === 'trackEvent' && eventNameSource === 'field' ? reader.get('eventNameField', itemIndex, 'meta.eventName') : '';
		const settings: PreparationSettings = {
			operation,
			api,
			platform,
			identifierType,
			identifierLabel: identifierSource === 'field' ? identifierField : 'identifierValue',
			attributesFieldLabel: attributesField || 'attributesField',
			storeFieldLabel: storeField || 'storeField',
			eventNameLabel: eventNameField || 'eventName',
		};
		const inputs: ItemInputs = {
			identifier: identifierSource === 'field' ? getter(identifierField)(json) : reader.get<unknown>('identifierValue', itemIndex, ''),
			editorAttributes: reader.get('attributes.attribute', itemIndex, []),
			objectAttributes: attributesField ? getter(attributesField)(json) : undefined,
			store: storeField ? getter(storeField)(json) : undefined,
		};
		if (operation === 'trackEvent') {
			inputs.eventName =
				eventNameField !== '' ? getter(eventNameField)(json) : reader.get<unknown>('eventName', itemIndex, '');
			const eventOptions = reader.get<IDataObject>('eventOptions', itemIndex, {});
			inputs.time = eventOptions.time;
			inputs.label = eventOptions.label;
			inputs.tags = eventOptions.tags;
		}
		let result = prepareItem(itemIndex, settings, inputs, nowMs);
		if (result.ok && api === 'triggerEvents') {
			const missing = result.item.platforms.filter((target) => !credentials[appKeyFieldFor(target)]);
			if (missing.length > 0) {
				const field = appKeyFieldFor(missing[0]);
				result = {
					ok: false,
					issues: [issue(field, 'missingCredential', `the Batch API credential has no ${missing[0] === 'ios' ? 'iOS' : 'Android'} API key (${field}); the Trigger Events API needs it for this item`)],
				};
			}
		}
		prepared.push(result);
		bases.push({
			api,
			operation,
			identifierType,
			identifier: typeof inputs.identifier === 'string' || typeof inputs.identifier === 'number' ? String(inputs.identifier) : '',
			eventName: result.ok ? result.item.eventName : typeof inputs.eventName === 'string' ? inputs.eventName : undefined,
			platforms: result.ok && api === 'triggerEvents' ? result.item.platforms : undefined,
		});
	}

	const sendable = prepared.flatMap((result) => (result.ok ? [result.item] : []));
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
				batchSize: effectiveBatchSize(options.batchSize, API_MAX_OPERATIONS[api]),
				maxConcurrentRequests: options.maxConcurrentRequests,
				profileApiVersion: PROFILE_API_VERSION,
				baseUrl,
			},
			credentials,
			{
				transport: client,
				bucket: new TokenBucket(options.rateLimitPerSecond, options.rateLimitBurst),
				// One budget per Batch project (Profile API) or app (Trigger Events API) for this whole n8n process.
				bucketFor: (scope) => sharedBucket(scope, options.rateLimitPerSecond, options.rateLimitBurst),
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
		if (!result.ok || refused) return validationOutcome(itemIndex, bases[itemIndex], result.ok ? (refused ?? []) : result.issues, scrub);
		return deliveryOutcome(itemIndex, bases[itemIndex], report.deliveries.get(itemIndex) ?? []);
	});

	const firstFailure = outcomes.find((outcome) => !outcome.accepted);
	if (firstFailure && !this.continueOnFail()) {
		const error = firstFailure.error;
		const description = failureSummary(outcomes);
		const message = error?.message ?? `Item ${firstFailure.itemIndex}: Batch did not accept it`;
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
