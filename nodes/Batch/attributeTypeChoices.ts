import type { INodePropertyOptions } from 'n8n-workflow';
import type { AttributeType } from './attributeTyping';

/** The attribute row's Type choices as the editor lists them (n8n sorts options by name): one list for every version. */
const CHOICES: ReadonlyArray<{ name: string; value: AttributeType }> = [
	{ name: 'Boolean', value: 'boolean' },
	{ name: 'Date', value: 'date' },
	{ name: 'List of Strings', value: 'stringList' },
	{ name: 'Number', value: 'number' },
	{ name: 'String', value: 'string' },
	{ name: 'URL', value: 'url' },
];

/** Shared by every version: the String choice says the same in all. */
const SAME_IN_EVERY_VERSION: Partial<Record<AttributeType, string>> = {
	string: 'At most 300 characters (64 on the Trigger Events API)',
};

/**
 * The Type choices of an attribute row, with each version's own wording where it has one (version 1's words are
 * released: test/unit/batchNodeDescriptionV1.test.ts). A type without a description shows none (Number).
 */
export function attributeTypeChoices(descriptions: Partial<Record<AttributeType, string>>): INodePropertyOptions[] {
	return CHOICES.map(({ name, value }) => {
		const description = descriptions[value] ?? SAME_IN_EVERY_VERSION[value];
		return description === undefined ? { name, value } : { name, value, description };
	});
}
