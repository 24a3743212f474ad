/** Defaults of the `options` collection, shared by every version of the Batch node (descriptions and execution). */
import { DEFAULT_RATE_LIMIT_BURST, DEFAULT_RATE_LIMIT_PER_SECOND } from './batchLimits';

export const OPTION_DEFAULTS = {
	batchSize: 0,
	maxConcurrentRequests: 4,
	rateLimitPerSecond: DEFAULT_RATE_LIMIT_PER_SECOND,
	rateLimitBurst: DEFAULT_RATE_LIMIT_BURST,
	maxAttempts: 5,
	maxRetryDuration: 60,
	requestTimeout: 30000,
	delivery: 'atLeastOnce',
	/** Version 2 only (option Dry Run): build every request, send none (dryRun.ts). */
	dryRun: false,
	/** Version 2 only (option Output): one output item per input item (outputSetting.ts). */
	output: 'eachItem',
} as const;
