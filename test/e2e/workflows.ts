/** Workflows the e2e tests build (templates are tested from templates/*.json instead). */
import type { WorkflowInput } from '../../scripts/n8n/harness';

export const TRIGGER_TYPE = 'n8n-nodes-purchasely-batch.purchaselyTrigger';
export const BATCH_TYPE = 'n8n-nodes-purchasely-batch.batch';

export interface TriggerToBatchOptions {
	acknowledge?: 'immediately' | 'afterWorkflow';
	/** Events the trigger accepts; [] = all. */
	events?: string[];
	/** The Batch node's `options` collection (retries, timeouts, ...). */
	batchOptions?: Record<string, unknown>;
}

/** Purchasely Trigger → Batch "Track Event" (Profile API, custom id from meta.userId, event name from meta.eventName). */
export function triggerToBatchTrackEvent(name: string, o: TriggerToBatchOptions = {}): WorkflowInput {
	return {
		name,
		nodes: [
			{
				name: 'Purchasely Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					events: o.events ?? [],
					acknowledge: o.acknowledge ?? 'immediately',
					options: {},
				},
			},
			{
				name: 'Batch',
				type: BATCH_TYPE,
				typeVersion: 1,
				position: [320, 0],
				parameters: {
					operation: 'trackEvent',
					api: 'profile',
					identifierType: 'customId',
					identifierSource: 'field',
					identifierField: 'meta.userId',
					eventNameSource: 'field',
					eventNameField: 'meta.eventName',
					options: o.batchOptions ?? {},
				},
			},
		],
		connections: {
			'Purchasely Trigger': { main: [[{ node: 'Batch', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/**
 * Purchasely Trigger → Batch version 2 "Event → Track" with fields as a drag from the input panel writes them
 * (`={{ $json.… }}`) and a ternary, and, on the same trigger, a version-1 Batch node (field paths, as saved
 * workflows have it) updating profile attributes.
 */
export function triggerToBatchV2AndV1(name: string): WorkflowInput {
	return {
		name,
		nodes: [
			{
				name: 'Purchasely Trigger',
				type: TRIGGER_TYPE,
				typeVersion: 1,
				position: [0, 0],
				parameters: { events: [], acknowledge: 'afterWorkflow', options: {} },
			},
			{
				name: 'Batch v2',
				type: BATCH_TYPE,
				typeVersion: 2,
				position: [320, -120],
				parameters: {
					resource: 'event',
					operation: 'track',
					customUserId: '={{ $json.meta.userId }}',
					eventName: '={{ $json.meta.sandbox ? "sandbox_" + $json.meta.eventName : $json.meta.eventName }}',
					eventOptions: { label: '={{ $json.body.plan }}' },
					attributes: { attribute: [{ name: 'store', type: 'string', value: '={{ $json.meta.store }}' }] },
					attributesObject: '={{ { price: $json.body.plan_price_in_eur, country: $json.body.store_country } }}',
					options: {},
				},
			},
			{
				name: 'Batch v1',
				type: BATCH_TYPE,
				typeVersion: 1,
				position: [320, 120],
				parameters: {
					operation: 'updateAttributes',
					identifierSource: 'field',
					identifierField: 'meta.userId',
					attributes: { attribute: [{ name: 'last_event', type: 'string', value: '={{ $json.meta.eventName }}' }] },
					options: {},
				},
			},
		],
		connections: {
			'Purchasely Trigger': {
				main: [
					[
						{ node: 'Batch v2', type: 'main', index: 0 },
						{ node: 'Batch v1', type: 'main', index: 0 },
					],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}
