/**
 * The Purchasely Trigger's parameters and webhook declaration. Parameter names are a public
 * contract (docs/architecture.md): never rename them.
 */
import type { INodeProperties, IWebhookDescription, TriggerPanelDefinition } from 'n8n-workflow';

import { eventPickerOptions } from './eventCatalog';
import { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './replayWindow';

export type AcknowledgeMode = 'immediately' | 'afterWorkflow';

/**
 * What each "Respond" choice means for redeliveries, shown under the parameter for the selected
 * choice only (≤ 120 characters each; the README's "Respond" section has the details).
 * Purchasely's retry span is not stated: its docs disagree ("25 retries over about 20 days" in one
 * version, "max 25 times in the following hours" in gitbook_v4's detailed specification).
 */
export const RESPOND_NOTICES: Readonly<Record<AcknowledgeMode, string>> = {
	immediately: 'A verified event is answered 200 before the workflow runs: if the workflow fails, Purchasely does not resend it.',
	afterWorkflow:
		"A failed run is answered 500 and Purchasely retries (up to 25 times); until then it holds back that user's later events.",
};

/**
 * "immediately" -> n8n's `onReceived` response mode: n8n answers as soon as `webhook()` returned
 * workflow data, with the `webhookResponse` the node returned (an explicit short JSON body).
 *
 * "afterWorkflow" -> n8n's `lastNode` response mode: n8n answers when the execution ends,
 * HTTP 500 `{"message":"Error in workflow"}` when it failed and 200 with an empty body
 * (`responseData: noData`) when it succeeded. Requests the node refuses or ignores are answered
 * by the node itself in both modes and start no execution.
 */
export const RESPONSE_MODE_TEMPLATE = '={{$parameter["acknowledge"] === "afterWorkflow" ? "lastNode" : "onReceived"}}';
export const RESPONSE_DATA_TEMPLATE = '={{$parameter["acknowledge"] === "afterWorkflow" ? "noData" : ""}}';

/**
 * The declaration as the editor and n8n 1.x see it (expression templates). The node itself
 * declares it with native resolvers attached where n8n provides them (`nativeWebhookResolvers.ts`).
 * This module loads no n8n code at run time (only types), so tools can read it on their own.
 */
export const purchaselyWebhooks: IWebhookDescription[] = [
	{
		name: 'default',
		httpMethod: 'POST',
		path: 'webhook',
		responseMode: RESPONSE_MODE_TEMPLATE,
		responseData: RESPONSE_DATA_TEMPLATE,
	},
];

/**
 * The editor's trigger panel (n8n 1.x and 2.x read `header`, `executionsHelp` and `activationHint`;
 * the hint is HTML). While listening, n8n shows its own fixed line ("Go to Purchasely and create an
 * event"), so how to send one is said here, before the operator clicks "Listen for test event".
 */
export const SEND_TEST_EVENT_COMMAND =
	'npx -p n8n-nodes-purchasely-batch send-test-event --url <test URL> --event ACTIVATE --user-id user_1';

export const TRIGGER_PANEL: TriggerPanelDefinition = {
	header: 'Send a signed test event to the test URL',
	activationHint:
		'Click <b>Listen for test event</b>, copy the test URL (Webhook URLs, above the parameters), then, with ' +
		'PURCHASELY_SHARED_SECRET set to the credential\'s secret, run <code>' +
		SEND_TEST_EVENT_COMMAND.replace('<', '&lt;').replace('>', '&gt;') +
		'</code>, or make a sandbox purchase in your app with that URL set in the Purchasely Console. ' +
		'A refused request (wrong secret, stale timestamp) shows here as the error of the test run.',
	executionsHelp: {
		inactive:
			'While you build, click <b>Listen for test event</b> and send an event to the test URL: you see its data here. ' +
			'Once the workflow is active (published), Purchasely\'s events go to the production URL and show in the executions list; ' +
			'refused requests there start no execution.',
		active:
			'This workflow is active: Purchasely\'s events on the production URL start it and show in the executions list. ' +
			'Refused requests (wrong signature or timestamp) start no execution and are only answered HTTP 401.',
	},
};

export const purchaselyTriggerProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: eventPickerOptions(),
		default: [],
		description:
			'Events that start the workflow. Leave this and Additional Event Names empty to receive every event, including names Purchasely adds later.',
		hint: 'Events left out are answered HTTP 200 and ignored, so that Purchasely neither retries them nor holds back later ones',
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
				description: 'Events whose "environment" is exactly PRODUCTION; events without one are ignored (answered 200)',
			},
			{
				name: 'Sandbox Only',
				value: 'sandbox',
				description: 'Events whose "environment" is exactly SANDBOX (store test purchases); events without one are ignored',
			},
		],
		default: 'both',
		description: 'Which store environment the events must come from',
		hint: 'Production Only and Sandbox Only need environment exactly PRODUCTION or SANDBOX; others are answered 200 and ignored',
	},
	{
		// Stored as "acknowledge" (public contract); shown as "Respond", as n8n's Webhook node says.
		displayName: 'Respond',
		name: 'acknowledge',
		type: 'options',
		options: [
			{
				name: 'Immediately',
				value: 'immediately',
				description:
					'Answer HTTP 200 as soon as the event is verified, then run the workflow. Purchasely does not send it again.',
			},
			{
				name: 'When the Workflow Finishes',
				value: 'afterWorkflow',
				description:
					'Answer HTTP 200 if the workflow succeeded, HTTP 500 if it failed, so that Purchasely sends the event again. A node set to continue on error counts as a success.',
			},
		],
		default: 'immediately',
		description:
			'When n8n answers Purchasely. Purchasely retries an event that was not answered HTTP 200 within 10 seconds.',
	},
	// n8n shows a parameter's hint whatever the value: one notice per choice describes the selected one
	// (as n8n's Webhook node does for its Respond parameter).
	{
		displayName: RESPOND_NOTICES.immediately,
		name: 'respondImmediatelyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { acknowledge: ['immediately'] } },
	},
	{
		displayName: RESPOND_NOTICES.afterWorkflow,
		name: 'respondAfterWorkflowNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { acknowledge: ['afterWorkflow'] } },
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
					'Whether to also accept requests signed only with the deprecated X-PURCHASELY-SIGNATURE header. Turn on only for an app that still uses that scheme.',
				hint: 'Weaker: that signature does not cover the body, so one seen request lets anyone send any body with it',
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
					'Refuse (HTTP 401) a request whose signed X-PURCHASELY-TIMESTAMP is further than this from the n8n server clock, in the past or the future. 0 turns the check off. Purchasely documents the timestamp as the time of each request, so its retries carry a fresh one; if retried events are ever refused as too old, raise this value or set 0.',
				hint: 'Stops a captured request from being sent again later; too small a value refuses genuine events when clocks drift',
			},
		],
	},
];
