import { compileFieldPath, parseFieldPath } from '../../nodes/Batch/fieldPath';
import { createScrubber, scrubDeep, scrubThenCut } from '../../nodes/Batch/secretScrubbing';
import { platformsFor, STORE_PLATFORMS } from '../../nodes/Batch/platformRouting';

describe('secret scrubbing', () => {
	it('removes keys and their URL-encoded form, longest first', () => {
		const scrub = createScrubber(['abc/def', 'abc/defgh', undefined, '', 'xy']);
		expect(scrub('POST /1.0/abc%2Fdef/events and abc/defgh')).toBe('POST /1.0/[redacted]/events and [redacted]');
		expect(scrub('xy is too short to be a key')).toBe('xy is too short to be a key');
		expect(scrubDeep({ a: ['abc/def'], 'abc/def': 1, n: 2 }, scrub)).toEqual({ a: ['[redacted]'], '[redacted]': 1, n: 2 });
	});
	it('does nothing without secrets', () => {
		expect(createScrubber([])('text')).toBe('text');
	});
});

describe('field paths', () => {
	it('parses dots and indexes, and $json. prefixes', () => {
		expect(parseFieldPath('a.b[0].c')).toEqual(['a', 'b', '0', 'c']);
		expect(parseFieldPath('$json.meta.userId')).toEqual(['meta', 'userId']);
		expect(parseFieldPath(' ')).toEqual([]);
	});
	it('reads values and returns undefined for missing parts', () => {
		const json = { meta: { userId: 'u1', list: [{ id: 7 }] }, top: 1 };
		expect(compileFieldPath('meta.userId')(json)).toBe('u1');
		expect(compileFieldPath('meta.list[0].id')(json)).toBe(7);
		expect(compileFieldPath('top')(json)).toBe(1);
		expect(compileFieldPath('meta.nope.deeper')(json)).toBeUndefined();
		expect(compileFieldPath('top.x')(json)).toBeUndefined();
		expect(compileFieldPath('')(json)).toBe(json);
	});
});

describe('platform routing', () => {
	it('maps Purchasely stores to Batch apps', () => {
		expect(STORE_PLATFORMS).toEqual({ APPLE_APP_STORE: 'ios', GOOGLE_PLAY_STORE: 'android', AMAZON_APPSTORE: 'android', HUAWEI_APPGALLERY: 'android' });
		expect(platformsFor('fromStore', 'google_play_store', 'meta.store')).toEqual({ ok: true, platforms: ['android'] });
		expect(platformsFor('fromStore', null, 'meta.store')).toMatchObject({ ok: false, problem: { rule: 'unknownStore', message: expect.stringContaining('meta.store is null') } });
		expect(platformsFor('android', 'APPLE_APP_STORE', 'x')).toEqual({ ok: true, platforms: ['android'] });
	});
});

describe('scrub first, cut later', () => {
	it('never keeps part of a key that straddles the cut', () => {
		const key = 'KEY_0123456789abcdef';
		const scrub = createScrubber([key]);
		for (let offset = 280; offset <= 300; offset++) {
			const cut = scrubThenCut(`${'x'.repeat(offset)}${key}tail`, scrub, 300);
			expect(cut).not.toContain(key.slice(0, 4));
			expect(cut.length).toBeLessThanOrEqual(301);
		}
	});
	it('keeps a __proto__ key as an own key when copying', () => {
		const copy = scrubDeep(JSON.parse('{"__proto__": {"polluted": 1}}') as object, (text) => text);
		expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
		expect(Object.keys(copy)).toEqual(['__proto__']);
	});
});
