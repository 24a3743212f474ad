/**
 * Reading a run's settings, before any item: the options collection (with their defaults), the Profile API
 * endpoint setting, the Dry Run switch, the Output setting and the credential. Anything wrong here stops the run
 * before an item is prepared or anything is sent.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { API_MAX_OPERATIONS, PROFILE_ENDPOINT_LIMITS } from './batchLimits';
import type { BatchCredentials, DispatchSettings } from './batchDispatch';
import { effectiveBatchSize } from './chunking';
import { chooseProfileEndpoint, readEndpointSetting, type EndpointSetting } from './endpointSelection';
import { OPTION_DEFAULTS } from './optionDefaults';
import { readOutputSetting, type OutputSetting } from './outputSetting';
import type { DeliveryMode } from './retryPolicy';
import { createScrubber, type Scrubber } from './secretScrubbing';
import type { BatchVersionRun } from './runBatchNode';

export interface BatchOptions {
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

/** Everything a run needs before its items: read once. */
export interface RunConfiguration {
	options: BatchOptions;
	delivery: DeliveryMode;
	/** Profile API only (the Trigger Events API has one route). */
	endpointSetting?: EndpointSetting;
	/** Option Dry Run (version 2): build every request, send none. */
	dryRun: boolean;
	/** Option Output (version 2): one item per input item, or one summary item (version 1: always one per input item). */
	output: OutputSetting;
	credentials: BatchCredentials;
	baseUrl: string;
	/** Removes every key of the credential from a text. */
	scrub: Scrubber;
}

export async function readRunConfiguration(context: IExecuteFunctions, run: BatchVersionRun): Promise<RunConfiguration> {
	const node = context.getNode();
	const { api, options: raw } = run.settings;
	// Checked before anything is sent.
	let endpointSetting: EndpointSetting | undefined;
	if (api === 'profile') {
		const read = readEndpointSetting(raw.endpoint, run.settings.endpointDefault ?? 'update');
		if (!read.ok) throw new NodeOperationError(node, read.message);
		endpointSetting = read.setting;
	}
	// Version 1 has no Output option: whatever is stored, it outputs one item per input item.
	const output = readOutputSetting(run.outputOption ? raw.output : undefined);
	if (!output.ok) throw new NodeOperationError(node, output.message);

	const credentialData = await context.getCredentials('batchApi', 0);
	const credentials: BatchCredentials = {
		restApiKey: text(credentialData.restApiKey).trim(),
		projectKey: text(credentialData.projectKey).trim(),
		iosApiKey: text(credentialData.iosApiKey).trim() || undefined,
		androidApiKey: text(credentialData.androidApiKey).trim() || undefined,
	};
	const baseUrl = text(credentialData.baseUrl).trim() || 'https://api.batch.com';
	const scrub = createScrubber([credentials.restApiKey, credentials.projectKey, credentials.iosApiKey, credentials.androidApiKey]);
	if (credentials.restApiKey === '') throw new NodeOperationError(node, run.messages.noRestApiKey);
	if (api === 'profile' && credentials.projectKey === '') {
		throw new NodeOperationError(node, run.messages.noProjectKey);
	}
	return {
		options: readOptions(raw),
		delivery: readDelivery(raw),
		endpointSetting,
		dryRun: run.dryRunOption === true && raw.dryRun === true,
		output: output.setting,
		credentials,
		baseUrl,
		scrub,
	};
}

/** How the prepared items become requests: the endpoint a real run picks for this many items, and the request size. */
export function dispatchSettingsFor(run: BatchVersionRun, config: RunConfiguration, sendable: number): DispatchSettings {
	const { api, operation } = run.settings;
	const profileEndpoint = config.endpointSetting ? chooseProfileEndpoint(config.endpointSetting, sendable) : undefined;
	const maxOperations = profileEndpoint ? PROFILE_ENDPOINT_LIMITS[profileEndpoint].maxOperations : API_MAX_OPERATIONS[api];
	return {
		api,
		operation,
		batchSize: effectiveBatchSize(config.options.batchSize, maxOperations),
		maxConcurrentRequests: config.options.maxConcurrentRequests,
		profileEndpoint,
		// Version 1's output stays as it was unless the option is set; version 2 always names the endpoint.
		reportEndpoint: run.settings.endpointDefault === 'auto' || (run.settings.options.endpoint ?? '') !== '',
		baseUrl: config.baseUrl,
		timeLabel: run.timeLabel,
	};
}
