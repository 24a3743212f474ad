import type { INodeProperties } from 'n8n-workflow';

/** The event of Event → Track. */
export const eventProperties: INodeProperties[] = [
	{
		displayName: 'Event Name',
		name: 'eventName',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. subscription_renewed',
		description: 'Letters, digits and underscores, at most 30 characters. Sent in lower case (Batch ignores case in names).',
		hint: "Type a name, or drag the Purchasely Trigger's meta.eventName from the input panel",
		displayOptions: { show: { resource: ['event'] } },
	},
	{
		displayName: 'Event Options',
		name: 'eventOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['event'] } },
		options: [
			{
				displayName: 'Label',
				name: 'label',
				type: 'string',
				default: '',
				placeholder: 'e.g. monthly',
				description: 'A label for the event, at most 200 characters',
			},
			{
				displayName: 'Tags',
				name: 'tags',
				type: 'string',
				default: '',
				placeholder: 'e.g. premium, renewal',
				description: 'Separated by commas, or a list from an expression: at most 10 tags of at most 64 characters',
			},
			{
				displayName: 'Time',
				name: 'time',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2024-05-01T10:00:00Z',
				description: 'When the event happened (ISO 8601; no zone means UTC). Empty: when Batch receives it.',
				hint: 'Batch accepts events from the last 24 hours, none from the future',
			},
		],
	},
];
