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
} from '../../nodes/Batch/batchLimits';
import { DEFAULTS, resolveOptions } from '../../simulator/batchSimulator';
import { parseCli, UsageError } from '../../simulator/cli';
import { EndpointCounters, endpointOf } from '../../simulator/endpoints';
import { FaultQueue, errorCodeForStatus } from '../../simulator/faults';
import { PROFILE_ENDPOINTS } from '../../simulator/profileApi';
import {
	LIMITS,
	checkEventTime,
	checkProfileEvent,
	checkProfileOperation,
	checkTriggerEvent,
	isValidIso8601,
	isValidUrl,
	parseIso8601,
	parseTriggerTime,
	parseTypedKey,
} from '../../simulator/rules';
import { TokenBucket } from '../../simulator/tokenBucket';

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
	it('installation identifier shape', () => {
		expect(checkProfileOperation({ identifiers: { installation: { installation_id: 'i' } } }, NOW)).toHaveProperty('operation.kind', 'installation');
		expect(checkProfileOperation({ identifiers: { installation: { id: 'i' } } }, NOW)).toHaveProperty('errors');
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

// The node (nodes/Batch/batchLimits.ts) and the simulator state Batch's limits separately, each from
// https://doc.batch.com/developer/api/cep/profiles/mass-update-profile and https://doc.batch.com/developer/api/cep/profiles;
// they must agree, or a node test against the simulator proves nothing about Batch.
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
