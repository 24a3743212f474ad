import type { TypedAttribute } from '../../nodes/Batch/attributeTyping';
import type { Operation, PreparedItem } from '../../nodes/Batch/itemPreparation';
import { OperationWriter } from '../../nodes/Batch/operationText';
import { buildProfileOperation } from '../../nodes/Batch/profileApiRequest';
import { renewalItem } from '../helpers/preparedItem';

const base: PreparedItem = {
	...renewalItem,
	tags: ['a', 'b'],
	attributes: [
		...renewalItem.attributes.filter((attribute) => attribute.type !== 'url'),
		{ name: 'renewed', field: 'f', type: 'date', value: Date.UTC(2026, 1, 1, 0, 0, 0, 250) },
		{ name: 'deeplink', field: 'f', type: 'url', value: 'myapp://ply/placements/RETENTION?x="1"' },
		{ name: 'interests', field: 'f', type: 'stringList', value: ['bikes', 'ski\u00e9', '\u{1F600}'] },
		{ name: 'old', field: 'f', type: 'null', value: null },
	],
};

const attribute = (name: string, value: string): TypedAttribute => ({ name, field: 'f', type: 'string', value });

/** Items that differ in every way the text can differ. */
const variants: Array<[string, PreparedItem]> = [
	['every kind of attribute, a label and tags', base],
	['an installation id', { ...base, identifierType: 'installationId', identifier: 'inst-\u00e9-"q"' }],
	['no attributes, label, tags or time', { ...base, timeMs: undefined, label: undefined, tags: undefined, attributes: [] }],
	['a label only', { ...base, tags: undefined, attributes: [] }],
	['tags only', { ...base, label: undefined, attributes: [] }],
	['no event name', { ...base, eventName: undefined }],
	['text that JSON escapes', { ...base, identifier: 'a\\b\n\t\u0001\u2028', attributes: [attribute('note', '"quoted" \\ \u007f \ud800 lone surrogate')] }],
	['numbers JSON writes its own way', { ...base, attributes: [{ name: 'big', field: 'f', type: 'number', value: 1e21 }, { name: 'small', field: 'f', type: 'number', value: -0 }, { name: 'tiny', field: 'f', type: 'number', value: 5e-7 }] }],
	['an attribute named like an array index (written first by JSON.stringify)', { ...base, attributes: [attribute('plan', 'p'), attribute('42', 'x'), attribute('7', 'y')] }],
	['names that are not array indexes', { ...base, attributes: [attribute('b', '1'), attribute('007', '2'), attribute('4294967295', '3'), attribute('a', '4')] }],
	['a name Object.prototype has', { ...base, attributes: [attribute('constructor_', 'c'), attribute('tostring', 't'), attribute('hasownproperty', 'h')] }],
];

describe('OperationWriter: the operation as JSON.stringify(buildProfileOperation(...)) writes it', () => {
	for (const operation of ['updateAttributes', 'trackEvent'] as Operation[]) {
		for (const [what, item] of variants) {
			it(`${operation}: ${what}`, () => {
				const expected = JSON.stringify(buildProfileOperation(item, operation));
				expect(new OperationWriter(operation).text(item)).toBe(expected);
			});
		}
	}

	it('keeps writing the same text once its quoted keys are cached, for items of other shapes', () => {
		const writer = new OperationWriter('trackEvent');
		const texts = () => variants.map(([, item]) => writer.text(item));
		const first = texts();
		expect(texts()).toEqual(first);
		expect(first).toEqual(variants.map(([, item]) => JSON.stringify(buildProfileOperation(item, 'trackEvent'))));
	});

	it('a name used as a date on one item and as text on the next gets each its own key', () => {
		const writer = new OperationWriter('updateAttributes');
		const asDate: PreparedItem = { ...base, attributes: [{ name: 'when', field: 'f', type: 'date', value: Date.UTC(2030, 0, 1) }] };
		const asText: PreparedItem = { ...base, attributes: [attribute('when', 'soon')] };
		const asUrl: PreparedItem = { ...base, attributes: [{ name: 'when', field: 'f', type: 'url', value: 'https://x.test' }] };
		for (const item of [asDate, asText, asUrl, asDate]) expect(writer.text(item)).toBe(JSON.stringify(buildProfileOperation(item, 'updateAttributes')));
	});
});
