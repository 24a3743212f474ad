import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { MAIN_CONNECTION } from '../../shared/mainConnection';
import { runBatchNode } from '../runBatchNode';
import { batchV2Run } from './batchV2Run';
import { batchV2Properties } from './descriptions';

/**
 * Batch node version 2: resource/operation as n8n's core nodes name them, and every value parameter an
 * ordinary n8n parameter (fixed value, expression, or a field dragged from the input panel). Output items
 * carry `sent`, and the run is annotated in the execution's custom data.
 */
export class BatchV2 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 2,
			subtitle: '={{ $parameter["resource"] === "profile" ? "Update Profile Attributes" : "Track Event" }}',
			defaults: { name: 'Batch' },
			usableAsTool: true,
			inputs: [MAIN_CONNECTION],
			outputs: [MAIN_CONNECTION],
			credentials: [{ name: 'batchApi', required: true }],
			properties: batchV2Properties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runBatchNode.call(this, batchV2Run);
	}
}
