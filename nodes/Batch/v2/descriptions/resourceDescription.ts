import type { INodeProperties } from 'n8n-workflow';

/** What to do (resource and operation, as n8n's core nodes name them), and through which Batch API. */
export const resourceProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		default: 'event',
		options: [
			{ name: 'Event', value: 'event' },
			{ name: 'Profile', value: 'profile' },
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'track',
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Track',
				value: 'track',
				// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- Batch is the service's name: in lower case it reads as batching
				action: 'Track an event in Batch',
				description: 'Record an event, with its label, tags and attributes, on each user',
			},
		],
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'updateAttributes',
		displayOptions: { show: { resource: ['profile'] } },
		options: [
			{
				name: 'Update Attributes',
				value: 'updateAttributes',
				// eslint-disable-next-line n8n-nodes-base/node-param-operation-option-action-miscased -- Batch is the service's name: in lower case it reads as batching
				action: 'Update profile attributes in Batch',
				description: 'Set or remove attributes on each user profile',
			},
		],
	},
	{
		displayName: 'API',
		name: 'api',
		type: 'options',
		noDataExpression: true,
		default: 'profile',
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				name: 'Profile API',
				value: 'profile',
				description: "Batch's current API: one call per project for every platform. Needs the REST API Key and Project Key.",
			},
			{
				name: 'Trigger Events API',
				value: 'triggerEvents',
				description: "Batch's per-app API, the one Purchasely's native integration uses. Needs the app API keys.",
			},
		],
		hint: 'Use the Profile API unless Batch enabled the Trigger Events API for your apps',
	},
	{
		displayName: 'Batch updates profile attributes through the Profile API, with the REST API Key and the Project Key',
		name: 'updateAttributesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['profile'] } },
	},
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'options',
		noDataExpression: true,
		default: 'fromStore',
		description: 'Which Batch app receives the event. The Trigger Events API takes one app API key per call.',
		displayOptions: { show: { resource: ['event'], api: ['triggerEvents'] } },
		options: [
			{
				name: 'From the Purchasely Store',
				value: 'fromStore',
				description: 'App Store → iOS app; Google Play, Amazon and Huawei → Android app',
			},
			{ name: 'iOS', value: 'ios' },
			{ name: 'Android', value: 'android' },
			{ name: 'Both', value: 'both', description: 'Send every event to the iOS app and to the Android app' },
		],
	},
	{
		displayName: 'Store',
		name: 'store',
		type: 'string',
		default: '={{ $json.meta.store }}',
		placeholder: 'e.g. APPLE_APP_STORE',
		description: 'The Purchasely store of each item: APPLE_APP_STORE, GOOGLE_PLAY_STORE, AMAZON_APPSTORE or HUAWEI_APPGALLERY',
		hint: 'The Purchasely Trigger gives it as meta.store: drag it from the input panel',
		displayOptions: { show: { resource: ['event'], api: ['triggerEvents'], platform: ['fromStore'] } },
	},
];
