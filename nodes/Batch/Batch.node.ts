import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { batchNodeProperties } from './descriptions';
import { MAIN_CONNECTION } from '../shared/mainConnection';
import { runBatchNode } from './runBatchNode';

/**
 * Batch (batch.com): track events and update profile attributes, many items per request.
 * Glue only: the parameters live in descriptions/, the execution in runBatchNode.ts, the logic in the
 * pure modules beside it, and the network code in transport/batchHttpClient.ts.
 */
export class Batch implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Batch',
		name: 'batch',
		icon: { light: 'file:batch.svg', dark: 'file:batch.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "updateAttributes" ? "Update Profile Attributes" : "Track Event" }}',
		description: 'Track events and update profile attributes in Batch (batch.com), in batches, with retries and rate limiting',
		defaults: { name: 'Batch' },
		usableAsTool: true,
		inputs: [MAIN_CONNECTION],
		outputs: [MAIN_CONNECTION],
		credentials: [{ name: 'batchApi', required: true }],
		properties: batchNodeProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runBatchNode.call(this);
	}
}
