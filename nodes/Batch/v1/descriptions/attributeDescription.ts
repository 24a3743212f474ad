import type { INodeProperties } from 'n8n-workflow';
import { attributeTypeChoices } from '../../attributeTypeChoices';

/** Attributes, typed in the editor and/or read from an object in the input item. */
export const attributeProperties: INodeProperties[] = [
	{
		displayName: 'Attributes',
		name: 'attributes',
		type: 'fixedCollection',
		placeholder: 'Add Attribute',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		description:
			'Event attributes (Track Event) or profile attributes (Update Profile Attributes). Names: letters, digits and underscores, at most 30 characters, lower-cased by the node. These win over a same-named key from Attributes Field.',
		options: [
			{
				displayName: 'Attribute',
				name: 'attribute',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'plan' },
					{
						displayName: 'Type',
						name: 'type',
						type: 'options',
						default: 'string',
						options: attributeTypeChoices({
							boolean: 'True/false (also "true", "false", 1, 0, "yes", "no")',
							date: 'ISO 8601 date-time, sent as date(name)',
							stringList: 'Comma-separated text or a list; at most 25 items (Profile API only)',
							url: 'Scheme://… (e.g. a deeplink myapp://ply/placements/RETENTION), sent as URL(name); a string on the Trigger Events API',
						}),
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Attributes Field',
		name: 'attributesField',
		type: 'string',
		default: '',
		placeholder: 'attributes',
		description:
			'Optional dot path to an object in each input item whose keys become attributes, typed by value: numbers, booleans, lists of strings; ISO 8601 date-time strings → date; scheme://… strings → URL; other strings → string; null removes a profile attribute. Read directly from the item, without an expression.',
	},
];
