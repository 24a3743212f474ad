import { coerceToType, formatIsoUtc, formatTriggerTime, inferAttribute, toEpochMs, toStringList } from '../../nodes/Batch/attributeTyping';

describe('attribute typing: inference from an object in the input item', () => {
	const infer = (raw: unknown) => inferAttribute('x', 'attrs.x', raw);

	it('types numbers, booleans and string arrays', () => {
		expect(infer(3.5)).toEqual({ ok: true, value: { name: 'x', field: 'attrs.x', type: 'number', value: 3.5 } });
		expect(infer(false)).toMatchObject({ ok: true, value: { type: 'boolean', value: false } });
		expect(infer(['a', 'b'])).toMatchObject({ ok: true, value: { type: 'stringList', value: ['a', 'b'] } });
	});

	it('types ISO 8601 date-times as dates and scheme:// strings as URLs (deeplinks included)', () => {
		expect(infer('2024-05-01T10:00:00Z')).toMatchObject({ ok: true, value: { type: 'date', value: Date.UTC(2024, 4, 1, 10) } });
		expect(infer('2024-05-01T12:00:00+02:00')).toMatchObject({ ok: true, value: { type: 'date', value: Date.UTC(2024, 4, 1, 10) } });
		expect(infer('myapp://ply/placements/RETENTION')).toMatchObject({ ok: true, value: { type: 'url', value: 'myapp://ply/placements/RETENTION' } });
		expect(infer('https://example.com/a?b=c')).toMatchObject({ ok: true, value: { type: 'url' } });
	});

	it('keeps other strings as strings (a bare year or a date without time is not a date)', () => {
		expect(infer('2024')).toMatchObject({ value: { type: 'string' } });
		expect(infer('2024-05-01')).toMatchObject({ value: { type: 'string' } });
		expect(infer('premium')).toMatchObject({ value: { type: 'string', value: 'premium' } });
		expect(infer('mailto:someone@example.com')).toMatchObject({ value: { type: 'string' } });
	});

	it('keeps null (removes a profile attribute), skips undefined, rejects objects and mixed lists', () => {
		expect(infer(null)).toMatchObject({ ok: true, value: { type: 'null', value: null } });
		expect(infer(undefined)).toBeUndefined();
		expect(infer({ a: 1 })).toMatchObject({ ok: false, problem: { field: 'attrs.x', rule: 'type' } });
		expect(infer(['a', 1])).toMatchObject({ ok: false, problem: { rule: 'type' } });
		expect(infer(Number.NaN)).toMatchObject({ ok: false });
	});
});

describe('attribute typing: editor values converted to the chosen type', () => {
	const coerce = (type: Parameters<typeof coerceToType>[2], raw: unknown) => coerceToType('x', 'attributes.x', type, raw);

	it('converts numbers, booleans, lists', () => {
		expect(coerce('number', ' 12 ')).toMatchObject({ ok: true, value: { value: 12 } });
		expect(coerce('number', 'twelve')).toMatchObject({ ok: false, problem: { field: 'attributes.x', rule: 'type' } });
		expect(coerce('number', '')).toMatchObject({ ok: false });
		expect(coerce('boolean', 'yes')).toMatchObject({ ok: true, value: { value: true } });
		expect(coerce('boolean', 0)).toMatchObject({ ok: true, value: { value: false } });
		expect(coerce('boolean', 'maybe')).toMatchObject({ ok: false });
		expect(coerce('stringList', 'a, b,,c ')).toMatchObject({ ok: true, value: { value: ['a', 'b', 'c'] } });
		expect(coerce('stringList', ['a', 2])).toMatchObject({ ok: true, value: { value: ['a', '2'] } });
	});

	it('converts dates from strings, Date, Luxon-like objects and epoch numbers', () => {
		const at = Date.UTC(2024, 0, 2, 3, 4, 5);
		expect(coerce('date', '2024-01-02T03:04:05Z')).toMatchObject({ ok: true, value: { value: at } });
		expect(coerce('date', '2024-01-02T03:04:05')).toMatchObject({ ok: true, value: { value: at } });
		expect(coerce('date', new Date(at))).toMatchObject({ ok: true, value: { value: at } });
		expect(coerce('date', { toMillis: () => at })).toMatchObject({ ok: true, value: { value: at } });
		expect(coerce('date', at / 1000)).toMatchObject({ ok: true, value: { value: at } });
		expect(coerce('date', at)).toMatchObject({ ok: true, value: { value: at } });
		expect(coerce('date', 'yesterday')).toMatchObject({ ok: false, problem: { rule: 'type' } });
	});

	it('requires scheme://… for URLs', () => {
		expect(coerce('url', 'myapp://ply/placements/RETENTION')).toMatchObject({ ok: true });
		expect(coerce('url', 'example.com')).toMatchObject({ ok: false, problem: { rule: 'urlFormat' } });
	});

	it('refuses objects for strings but accepts numbers', () => {
		expect(coerce('string', 42)).toMatchObject({ ok: true, value: { value: '42' } });
		expect(coerce('string', { a: 1 })).toMatchObject({ ok: false });
		expect(coerce('string', null)).toMatchObject({ ok: false, problem: { rule: 'required' } });
	});
});

describe('date formatting per API', () => {
	it('formats Profile API dates as RFC 3339 UTC and Trigger Events times without zone', () => {
		expect(formatIsoUtc(Date.UTC(1989, 6, 20))).toBe('1989-07-20T00:00:00Z');
		expect(formatIsoUtc(Date.UTC(2024, 0, 1, 0, 0, 0, 250))).toBe('2024-01-01T00:00:00.250Z');
		expect(formatTriggerTime(Date.UTC(2012, 7, 12, 22, 30, 5, 999))).toBe('2012-08-12T22:30:05');
	});
	it('reads zone-less strings as UTC and rejects impossible dates', () => {
		expect(toEpochMs('2024-02-30T00:00:00Z')).toBeUndefined();
		expect(toEpochMs('2024-02-01 10:00')).toBe(Date.UTC(2024, 1, 1, 10));
		expect(toStringList(5)).toBeUndefined();
	});
});
