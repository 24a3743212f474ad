import type { INodeProperties } from 'n8n-workflow';
import type { EndpointSetting } from '../../endpointSelection';
import { ENDPOINT_CHOICES, ENDPOINT_DESCRIPTION } from '../../endpointOptionDescription';

/** Version 2's Endpoint when the option is not added (the same as the option's default below). */
export const ENDPOINT_DEFAULT: EndpointSetting = 'auto';

/**
 * Delivery tuning: batching, concurrency, rate limit, retries, timeouts (version 1's options, plainer labels),
 * Dry Run (version 2 only: build every request, send none; see dryRun.ts) and Output (version 2 only: one item per
 * input item, or one summary item; see outputSetting.ts).
 * The defaults are optionDefaults.ts's (n8n's lint wants them literal here; a unit test compares them).
 */
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
				description: 'Items sent in one request. 0: as many as Batch takes (Profile API 200, Mass Update 10,000; Trigger Events API 1000).',
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
						description: 'Retry after timeouts, resets and server errors; such items get batch.possibleDuplicate',
					},
					{
						name: 'At Most Once (No Retry After Uncertain Failures)',
						value: 'atMostOnce',
						description: 'Never resend a request Batch may have processed; its items fail and say so',
					},
				],
				description: 'Batch has no idempotency key: after an uncertain failure, choose possible duplicates or possible losses',
			},
			{
				displayName: 'Dry Run',
				name: 'dryRun',
				type: 'boolean',
				default: false,
				description: 'Whether to show what would be sent to Batch for each item (output: dryRun), without sending anything',
			},
			{
				displayName: 'Endpoint',
				name: 'endpoint',
				type: 'options',
				default: 'auto',
				options: ENDPOINT_CHOICES,
				description: ENDPOINT_DESCRIPTION,
			},
			{
				displayName: 'Max Attempts',
				name: 'maxAttempts',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 5,
				description: 'Tries per request, the first included. Rate limits, server and network errors are retried, others not.',
			},
			{
				displayName: 'Max Concurrent Requests',
				name: 'maxConcurrentRequests',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 4,
				description: 'Requests in flight at once (also the number of open connections)',
			},
			{
				displayName: 'Max Retry Duration (Seconds)',
				name: 'maxRetryDuration',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 60,
				description: 'No new try starts once this much time has passed since a request was first sent',
			},
			{
				displayName: 'Output',
				name: 'output',
				type: 'options',
				default: 'eachItem',
				options: [
					{
						name: 'One Item per Input Item',
						value: 'eachItem',
						description: "Each item's outcome: accepted, Batch's answer, or its error",
					},
					{
						name: 'One Summary Item',
						value: 'summary',
						description: 'Counts and every failed item with its error (failedItems); keeps nothing of accepted items',
					},
				],
				description: 'For imports of many items, One Summary Item keeps n8n\'s memory and saved executions small',
			},
			{
				displayName: 'Rate Limit (Updates per Second)',
				name: 'rateLimitPerSecond',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 300,
				description: "Updates per second for this n8n process, shared by all its executions (Batch allows 300). 0 turns it off.",
			},
			{
				displayName: 'Rate Limit Burst',
				name: 'rateLimitBurst',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1000,
				description: 'Updates that may go at once before the rate limit applies (Batch allows 1000)',
			},
			{
				displayName: 'Request Timeout (Milliseconds)',
				name: 'requestTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30000,
				description: 'Time allowed per try to connect and to receive the whole answer',
			},
		],
	},
];
