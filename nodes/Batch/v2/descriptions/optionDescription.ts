import type { INodeProperties } from 'n8n-workflow';
import { OPTION_DEFAULTS } from '../../optionDefaults';

/** Delivery tuning: batching, concurrency, rate limit, retries, timeouts (version 1's options, plainer labels). */
export const optionProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: OPTION_DEFAULTS.batchSize,
				description: 'Items sent in one request. 0: as many as Batch takes (200 on the Profile API, 1000 on the Trigger Events API).',
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: OPTION_DEFAULTS.maxAttempts,
				description: 'Tries per request, the first included. Rate limits, server and network errors are retried, others not.',
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrentRequests',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: OPTION_DEFAULTS.maxConcurrentRequests,
				description: 'Requests in flight at once (also the number of open connections)',
			},
			{
				displayName: 'Max Retry Duration (Seconds)',
				name: 'maxRetryDuration',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: OPTION_DEFAULTS.maxRetryDuration,
				description: 'No new try starts once this much time has passed since a request was first sent',
			},
			{
				displayName: 'Rate Limit (Updates per Second)',
				name: 'rateLimitPerSecond',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: OPTION_DEFAULTS.rateLimitPerSecond,
				description: "Events or profile updates sent per second at most (Batch's Profile API allows 300). 0 turns it off.",
			},
			{
				displayName: 'Rate Limit Burst',
				name: 'rateLimitBurst',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: OPTION_DEFAULTS.rateLimitBurst,
				description: 'Updates that may go at once before the rate limit applies (Batch allows 1000)',
			},
			{
				displayName: 'Request Timeout (Milliseconds)',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: OPTION_DEFAULTS.requestTimeout,
				description: 'Time allowed per try to connect and to receive the whole answer',
			},
		],
	},
];
