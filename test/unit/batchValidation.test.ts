import type { TypedAttribute } from '../../nodes/Batch/attributeTyping';
import {
	checkAttributeName,
	checkAttributes,
	checkEventName,
	checkEventTime,
	checkIdentifier,
	checkLabel,
	checkTags,
	normaliseName,
} from '../../nodes/Batch/validation';

const NOW = Date.UTC(2026, 0, 10, 12);
const str = (name: string, value: string): TypedAttribute => ({ name, field: `attributes.${name}`, type: 'string', value });

describe('validation against Batch rules', () => {
	it('names the field and the limit for a long label (the brief example)', () => {
		expect(checkLabel('eventOptions.label', 'x'.repeat(241))).toEqual({
			field: 'eventOptions.label',
			rule: 'maxLength',
			message: 'eventOptions.label is 241 characters; Batch allows at most 200',
		});
		expect(checkLabel('eventOptions.label', 'x'.repeat(200))).toBeUndefined();
	});

	it('checks event names: pattern, length, emptiness; ue. prefix only on Trigger Events', () => {
		expect(checkEventName('eventName', normaliseName('  Subscription_Renewed '))).toBeUndefined();
		expect(checkEventName('eventName', 'sub renewed')).toMatchObject({ rule: 'namePattern' });
		expect(checkEventName('eventName', 'a'.repeat(31))).toMatchObject({ rule: 'maxLength', message: expect.stringContaining('31 characters') });
		expect(checkEventName('eventName', '')).toMatchObject({ rule: 'required' });
		expect(checkEventName('eventName', 'ue.added_to_cart', 'triggerEvents')).toBeUndefined();
		expect(checkEventName('eventName', 'ue.added_to_cart', 'profile')).toMatchObject({ rule: 'namePattern' });
	});

	it('refuses empty and blank text values per item: strings, list entries, tags (Batch SDKs; Profile API page as quoted)', () => {
		for (const value of ['', '   ', '\t']) {
			expect(checkAttributes([str('plan', value)], 'event', 'profile')).toEqual([
				{ field: 'attributes.plan', rule: 'emptyValue', message: 'attributes.plan is empty; Batch refuses empty (or blank) text values' },
			]);
			expect(checkAttributes([str('plan', value)], 'profile', 'triggerEvents')).toMatchObject([{ rule: 'emptyValue' }]);
		}
		expect(checkAttributes([str('$email_address', '')], 'profile', 'profile')).toMatchObject([{ rule: 'emptyValue' }]);
		expect(checkAttributes([{ name: 'l', field: 'attributes.l', type: 'stringList', value: ['a', ' '] }], 'profile', 'profile')).toEqual([
			{ field: 'attributes.l[1]', rule: 'emptyValue', message: 'attributes.l[1] is empty; Batch refuses empty (or blank) text values' },
		]);
		expect(checkTags('eventOptions.tags', ['a', ''])).toEqual([
			{ field: 'eventOptions.tags[1]', rule: 'emptyValue', message: 'eventOptions.tags[1] is empty; Batch refuses empty tags' },
		]);
		// Text with content around spaces, null (deletes a profile attribute) and the other types pass.
		expect(checkAttributes([str('plan', ' a ')], 'profile', 'profile')).toEqual([]);
		expect(checkAttributes([{ name: 'gone', field: 'attributes.gone', type: 'null', value: null }], 'profile', 'profile')).toEqual([]);
	});

	it('checks tags: count and length, naming the tag index', () => {
		expect(checkTags('eventOptions.tags', Array.from({ length: 11 }, (_, i) => `t${i}`))).toEqual([
			expect.objectContaining({ rule: 'maxItems', message: 'eventOptions.tags has 11 tags; Batch allows at most 10' }),
		]);
		expect(checkTags('eventOptions.tags', ['ok', 'y'.repeat(65)])).toEqual([
			expect.objectContaining({ field: 'eventOptions.tags[1]', rule: 'maxLength' }),
		]);
	});

	it('enforces the 24-hour window and no future (0 s ahead, as Batch), the future being optional to check', () => {
		expect(checkEventTime('eventOptions.time', NOW - 23 * 3600_000, NOW)).toBeUndefined();
		expect(checkEventTime('eventOptions.time', NOW, NOW)).toBeUndefined();
		expect(checkEventTime('eventOptions.time', NOW + 1, NOW)).toMatchObject({ rule: 'timeWindow' });
		expect(checkEventTime('eventOptions.time', NOW + 30_000, NOW, false)).toBeUndefined();
		expect(checkEventTime('eventOptions.time', NOW - 25 * 3600_000, NOW, false)).toMatchObject({ rule: 'timeWindow' });
		expect(checkEventTime('eventOptions.time', NOW - 25 * 3600_000, NOW)).toMatchObject({ rule: 'timeWindow', message: expect.stringContaining('more than 24 hours old') });
		expect(checkEventTime('eventOptions.time', NOW + 3600_000, NOW)).toMatchObject({ rule: 'timeWindow', message: expect.stringContaining('in the future') });
	});

	it('checks custom user ids (≤ 1024) and empty identifiers', () => {
		expect(checkIdentifier('meta.userId', 'u'.repeat(1024), 'customId')).toBeUndefined();
		expect(checkIdentifier('meta.userId', 'u'.repeat(1025), 'customId')).toMatchObject({ field: 'meta.userId', rule: 'maxLength' });
		expect(checkIdentifier('meta.userId', '  ', 'installationId')).toMatchObject({ rule: 'required' });
	});

	it('accepts native $ attributes on profiles only', () => {
		expect(checkAttributeName('attributes.$language', '$language', 'profile', 'profile')).toBeUndefined();
		expect(checkAttributeName('attributes.$label', '$label', 'event', 'profile')).toMatchObject({ rule: 'reservedName' });
		expect(checkAttributeName('attributes.$foo', '$foo', 'profile', 'profile')).toMatchObject({ rule: 'reservedName' });
		expect(checkAttributeName('attributes.bad-name', 'bad-name', 'event', 'profile')).toMatchObject({ rule: 'namePattern' });
	});

	it('applies each API\'s value limits', () => {
		expect(checkAttributes([str('a', 'x'.repeat(300))], 'event', 'profile')).toEqual([]);
		expect(checkAttributes([str('a', 'x'.repeat(301))], 'event', 'profile')).toEqual([expect.objectContaining({ rule: 'maxLength', field: 'attributes.a' })]);
		expect(checkAttributes([str('a', 'x'.repeat(65))], 'event', 'triggerEvents')).toEqual([
			expect.objectContaining({ message: 'attributes.a is 65 characters; Batch allows at most 64' }),
		]);
		const list: TypedAttribute = { name: 'l', field: 'attributes.l', type: 'stringList', value: ['a'] };
		expect(checkAttributes([list], 'event', 'triggerEvents')).toEqual([expect.objectContaining({ rule: 'unsupportedType' })]);
		expect(checkAttributes([{ ...list, value: Array(26).fill('a') }], 'profile', 'profile')).toEqual([expect.objectContaining({ rule: 'maxItems' })]);
		const many = Array.from({ length: 16 }, (_, i) => str(`a${i}`, 'v'));
		expect(checkAttributes(many, 'event', 'triggerEvents')).toEqual([expect.objectContaining({ rule: 'maxAttributes', message: expect.stringContaining('at most 15') })]);
		expect(checkAttributes(many.slice(0, 15), 'event', 'triggerEvents')).toEqual([]);
		expect(checkAttributes(Array.from({ length: 21 }, (_, i) => str(`a${i}`, 'v')), 'event', 'profile')).toHaveLength(1);
	});
});
