/**
 * Pure parts of the simulator: validation rules, token bucket, fault queue, CLI parsing.
 */
import {
	API_MAX_OPERATIONS,
	DEFAULT_RATE_LIMIT_BURST,
	DEFAULT_RATE_LIMIT_PER_SECOND,
	MASS_UPDATE_MAX_OPERATIONS,
	MASS_UPDATE_RATE_BURST,
	MASS_UPDATE_RATE_PER_SECOND,
	MAX_CUSTOM_ID_LENGTH,
	MAX_EVENTS_PER_PROFILE_PER_REQUEST,
	MAX_EVENT_AGE_MS,
	MAX_LABEL_LENGTH,
	MAX_NAME_LENGTH,
	MAX_TAGS,
	MAX_TAG_LENGTH,
	NATIVE_PROFILE_ATTRIBUTES as NODE_NATIVE_PROFILE_ATTRIBUTES,
	VALUE_LIMITS,
} from '../../nodes/Batch/batchLimits';
import { isEmptyText as nodeIsEmptyText } from '../../nodes/Batch/validation';
import { DEFAULTS, resolveOptions } from '../../simulator/batchSimulator';
import { parseCli, UsageError } from '../../simulator/cli';
import { EndpointCounters, endpointOf } from '../../simulator/endpoints';
import { FaultQueue, errorCodeForStatus } from '../../simulator/faults';
import { PROFILE_ENDPOINTS } from '../../simulator/profileApi';
import {
	LIMITS,
	NATIVE_PROFILE_ATTRIBUTES,
	checkEventTime,
	checkEventsPerProfile,
	checkProfileEvent,
	checkProfileOperation,
	checkTriggerEvent,
	isEmptyText,
	isValidIso8601,
	isValidUrl,
	parseIso8601,
	parseTriggerTime,
	parseTypedKey,
} from '../../simulator/rules';
import { TokenBucket } from '../../simulator/tokenBucket';
import type { Json } from '../../simulator/types';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('typed keys and values', () => {
	it('parses date(x) / url(x)', () => {
		expect(parseTypedKey('date(a_b)')).toEqual({ name: 'a_b', typed: 'date' });
		expect(parseTypedKey('url(x)')).toEqual({ name: 'x', typed: 'url' });
		expect(parseTypedKey('plain')).toEqual({ name: 'plain' });
		expect(parseTypedKey('time(x)')).toEqual({ name: 'time(x)' });
	});
	it('ISO 8601', () => {
		for (const ok of ['2026-03-10T12:00:00Z', '2026-03-10T12:00:00.123Z', '2026-03-10T12:00:00+02:00', '2026-03-10']) {
			expect(isValidIso8601(ok)).toBe(true);
		}
		for (const bad of ['2026-13-10T12:00:00Z', '10/03/2026', '', 'now', '2026-03-10 12:00:00']) expect(isValidIso8601(bad)).toBe(false);
	});
	it('ISO 8601 without a zone is read as UTC; rolled-over dates are refused', () => {
		expect(parseIso8601('2026-03-10T11:00:00')).toBe(Date.parse('2026-03-10T11:00:00Z'));
		expect(parseIso8601('2026-03-10T13:00:00+02:00')).toBe(Date.parse('2026-03-10T11:00:00Z'));
		expect(parseIso8601('2026-02-30T00:00:00Z')).toBeNaN();
		// An hour-old zone-less time is inside the window whatever the machine's time zone.
		expect(checkProfileEvent({ name: 'e', time: '2026-03-10T11:00:00' }, NOW)).toHaveProperty('event');
	});
	it('URLs', () => {
		expect(isValidUrl('https://example.com/x?y=1')).toBe(true);
		expect(isValidUrl('myapp://deep/link')).toBe(true);
		expect(isValidUrl('example.com')).toBe(false);
		expect(isValidUrl(`https://e.com/${'a'.repeat(LIMITS.urlLength)}`)).toBe(false);
	});
	it('Trigger Events time format, read as UTC', () => {
		expect(parseTriggerTime('2026-03-10T11:00:00')).toBe(Date.parse('2026-03-10T11:00:00Z'));
		expect(parseTriggerTime('2026-03-10T11:00:00.500Z')).toBe(Date.parse('2026-03-10T11:00:00.500Z'));
		expect(parseTriggerTime('2026-02-30T11:00:00')).toBeNaN();
		expect(parseTriggerTime('2026-03-10 11:00:00')).toBeNaN();
		expect(parseTriggerTime('2026-03-10T11:00:00+02:00')).toBeNaN();
	});
	it('24 h window, no future', () => {
		expect(checkEventTime(NOW, NOW)).toBeUndefined();
		expect(checkEventTime(NOW - LIMITS.eventWindowMs, NOW)).toBeUndefined();
		expect(checkEventTime(NOW - LIMITS.eventWindowMs - 1, NOW)).toMatch(/24 hours/);
		expect(checkEventTime(NOW + 1, NOW)).toMatch(/future/);
	});
});

describe('Profile API operation', () => {
	it('normalizes a valid operation', () => {
		const r = checkProfileOperation(
			{
				identifiers: { custom_id: 'u' },
				attributes: { a: 1, 'date(d)': '2026-01-01T00:00:00Z', gone: null, l: { $add: ['x'] } },
				events: [{ name: 'e', attributes: { $label: 'L', $tags: ['t'], n: 1.5 } }],
			},
			NOW,
		);
		expect(r).toEqual({
			operation: {
				kind: 'custom_id',
				id: 'u',
				attributes: [
					{ name: 'a', type: 'integer', value: 1 },
					{ name: 'd', type: 'date', value: '2026-01-01T00:00:00Z' },
					{ name: 'gone', type: 'string', value: null },
				],
				mutations: [{ name: 'l', add: ['x'], remove: [] }],
				events: [{ name: 'e', attributes: { n: 1.5 }, attributeTypes: { n: 'float' }, label: 'L', tags: ['t'] }],
			},
		});
	});
	it('collects every error of an operation', () => {
		const r = checkProfileOperation({ identifiers: {}, attributes: { 'x-y': 1 }, events: [{ name: '' }], extra: 1 }, NOW);
		expect('errors' in r && r.errors.map((e) => e.category).sort()).toEqual(['attributes', 'events', 'identifiers', 'operation']);
	});
	it('installation identifier shape: installation_id, with or without apikey (both shapes seen), nothing else', () => {
		expect(checkProfileOperation({ identifiers: { installation: { installation_id: 'i' } } }, NOW)).toHaveProperty('operation.kind', 'installation');
		expect(checkProfileOperation({ identifiers: { installation: { apikey: 'k', installation_id: 'i' } } }, NOW)).toHaveProperty('operation.id', 'i');
		expect(checkProfileOperation({ identifiers: { installation: { id: 'i' } } }, NOW)).toHaveProperty('errors');
		expect(checkProfileOperation({ identifiers: { installation: { installation_id: 'i', platform: 'ios' } } }, NOW)).toHaveProperty('errors');
		expect(checkProfileOperation({ identifiers: { installation: { installation_id: 'i', apikey: '' } } }, NOW)).toHaveProperty('errors');
		expect(checkProfileOperation({ identifiers: { installation: { installation_id: ' ' } } }, NOW)).toHaveProperty('errors');
	});
	it('refuses empty and blank text values everywhere (Batch SDKs; Profile API page as quoted)', () => {
		const refused: Array<Record<string, unknown>> = [
			{ attributes: { plan: '' } },
			{ attributes: { plan: '   ' } },
			{ attributes: { $email_address: '' } },
			{ attributes: { list: ['a', ''] } },
			{ attributes: { list: { $add: [''] } } },
			{ events: [{ name: 'e', attributes: { plan: '' } }] },
			{ events: [{ name: 'e', attributes: { list: ['a', ' '] } }] },
			{ events: [{ name: 'e', attributes: { o: { inner: '' } } }] },
			{ events: [{ name: 'e', attributes: { $label: '' } }] },
			{ events: [{ name: 'e', attributes: { $tags: ['a', ''] } }] },
		];
		for (const body of refused) {
			const r = checkProfileOperation({ identifiers: { custom_id: 'u' }, ...body } as Parameters<typeof checkProfileOperation>[0], NOW);
			expect(r).toHaveProperty('errors');
			expect(JSON.stringify(r)).toMatch(/empty|blank/);
		}
		// null still deletes an attribute, native ones included.
		expect(checkProfileOperation({ identifiers: { custom_id: 'u' }, attributes: { plan: null, $email_address: null } }, NOW)).toHaveProperty('operation');
		expect(checkProfileOperation({ identifiers: { custom_id: 'u' }, attributes: { plan: ' x ' } }, NOW)).toHaveProperty('operation');
	});
	it('at most 15 events per profile per request, counted across operations (third-party cap)', () => {
		const op = (id: string, events = 1) => ({ identifiers: { custom_id: id }, events: Array.from({ length: events }, () => ({ name: 'e' })) });
		expect(checkEventsPerProfile(Array.from({ length: 15 }, () => op('u'))).size).toBe(0);
		const over = checkEventsPerProfile([...Array.from({ length: 16 }, () => op('u')), op('v'), op('u')]);
		expect([...over.keys()]).toEqual([15, 17]);
		expect(over.get(15)).toMatchObject({ category: 'events', reason: expect.stringContaining('more than 15 events for this profile') });
		expect([...checkEventsPerProfile([op('u', 16)]).keys()]).toEqual([0]);
		// Installations count per installation id; attribute-only operations do not count.
		const inst = { identifiers: { installation: { installation_id: 'i' } }, events: [{ name: 'e' }] };
		expect([...checkEventsPerProfile([...Array.from({ length: 16 }, () => inst), { identifiers: { custom_id: 'i' }, attributes: { a: 1 } }]).keys()]).toEqual([15]);
	});
	it('event attribute objects: one level of nesting, arrays of objects', () => {
		expect(checkProfileEvent({ name: 'e', attributes: { o: { a: 1, 'url(u)': 'https://e.com' } } }, NOW)).toHaveProperty('event');
		expect(checkProfileEvent({ name: 'e', attributes: { o: { a: { b: 1 } } } }, NOW)).toHaveProperty('error');
		expect(checkProfileEvent({ name: 'e', attributes: { o: [{ a: 1 }, { b: 'x' }] } }, NOW)).toHaveProperty('event');
		expect(checkProfileEvent({ name: 'e', attributes: { o: [{ a: 1 }, 'x'] } }, NOW)).toHaveProperty('error');
		expect(checkProfileEvent({ name: 'e', attributes: { $other: 1 } }, NOW)).toHaveProperty('error');
	});
});

describe('Trigger Events event', () => {
	it('accepts a documented event', () => {
		expect(
			checkTriggerEvent({ name: 'ue.added_to_cart', time: '2026-03-10T11:00:00', label: 'shoes', tags: ['a'], attributes: { sub_category: 'boots', 'date(d)': 1451642400 } }, NOW),
		).toEqual({
			event: {
				name: 'ue.added_to_cart',
				time: '2026-03-10T11:00:00',
				label: 'shoes',
				tags: ['a'],
				attributes: { sub_category: 'boots', d: 1451642400 },
				attributeTypes: { sub_category: 'string', d: 'date' },
			},
		});
	});
	it('refuses url(), nulls, objects and bad names', () => {
		const cases: Array<Record<string, unknown>> = [{ 'url(u)': 'https://e.com' }, { a: null }, { a: { b: 1 } }, { 'A-b': 1 }];
		for (const attributes of cases) {
			expect(checkTriggerEvent({ name: 'e', attributes } as Parameters<typeof checkTriggerEvent>[0], NOW)).toHaveProperty('reason');
		}
		expect(checkTriggerEvent({ name: 'ue.' }, NOW)).toHaveProperty('reason');
		expect(checkTriggerEvent('e', NOW)).toHaveProperty('reason');
	});
	it('refuses empty and blank strings: attribute values, label, tags (the MEP SDK: "can\'t be null, empty or longer than 64")', () => {
		const events: Json[] = [
			{ name: 'e', attributes: { a: '' } },
			{ name: 'e', attributes: { a: '  ' } },
			{ name: 'e', label: '' },
			{ name: 'e', tags: ['a', ''] },
		];
		for (const event of events) {
			expect(checkTriggerEvent(event, NOW)).toEqual({ reason: expect.stringMatching(/empty|blank/) });
		}
	});
});

describe('TokenBucket', () => {
	it('takes all or nothing and refills continuously up to the burst', () => {
		let t = 0;
		const b = new TokenBucket(10, 20, () => t);
		expect(b.tryTake(15)).toBe(true);
		expect(b.tryTake(10)).toBe(false);
		expect(b.available()).toBe(5);
		t += 500; // +5
		expect(b.tryTake(10)).toBe(true);
		t += 100_000;
		expect(b.available()).toBe(20);
		expect(b.secondsUntil(21)).toBe(Number.POSITIVE_INFINITY);
		b.tryTake(20);
		expect(b.secondsUntil(5)).toBeCloseTo(0.5);
		b.reset();
		expect(b.available()).toBe(20);
	});
	it('refuses a non-positive configuration', () => {
		expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
		expect(() => new TokenBucket(1, 0)).toThrow(RangeError);
	});
});

describe('FaultQueue', () => {
	it('matches in order by path substring and counts times', () => {
		const q = new FaultQueue();
		q.add([{ path: '/events/', status: 503, times: 2 }, { status: 500 }]);
		expect(q.take('/2.11/profiles/update')?.status).toBe(500);
		expect(q.take('/2.11/profiles/update')).toBeUndefined();
		expect(q.take('/1.0/k/events/users')?.status).toBe(503);
		expect(q.pending()).toEqual([expect.objectContaining({ status: 503, remaining: 1 })]);
		expect(q.take('/1.0/k/events/users')?.status).toBe(503);
		expect(q.take('/1.0/k/events/users')).toBeUndefined();
	});
	it('validates faults atomically', () => {
		const q = new FaultQueue();
		expect(() => q.add([{ status: 500 }, { times: 0 }])).toThrow(TypeError);
		expect(q.pending()).toEqual([]);
		expect(() => q.add({ status: 500 })).toThrow(TypeError);
		expect(() => q.add([{ drop: false }])).toThrow(TypeError);
		expect(() => q.add([{ rejectCustomIds: [1] }])).toThrow(TypeError);
	});
	it('Batch-style codes per status', () => {
		expect(errorCodeForStatus(503)).toBe('MAINTENANCE_ERROR');
		expect(errorCodeForStatus(429)).toBe('TOO_MANY_REQUESTS');
		expect(errorCodeForStatus(500)).toBe('SERVER_ERROR');
		expect(errorCodeForStatus(599)).toBe('SERVER_ERROR');
	});
});

describe('CLI parsing', () => {
	it('flags win over env; --flag=value and --flag value', () => {
		const { options } = parseCli(['--port=1234', '--rest-api-key', 'flag-rest', '--rate-limit', '50'], {
			BATCH_SIM_REST_API_KEY: 'env-rest',
			BATCH_SIM_PROJECT_KEY: 'project_env',
			BATCH_SIM_IOS_API_KEY: 'ENV_IOS',
		});
		expect(options).toMatchObject({
			port: 1234,
			restApiKey: 'flag-rest',
			projectKey: 'project_env',
			appApiKeys: { ios: 'ENV_IOS', android: 'SIM_ANDROID_API_KEY' },
			rateLimit: { perSecond: 50, burst: 1000 },
		});
	});
	it('--no-rate-limit and --help', () => {
		expect(parseCli(['--no-rate-limit'], {}).options.rateLimit).toBe(false);
		expect(parseCli([], { BATCH_SIM_NO_RATE_LIMIT: 'true' }).options.rateLimit).toBe(false);
		expect(parseCli(['--help'], {}).help).toBe(true);
		expect(parseCli([], {}).options).toEqual({});
	});
	it('rejects bad input', () => {
		expect(() => parseCli(['--port', '70000'], {})).toThrow(UsageError);
		expect(() => parseCli(['--rate-limit-burst', '-1'], {})).toThrow(UsageError);
		expect(() => parseCli(['--host'], {})).toThrow(UsageError);
		expect(() => parseCli(['positional'], {})).toThrow(UsageError);
	});
});

// The node (nodes/Batch/batchLimits.ts, validation.ts) and the simulator (simulator/rules.ts) state Batch's rules
// separately, on purpose: the simulator stands for Batch, and a copy written apart from the sources catches a node
// that misreads one (a shared table would make both wrong together). Written apart, they must still agree figure by
// figure, or a node test against the simulator proves nothing about Batch: this block is that cross-check.
describe("Batch's rules: the node's table and the simulator's agree", () => {
	it('value limits, Profile API', () => {
		expect(VALUE_LIMITS.profile.maxStringLength).toBe(LIMITS.profileStringLength);
		expect(VALUE_LIMITS.profile.maxEventAttributes).toBe(LIMITS.profileEventAttributes);
		expect(VALUE_LIMITS.profile.maxUrlLength).toBe(LIMITS.urlLength);
		expect(VALUE_LIMITS.profile.maxStringListItems).toBe(LIMITS.stringArrayItems);
		expect(MAX_EVENTS_PER_PROFILE_PER_REQUEST).toBe(LIMITS.profileEventsPerRequest);
	});
	it('value limits, Trigger Events API', () => {
		expect(VALUE_LIMITS.triggerEvents.maxStringLength).toBe(LIMITS.triggerStringLength);
		expect(VALUE_LIMITS.triggerEvents.maxEventAttributes).toBe(LIMITS.triggerEventAttributes);
		expect(API_MAX_OPERATIONS.triggerEvents).toBe(LIMITS.triggerEventsPerRequest);
	});
	it('names, identifiers, label, tags, event window, native attributes, empty text', () => {
		expect(MAX_NAME_LENGTH).toBe(LIMITS.attributeNameLength);
		expect(MAX_NAME_LENGTH).toBe(LIMITS.eventNameLength);
		expect(MAX_CUSTOM_ID_LENGTH).toBe(LIMITS.customIdLength);
		expect(MAX_LABEL_LENGTH).toBe(LIMITS.labelLength);
		expect(MAX_TAGS).toBe(LIMITS.tagsCount);
		expect(MAX_TAG_LENGTH).toBe(LIMITS.tagLength);
		expect(MAX_EVENT_AGE_MS).toBe(LIMITS.eventWindowMs);
		expect([...NODE_NATIVE_PROFILE_ATTRIBUTES].sort()).toEqual([...NATIVE_PROFILE_ATTRIBUTES].sort());
		for (const text of ['', ' ', '\t\n', 'a', ' a ']) expect(nodeIsEmptyText(text)).toBe(isEmptyText(text));
	});
});

// The Profile API's operation caps and rate budgets, each from
// https://doc.batch.com/developer/api/cep/profiles/mass-update-profile and https://doc.batch.com/developer/api/cep/profiles.
describe('Profile API limits: the node and the simulator agree', () => {
	it('operations per call', () => {
		expect(PROFILE_ENDPOINTS.update.maxOperations).toBe(API_MAX_OPERATIONS.profile);
		expect(PROFILE_ENDPOINTS['mass-update'].maxOperations).toBe(MASS_UPDATE_MAX_OPERATIONS);
		expect(LIMITS.profileMassUpdateOperations).toBe(MASS_UPDATE_MAX_OPERATIONS);
		expect(MASS_UPDATE_MAX_OPERATIONS).toBe(10_000);
	});
	it('rate budgets: /profiles/update 300/s burst 1000; /profiles/mass-update 10 000/s, no burst', () => {
		expect(DEFAULTS.rateLimit).toEqual({ perSecond: DEFAULT_RATE_LIMIT_PER_SECOND, burst: DEFAULT_RATE_LIMIT_BURST });
		expect(DEFAULTS.massUpdateRateLimit).toEqual({ perSecond: MASS_UPDATE_RATE_PER_SECOND, burst: MASS_UPDATE_RATE_BURST });
		expect(MASS_UPDATE_RATE_PER_SECOND).toBe(10_000);
		expect(MASS_UPDATE_RATE_BURST).toBe(MASS_UPDATE_RATE_PER_SECOND);
		expect(resolveOptions().massUpdateRateLimit).toEqual({ perSecond: 10_000, burst: 10_000 });
		// rateLimit: false turns both off unless the mass-update one is given.
		expect(resolveOptions({ rateLimit: false }).massUpdateRateLimit).toBe(false);
		expect(resolveOptions({ rateLimit: false, massUpdateRateLimit: { perSecond: 5, burst: 5 } }).massUpdateRateLimit).toEqual({ perSecond: 5, burst: 5 });
		expect(() => resolveOptions({ massUpdateRateLimit: { perSecond: 1, burst: 0 } })).toThrow(RangeError);
	});
	it('a no-burst bucket never banks more than one second of rate', () => {
		let t = 0;
		const b = new TokenBucket(MASS_UPDATE_RATE_PER_SECOND, MASS_UPDATE_RATE_BURST, () => t);
		t += 3_600_000;
		expect(b.available()).toBe(10_000);
		expect(b.tryTake(10_000)).toBe(true);
		expect(b.tryTake(1)).toBe(false);
		expect(b.secondsUntil(10_000)).toBeCloseTo(1);
		t += 250;
		expect(b.available()).toBeCloseTo(2_500);
		expect(b.secondsUntil(10_001)).toBe(Number.POSITIVE_INFINITY);
	});
});

describe('endpoints', () => {
	it('names the endpoint of a path', () => {
		expect(endpointOf('/2.11/profiles/update')).toBe('profiles/update');
		expect(endpointOf('/2.4/profiles/mass-update')).toBe('profiles/mass-update');
		expect(endpointOf('/2.4/profiles/mass-update/')).toBe('profiles/mass-update');
		expect(endpointOf('/2.4/profiles/massupdate')).toBe('unknown');
		expect(endpointOf('/1.0/KEY/events/users/u')).toBe('trigger-events');
		expect(endpointOf('/1.0/KEY/events/users')).toBe('trigger-events');
		expect(endpointOf('/2.11/orchestrations/list')).toBe('orchestrations/list');
		expect(endpointOf('/')).toBe('unknown');
	});
	it('counts per endpoint: partial answers, 429s, faults, whole-request rejections', () => {
		const c = new EndpointCounters();
		c.count({ endpoint: 'profiles/mass-update', status: 202, operations: 10_000, accepted: 9_990, rejected: 10 });
		c.count({ endpoint: 'profiles/mass-update', status: 429, operations: 10_000 });
		c.count({ endpoint: 'profiles/mass-update', status: 429, operations: 0, fault: 'status' });
		c.count({ endpoint: 'profiles/mass-update', status: 400, operations: 10_001 });
		c.count({ endpoint: 'profiles/mass-update', status: 0, operations: 0, fault: 'drop' });
		c.count({ endpoint: 'trigger-events', status: 202, operations: 3 });
		const s = c.snapshot();
		expect(s['profiles/mass-update']).toEqual({
			requests: 5,
			operations: 30_001,
			maxOperations: 10_001,
			acceptedOperations: 9_990,
			rejectedOperations: 10,
			rejectedRequests: 1,
			rateLimited: 1,
			faultsInjected: 2,
		});
		expect(s['trigger-events']).toMatchObject({ requests: 1, acceptedOperations: 3 });
		expect(s['profiles/update'].requests).toBe(0);
		s['profiles/update'].requests = 99; // a copy
		expect(c.snapshot()['profiles/update'].requests).toBe(0);
		c.reset();
		expect(c.snapshot()['profiles/mass-update'].requests).toBe(0);
	});
	it('CLI: --mass-update-rate-limit sets a no-burst bucket; --no-rate-limit wins', () => {
		expect(parseCli(['--mass-update-rate-limit', '2000'], {}).options.massUpdateRateLimit).toEqual({ perSecond: 2000, burst: 2000 });
		expect(parseCli([], { BATCH_SIM_MASS_UPDATE_RATE_LIMIT: '500' }).options.massUpdateRateLimit).toEqual({ perSecond: 500, burst: 500 });
		const off = parseCli(['--no-rate-limit', '--mass-update-rate-limit', '2000'], {}).options;
		expect(off).toEqual({ rateLimit: false });
		expect(() => parseCli(['--mass-update-rate-limit', '0'], {})).toThrow(UsageError);
	});
});
