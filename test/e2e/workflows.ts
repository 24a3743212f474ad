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

/**
 * Purchasely Trigger → a Set node giving three users (the second with an event name Batch refuses) → Split Out →
 * two Batch version-2 "Event → Track" nodes, one per API (Trigger Events API: the app from each user's store), both
 * with On Error "Continue" and Options › Dry Run as given.
 */
export function triggerToBatchDryRun(name: string, users: Array<{ userId: string; eventName: string; store: string }>, dryRun: boolean): WorkflowInput {
	const batch = (nodeName: string, api: 'profile' | 'triggerEvents', y: number) => ({
		name: nodeName,
		type: BATCH_TYPE,
		typeVersion: 2,
		position: [660, y] as [number, number],
		onError: 'continueRegularOutput',
		parameters: {
			resource: 'event',
			operation: 'track',
			api,
			...(api === 'triggerEvents' ? { platform: 'fromStore', store: '={{ $json.store }}' } : {}),
			customUserId: '={{ $json.userId }}',
			eventName: '={{ $json.eventName }}',
			attributes: { attribute: [{ name: 'source', type: 'string', value: 'dry_run_e2e' }] },
			options: dryRun ? { dryRun: true } : {},
		},
	});
	return {
		name,
		nodes: [
			{ name: 'Purchasely Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: { events: [], acknowledge: 'afterWorkflow', options: {} } },
			{ name: 'Users', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0], parameters: { mode: 'raw', jsonOutput: JSON.stringify({ users }) } },
			{ name: 'Split Out', type: 'n8n-nodes-base.splitOut', typeVersion: 1, position: [440, 0], parameters: { fieldToSplitOut: 'users' } },
			batch('Batch Profile API', 'profile', -120),
			batch('Batch Trigger Events API', 'triggerEvents', 120),
		],
		connections: {
			'Purchasely Trigger': { main: [[{ node: 'Users', type: 'main', index: 0 }]] },
			Users: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': {
				main: [
					[
						{ node: 'Batch Profile API', type: 'main', index: 0 },
						{ node: 'Batch Trigger Events API', type: 'main', index: 0 },
					],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}

/** Purchasely Trigger (of the given typeVersion) → No Operation: the trigger alone, as bench/inbound.js measures it. */
export function triggerToNoOp(
	name: string,
	o: { typeVersion: number; events?: string[]; acknowledge?: 'immediately' | 'afterWorkflow' },
): WorkflowInput {
	return {
		name,
		nodes: [
			{
				name: 'Purchasely Trigger',
				type: TRIGGER_TYPE,
				typeVersion: o.typeVersion,
				position: [0, 0],
				parameters: { events: o.events ?? [], acknowledge: o.acknowledge ?? 'immediately', options: {} },
			},
			{ name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [320, 0], parameters: {} },
		],
		connections: { 'Purchasely Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}
