import { VersionedNodeType, type INodeTypeBaseDescription, type IVersionedNodeType } from 'n8n-workflow';
import { BatchV1 } from './v1/BatchV1';
import { BatchV2 } from './v2/BatchV2';

/**
 * Batch (batch.com): track events and update profile attributes, many items per request.
 * n8n's versioned-node convention (`VersionedNodeType`: the same class and behaviour in n8n-workflow 1.x,
 * packages/workflow/src/VersionedNodeType.ts, and 2.x, versioned-node-type.ts; read in n8n-io/n8n): this file holds what
 * every version shares (name, icon, group, description); `v1/` keeps version 1 exactly as released (field paths),
 * `v2/` holds version 2 (every value parameter is an ordinary n8n parameter: fixed value, expression or dragged
 * field). New nodes get version 2; saved workflows keep the version they were built with.
 * Glue only: the execution is in runBatchNode.ts, the logic in the pure modules beside it, and the network code
 * in transport/batchHttpClient.ts.
 */
export class Batch extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Batch',
			name: 'batch',
			icon: { light: 'file:batch.svg', dark: 'file:batch.dark.svg' },
			group: ['output'],
			description: 'Track events and update profile attributes in Batch (batch.com), in batches, with retries and rate limiting',
			defaultVersion: 2,
		};
		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new BatchV1(baseDescription),
			2: new BatchV2(baseDescription),
		};
		super(nodeVersions, baseDescription);
	}
}
