/**
 * The Purchasely Trigger's parameters and webhook declaration. Parameter names are a public
 * contract (docs/architecture.md): never rename them.
 */
import type { INodeProperties, IWebhookDescription } from 'n8n-workflow';

import { eventPickerOptions } from './eventCatalog';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './replayWindow';

export type AcknowledgeMode = 'immediately' | 'afterWorkflow';

/**
 * "immediately" -> n8n's `onReceived` response mode: n8n answers as soon as `webhook()` returned
 * workflow data, with the `webhookResponse` the node returned (an explicit short JSON body).
 *
 * "afterWorkflow" -> n8n's `lastNode` response mode: n8n answers when the execution ends,
 * HTTP 500 `{"message":"Error in workflow"}` when it failed and 200 with an empty body
 * (`responseData: noData`) when it succeeded. Requests the node refuses or ignores are answered
 * by the node itself in both modes and start no execution.
 */
export const purchaselyWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		path: 'webhook',
		responseMode: '={{$parameter["acknowledge"] === "afterWorkflow" ? "lastNode" : "onReceived"}}',
		responseData: '={{$parameter["acknowledge"] === "afterWorkflow" ? "noData" : ""}}',
	},
];

export const purchaselyTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventPickerOptions(),
		default: [],
		description:
			'Events that start the workflow. Leave this and Additional Event Names empty to receive every event, including names Purchasely adds later.',
		hint: 'Events left out are answered with HTTP 200 and ignored: any other answer would make Purchasely retry them and hold back that user\'s later events.',
	},
	{
		displayName: 'Additional Event Names',
		name: 'additionalEvents',
		type: 'string',
		default: '',
		placeholder: 'NEW_EVENT_NAME, ANOTHER_EVENT_NAME',
		description:
			'Event names that are not in the list above, such as events Purchasely adds later. Separate names with commas; case does not matter.',
	},
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: [
			{
				name: 'Production and Sandbox',
				value: 'both',
				description: 'Every event, whatever its environment',
			},
			{
				name: 'Production Only',
				value: 'production',
				description: 'Events whose "environment" is not SANDBOX',
			},
			{
				name: 'Sandbox Only',
				value: 'sandbox',
				description: 'Events whose "environment" is SANDBOX (store test purchases)',
			},
		],
		default: 'both',
		description: 'Which store environment the events must come from',
		hint: 'Purchasely itself cannot keep sandbox events out of a webhook. Events left out here are answered with HTTP 200 and ignored.',
	},
	{
		displayName: 'Acknowledge',
		name: 'acknowledge',
		type: 'options',
		options: [
			{
				name: 'Immediately',
				value: 'immediately',
				description:
					'Answer HTTP 200 as soon as the event is verified, then run the workflow. An event whose workflow fails is not sent again.',
			},
			{
				name: 'After the Workflow Succeeds',
				value: 'afterWorkflow',
				description:
					'Answer HTTP 200 only if the whole workflow succeeded; if it fails n8n answers HTTP 500 and Purchasely sends the event again',
			},
		],
		default: 'immediately',
		description: 'When n8n answers Purchasely, which decides whether Purchasely redelivers an event',
		hint: 'After the Workflow Succeeds: Purchasely retries a failed delivery 25 times over about 20 days, which covers a Batch outage. But it waits only 10 seconds for the answer (a slower workflow counts as failed and is sent again), and while a delivery fails it holds back that user\'s later events. Nodes set to continue on error make a failure look like a success.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allow Legacy Signature',
				name: 'allowLegacySignature',
				type: 'boolean',
				default: false,
				description:
					'Whether to also accept requests signed only with the deprecated X-PURCHASELY-SIGNATURE header',
				hint: 'Weaker: that signature does not cover the body, so anyone who has seen one signed request can send any body with it. Turn on only for an app that still uses that scheme.',
			},
			{
				displayName: 'Include Headers',
				name: 'includeHeaders',
				type: 'boolean',
				default: false,
				description:
					'Whether to add the request headers to the output item under "headers". Authorization, cookie and API-key headers are always left out.',
			},
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'timestampTolerance',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 0 },
				default: DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
				description:
					'Refuse (HTTP 401) a request whose signed X-PURCHASELY-TIMESTAMP is further than this from the n8n server clock, in the past or the future. 0 turns the check off.',
				hint: 'Protects against a captured request being sent again later; too small a value refuses genuine events when clocks drift. Purchasely documents the timestamp as the time of each request, so its retries carry a fresh one; if retried events are ever refused as too old, raise this value or set 0.',
			},
		],
	},
];
