import type { INodeProperties } from 'n8n-workflow';
import { attributeTypeChoices } from '../../attributeTypeChoices';

/** Attributes, typed in the editor and/or given as one object by an expression. */
export const attributeProperties: INodeProperties[] = [
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'fixedCollection',
		placeholder: 'Add Attribute',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		description: 'Attributes of the event (Track) or of the profile (Update Attributes). They win over Attributes Object.',
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. plan',
						description: 'Letters, digits and underscores, at most 30 characters. Sent in lower case (Batch ignores case in names).',
					},
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'string',
						options: attributeTypeChoices({
							boolean: 'True or false (also "true", "false", 1, 0, "yes", "no")',
							date: 'An ISO 8601 date-time, e.g. 2024-05-01T10:00:00Z',
							stringList: 'Separated by commas, or a list: at most 25 items (Profile API only)',
							url: 'A scheme://… address, e.g. a deeplink myapp://ply/placements/RETENTION',
						}),
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						placeholder: 'e.g. premium_monthly',
						hint: 'Type a value, or drag a field from the input panel',
					},
				],
			},
		],
	},
	{
		displayName: 'Attributes Object',
		name: 'attributesObject',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.attributes }}',
		description: 'Typed by value: numbers, booleans, lists of strings, ISO dates, scheme:// URLs, text; null removes one',
		hint: 'Optional: drag an object from the input panel; each of its keys becomes an attribute',
	},
];
