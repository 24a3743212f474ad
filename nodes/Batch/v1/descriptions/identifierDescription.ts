import type { INodeProperties } from 'n8n-workflow';

/** Which Batch user each item is about. */
export const identifierProperties: INodeProperties[] = [
	{
		displayName: 'Identifier Type',
		name: 'identifierType',
		type: 'options',
		noDataExpression: true,
		default: 'customId',
		displayOptions: { hide: { api: ['triggerEvents'] } },
		options: [
			{ name: 'Custom User ID', value: 'customId', description: 'Your own user ID, as set in the app with the Batch SDK' },
			{
				name: 'Installation ID',
				value: 'installationId',
				description: 'A Batch installation ID (Profile API only)',
			},
		],
	},
	{
		displayName: 'Identifier Source',
		name: 'identifierSource',
		type: 'options',
		noDataExpression: true,
		default: 'field',
		options: [
			{
				name: 'Field in Input Item',
				value: 'field',
				description: 'Read it from each item by dot path: fast, no expression is evaluated per item',
			},
			{ name: 'Value', value: 'value', description: 'A fixed value or an expression' },
		],
	},
	{
		displayName: 'Identifier Field',
		name: 'identifierField',
		type: 'string',
		default: 'meta.userId',
		placeholder: 'meta.userId',
		description: 'Dot path to the user ID in each input item (the Purchasely Trigger puts it at meta.userId)',
		displayOptions: { show: { identifierSource: ['field'] } },
	},
	{
		displayName: 'Identifier Value',
		name: 'identifierValue',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.user.ID }}',
		description: 'The Custom User ID (or installation ID). Batch allows at most 1024 characters.',
		displayOptions: { show: { identifierSource: ['value'] } },
	},
];
