import type { INodeProperties } from 'n8n-workflow';

/** The event of the Track Event operation. */
export const eventProperties: INodeProperties[] = [
	{
		displayName: 'Event Name Source',
		name: 'eventNameSource',
		type: 'options',
		noDataExpression: true,
		default: 'value',
		displayOptions: { show: { operation: ['trackEvent'] } },
		options: [
			{ name: 'Value', value: 'value', description: 'A fixed name or an expression' },
			{
				name: 'Field in Input Item',
				value: 'field',
				description: 'Read it from each item by dot path: fast, no expression is evaluated per item',
			},
		],
	},
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'subscription_renewed',
		description:
			'Letters, digits and underscores, at most 30 characters. Batch matches event names without regard to case; the node sends it in lower case.',
		displayOptions: { show: { operation: ['trackEvent'], eventNameSource: ['value'] } },
	},
	{
		displayName: 'Event Name Field',
		name: 'eventNameField',
		type: 'string',
		default: 'meta.eventName',
		placeholder: 'meta.eventName',
		description: 'Dot path to the event name in each input item (the Purchasely Trigger puts it at meta.eventName)',
		displayOptions: { show: { operation: ['trackEvent'], eventNameSource: ['field'] } },
	},
	{
		displayName: 'Event Options',
		name: 'eventOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['trackEvent'] } },
		options: [
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				description: 'At most 200 characters. Sent as $label on the Profile API.',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'premium, renewal',
				description: 'Comma-separated (or a list from an expression): at most 10 tags of at most 64 characters. Sent as $tags on the Profile API.',
			},
			{
				displayName: 'Time',
				name: 'time',
				type: 'string',
				default: '',
				placeholder: '2024-05-01T10:00:00Z',
				description:
					'When the event happened, ISO 8601 (no zone = UTC). Batch accepts events from the last 24 hours and none from the future. Empty: the time Batch receives it.',
			},
		],
	},
];
