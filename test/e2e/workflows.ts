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
