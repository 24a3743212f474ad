import type { INodeProperties } from 'n8n-workflow';
export { OPTION_DEFAULTS } from '../../optionDefaults';
import type { EndpointSetting } from '../../endpointSelection';
import { ENDPOINT_CHOICES, ENDPOINT_DESCRIPTION } from '../../endpointOptionDescription';

/**
 * Version 1's Endpoint when the option is not added: `/profiles/update`, as version 1 always did (Automatic
 * would move runs of more than 1,000 items to mass update). Adding the option shows the same value.
 */
export const ENDPOINT_DEFAULT: EndpointSetting = 'update';

/** Delivery tuning: batching, concurrency, rate limit, retries, timeouts. */
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
				default: 0,
				description:
					'Consecutive items sent in one request. 0 = the maximum (Profile API: 200 operations, 10,000 with Mass Update; Trigger Events API: 1000 events); larger values are capped there.',
			},
			{
				displayName: 'Delivery',
				name: 'delivery',
				type: 'options',
				default: 'atLeastOnce',
				options: [
					{
						name: 'At Least Once (Retry, May Duplicate)',
						value: 'atLeastOnce',
						description:
							'Retry after timeouts, resets and 5xx errors. Batch may then record an event twice; such items get batch.possibleDuplicate.',
					},
					{
						name: 'At Most Once (No Retry After Uncertain Failures)',
						value: 'atMostOnce',
						description:
							'Never retry a request Batch may have processed; its items fail, saying they may or may not have reached Batch',
					},
				],
				description: 'Batch has no idempotency key: choose between possible duplicates and possible losses after uncertain failures',
			},
			{
				displayName: 'Endpoint',
				name: 'endpoint',
				type: 'options',
				default: 'update',
				options: ENDPOINT_CHOICES,
				description: ENDPOINT_DESCRIPTION,
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description:
					'Attempts per request, the first included, for 5xx and network errors (exponential backoff with jitter). HTTP 429 is retried until Max Retry Duration; other errors are not retried.',
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrentRequests',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 4,
				description: 'Requests in flight at once (also the number of keep-alive connections)',
			},
			{
				displayName: 'Max Retry Duration (Seconds)',
				name: 'maxRetryDuration',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description: 'No retry starts once this much time has passed since a request was first sent',
			},
			{
				displayName: 'Rate Limit (Updates per Second)',
				name: 'rateLimitPerSecond',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description:
					"Budget shared by every execution in this n8n process for the same Batch project or app, one token per operation or event (Batch allows 300 per second). Mass Update has its own budget of 10,000 per second, lowered in proportion when this is below 300. 0 turns both off.",
			},
			{
				displayName: 'Rate Limit Burst',
				name: 'rateLimitBurst',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description: 'Updates that may go at once before the rate limit applies (Batch: 1000)',
			},
			{
				displayName: 'Request Timeout (Ms)',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30000,
				description: 'Time allowed to connect, and to receive the response headers and body, per attempt',
			},
		],
	},
];
