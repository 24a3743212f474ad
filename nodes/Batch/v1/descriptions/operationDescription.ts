import type { INodeProperties } from 'n8n-workflow';

/** What to do, and through which Batch API. */
export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'trackEvent',
		options: [
			{
				name: 'Track Event',
				value: 'trackEvent',
				action: 'Track an event in batch',
				description: 'Record an event (with label, tags and attributes) on each user',
			},
			{
				name: 'Update Profile Attributes',
				value: 'updateAttributes',
				action: 'Update profile attributes in batch',
				description: 'Set or remove attributes on each user profile (Profile API only)',
			},
		],
	},
	{
		displayName: 'API',
		name: 'api',
		type: 'options',
		noDataExpression: true,
		default: 'profile',
		displayOptions: { show: { operation: ['trackEvent'] } },
		options: [
			{
				name: 'Profile API 2.x',
				value: 'profile',
				description: "Batch's current API: one call per project for every platform. Needs the REST API key and the project key.",
			},
			{
				name: 'Trigger Events API 1.0',
				value: 'triggerEvents',
				description:
					"Batch's per-app API (the one Purchasely's native integration uses; enabled by Batch on request). Needs the REST API key and the app API keys; Custom User IDs only.",
			},
		],
	},
	{
		displayName:
			'Profile attributes are always updated through the Profile API 2.x: the Trigger Events API 1.0 only tracks events.',
		name: 'updateAttributesNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { operation: ['updateAttributes'] } },
	},
	{
		displayName: 'Platform',
		name: 'platform',
		type: 'options',
		noDataExpression: true,
		default: 'fromStore',
		description: 'Which Batch app receives the event. The Trigger Events API takes one app API key per call.',
		displayOptions: { show: { operation: ['trackEvent'], api: ['triggerEvents'] } },
		options: [
			{
				name: 'From Purchasely Store Field',
				value: 'fromStore',
				description:
					'APPLE_APP_STORE → iOS key; GOOGLE_PLAY_STORE, AMAZON_APPSTORE, HUAWEI_APPGALLERY → Android key; any other store fails that item',
			},
			{ name: 'iOS', value: 'ios' },
			{ name: 'Android', value: 'android' },
			{ name: 'Both', value: 'both', description: 'Send every event to the iOS app and to the Android app' },
		],
	},
	{
		displayName: 'Store Field',
		name: 'storeField',
		type: 'string',
		default: 'meta.store',
		placeholder: 'meta.store',
		description:
			'Dot path to the Purchasely store in each input item (the Purchasely Trigger puts it at meta.store). Read directly from the item, without an expression.',
		displayOptions: { show: { operation: ['trackEvent'], api: ['triggerEvents'], platform: ['fromStore'] } },
	},
];
