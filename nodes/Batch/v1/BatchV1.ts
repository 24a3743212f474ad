import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeBaseDescription, INodeTypeDescription } from 'n8n-workflow';
import { MAIN_CONNECTION } from '../../shared/mainConnection';
import { runBatchNode } from '../runBatchNode';
import { batchV1Run } from './batchV1Run';
import { batchNodeProperties } from './descriptions';

/**
 * Batch node version 1, kept exactly as released so that saved workflows keep working: field paths
 * (`identifierField`, `eventNameField`, `attributesField`, `storeField`) and its own messages.
 */
export class BatchV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["operation"] === "updateAttributes" ? "Update Profile Attributes" : "Track Event" }}',
			defaults: { name: 'Batch' },
			usableAsTool: true,
			inputs: [MAIN_CONNECTION],
			outputs: [MAIN_CONNECTION],
			credentials: [{ name: 'batchApi', required: true }],
			properties: batchNodeProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runBatchNode.call(this, batchV1Run);
	}
}
