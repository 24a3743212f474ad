import type { INodeProperties } from 'n8n-workflow';

/** Which Batch user each item is about. */
export const identifierProperties: INodeProperties[] = [
	{
		displayName: 'Identify Users By',
		name: 'identifierType',
		type: 'options',
		noDataExpression: true,
		default: 'customId',
		displayOptions: { hide: { api: ['triggerEvents'] } },
		options: [
			{ name: 'Custom User ID', value: 'customId', description: 'Your own user ID, as your app sets it with the Batch SDK' },
			{ name: 'Installation ID', value: 'installationId', description: 'The ID Batch gives one installation of your app' },
		],
	},
	{
		displayName: 'Custom User ID',
		name: 'customUserId',
		type: 'string',
		default: '={{ $json.meta.userId }}',
		required: true,
		placeholder: 'e.g. user-1234',
		description: 'The user ID your app sets with the Batch SDK, at most 1024 characters',
		hint: 'The Purchasely Trigger gives it as meta.userId. Drag another field from the input panel, or type one.',
		displayOptions: { hide: { identifierType: ['installationId'] } },
	},
	{
		displayName: 'Installation ID',
		name: 'installationId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. 8f4cd1f6-0a5b-4a59-9e3d-0b6e0c2a1b7d',
		description: 'The Batch installation ID of the user',
		hint: 'Drag the installation ID from the input panel, or type one',
		displayOptions: { show: { identifierType: ['installationId'] }, hide: { api: ['triggerEvents'] } },
	},
];
