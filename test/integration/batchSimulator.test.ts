/**
 * The Batch API simulator over real HTTP on 127.0.0.1 (Node 20's global fetch).
 */
import { startBatchSimulator, type BatchSimulator } from '../../simulator/batchSimulator';

const REST = 'test-rest-key';
const PROJECT = 'project_test';
const IOS = 'IOS_LIVE_KEY';
const ANDROID = 'ANDROID_LIVE_KEY';
const NOW = Date.parse('2026-03-10T12:00:00.000Z');

const projectHeaders = { Authorization: `Bearer ${REST}`, 'X-Batch-Project': PROJECT, 'Content-Type': 'application/json' };

let sim: BatchSimulator;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
	const res = await fetch(`${sim.url}${path}`, {
		method,
		headers,
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json: any;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		json = text;
	}
	return { status: res.status, json, headers: res.headers };
}
const update = (ops: unknown, version = '2.11', headers = projectHeaders) => call('POST', `/${version}/profiles/update`, ops, headers);
const trigger = (path: string, body: unknown, headers: Record<string, string> = { 'X-Authorization': REST }) =>
	call('POST', `/1.0/${path}`, body, headers);
const iso = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const triggerTime = (offsetMs: number) => new Date(NOW + offsetMs).toISOString().slice(0, 19);

beforeEach(async () => {
	sim = await startBatchSimulator({
		restApiKey: REST,
		projectKey: PROJECT,
		appApiKeys: { ios: IOS, android: ANDROID },
		now: () => NOW,
	});
});
afterEach(async () => {
	await sim.close();
});

describe('startup', () => {
	it('listens on a random port of 127.0.0.1', () => {
		expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(sim.port).toBeGreaterThan(0);
		expect(sim.url.endsWith(`:${sim.port}`)).toBe(true);
	});
	it('refuses a bad rate limit', async () => {
		await expect(startBatchSimulator({ rateLimit: { perSecond: 0, burst: 5 } })).rejects.toThrow(RangeError);
	});
});

describe('Profile API authentication', () => {
	const op = [{ identifiers: { custom_id: 'u1' } }];
	it('accepts the right Bearer key and project', async () => {
		const r = await update(op);
		expect(r.status).toBe(202);
		expect(r.json).toEqual({ code: 'SUCCESS' });
	});
	it('401 AUTHENTICATION_INVALID without Authorization', async () => {
		const r = await update(op, '2.11', { 'X-Batch-Project': PROJECT } as any);
		expect(r.status).toBe(401);
		expect(r.json).toEqual({ error_code: 'AUTHENTICATION_INVALID', error_message: expect.any(String) });
	});
	it('401 with a wrong key, or the key without "Bearer"', async () => {
		expect((await update(op, '2.11', { ...projectHeaders, Authorization: 'Bearer nope' })).status).toBe(401);
		expect((await update(op, '2.11', { ...projectHeaders, Authorization: REST })).status).toBe(401);
	});
	it('401 for a wrong project, 400 MISSING_PARAMETER without X-Batch-Project', async () => {
		const wrong = await update(op, '2.11', { ...projectHeaders, 'X-Batch-Project': 'project_other' });
		expect(wrong.status).toBe(401);
		expect(wrong.json.error_message).toMatch(/not valid for this project/);
		const missing = await update(op, '2.11', { Authorization: `Bearer ${REST}` } as any);
		expect(missing.status).toBe(400);
		expect(missing.json.error_code).toBe('MISSING_PARAMETER');
	});
	it('records nothing on an auth failure', async () => {
		await update(op, '2.11', { ...projectHeaders, Authorization: 'Bearer nope' });
		expect(sim.profile('custom_id', 'u1')).toBeUndefined();
	});
	it('accepts any 2.x version, 404 on other routes', async () => {
		for (const v of ['2.1', '2.6', '2.11']) expect((await update(op, v)).status).toBe(202);
		expect((await update(op, '1.0')).status).toBe(404);
		expect((await update(op, '3.0')).status).toBe(404);
		const r = await call('POST', '/2.11/profiles/unknown', op, projectHeaders);
		expect(r.status).toBe(404);
		expect(r.json.error_code).toBe('ROUTE_NOT_FOUND');
	});
	it('405 for GET on the update route', async () => {
		const r = await call('GET', '/2.11/profiles/update', undefined, projectHeaders);
		expect(r.status).toBe(405);
	});
});

describe('Profile API whole-request problems', () => {
	it('400 MALFORMED_JSON_BODY on bad JSON', async () => {
		const r = await update('[{"identifiers":');
		expect(r.status).toBe(400);
		expect(r.json.error_code).toBe('MALFORMED_JSON_BODY');
	});
	it('400 INVALID_PAYLOAD when the body is not an array or is empty', async () => {
		expect((await update({ identifiers: { custom_id: 'x' } })).json.error_code).toBe('INVALID_PAYLOAD');
		expect((await update([])).status).toBe(400);
	});
	it('200 operations pass, 201 are rejected whole', async () => {
		const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ identifiers: { custom_id: `u${i}` } }));
		const ok = await update(ops(200));
		expect(ok.status).toBe(202);
		expect(sim.stats().acceptedOperations).toBe(200);
		const tooMany = await update(ops(201).map((o, i) => ({ identifiers: { custom_id: `v${i}` } })));
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.error_code).toBe('TOO_MANY_OPERATIONS');
		expect(sim.profile('custom_id', 'v0')).toBeUndefined();
	});
	it('mass-update takes more than 200 operations', async () => {
		const ops = Array.from({ length: 500 }, (_, i) => ({ identifiers: { custom_id: `m${i}` } }));
		const r = await call('POST', '/2.11/profiles/mass-update', ops, projectHeaders);
		expect(r.status).toBe(202);
		expect(sim.profile('custom_id', 'm499')).toBeDefined();
	});
	it('413 PAYLOAD_TOO_LARGE over the body limit', async () => {
		await sim.close();
		sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT, maxBodyBytes: 1024 });
		const big = [{ identifiers: { custom_id: 'x' }, attributes: { a: 'y'.repeat(2000) } }];
		const r = await update(big);
		expect(r.status).toBe(413);
		expect(r.json.error_code).toBe('PAYLOAD_TOO_LARGE');
		expect(sim.requests.at(-1)?.status).toBe(413);
	});
});

describe('Profile API recording', () => {
	it('records typed attributes, merges across updates, null deletes', async () => {
		const r1 = await update([
			{
				identifiers: { custom_id: 'jane' },
				attributes: {
					plan: 'gold',
					seats: 3,
					ratio: 0.5,
					trial: false,
					'date(renews_at)': '2026-04-10T12:00:00Z',
					'url(portal)': 'https://example.com/account',
					interests: ['bikes', 'cinema'],
					$email_address: 'jane@example.com',
					$email_marketing: 'subscribed',
				},
			},
		]);
		expect(r1.json).toEqual({ code: 'SUCCESS' });
		await update([{ identifiers: { custom_id: 'jane' }, attributes: { plan: 'platinum', trial: null, interests: { $add: ['music'], $remove: ['bikes'] } } }]);
		const p = sim.profile('custom_id', 'jane');
		expect(p?.attributes).toEqual({
			plan: 'platinum',
			seats: 3,
			ratio: 0.5,
			renews_at: '2026-04-10T12:00:00Z',
			portal: 'https://example.com/account',
			interests: ['cinema', 'music'],
			$email_address: 'jane@example.com',
			$email_marketing: 'subscribed',
		});
		expect(p?.attributeTypes).toMatchObject({ plan: 'string', seats: 'integer', ratio: 'float', renews_at: 'date', portal: 'url', interests: 'array' });
		expect(p?.attributeTypes.trial).toBeUndefined();
	});

	it('records events in arrival order with time, attributes, label and tags', async () => {
		await update([
			{
				identifiers: { custom_id: 'jane' },
				events: [
					{
						name: 'subscription_renewed',
						time: iso(-60_000),
						attributes: {
							$label: 'premium_monthly',
							$tags: ['ios', 'renewal'],
							price: 9.99,
							'date(expires_at)': '2026-04-10T12:00:00Z',
							'url(receipt)': 'https://example.com/r/1',
							product: { sku: 'p1', 'url(page)': 'https://example.com/p1' },
							items: [{ name: 'a' }, { name: 'b' }],
						},
					},
				],
			},
		]);
		await update([{ identifiers: { custom_id: 'jane' }, events: [{ name: 'second' }] }]);
		const p = sim.profile('custom_id', 'jane')!;
		expect(p.events.map((e) => e.name)).toEqual(['subscription_renewed', 'second']);
		const [first, second] = p.events;
		expect(first.time).toBe(iso(-60_000));
		expect(first.label).toBe('premium_monthly');
		expect(first.tags).toEqual(['ios', 'renewal']);
		expect(first.attributes).toEqual({
			price: 9.99,
			expires_at: '2026-04-10T12:00:00Z',
			receipt: 'https://example.com/r/1',
			product: { sku: 'p1', 'url(page)': 'https://example.com/p1' },
			items: [{ name: 'a' }, { name: 'b' }],
		});
		expect(first.attributeTypes).toMatchObject({ price: 'float', expires_at: 'date', receipt: 'url', product: 'object', items: 'array' });
		expect(first.attributes.$label).toBeUndefined();
		// No time sent → the arrival time (the simulator's clock).
		expect(second.time).toBe(new Date(NOW).toISOString());
	});

	it('keeps installation profiles apart from custom_id ones', async () => {
		const r = await update([
			{ identifiers: { installation: { installation_id: 'inst-1' } }, attributes: { a: 1 } },
			{ identifiers: { custom_id: 'inst-1' }, attributes: { a: 2 } },
		]);
		expect(r.json).toEqual({ code: 'SUCCESS' });
		expect(sim.profile('installation', 'inst-1')?.attributes).toEqual({ a: 1 });
		expect(sim.profile('custom_id', 'inst-1')?.attributes).toEqual({ a: 2 });
	});
});

describe('Profile API per-operation errors (SUCCESS_WITH_PARTIAL_ERRORS)', () => {
	const good = (id: string) => ({ identifiers: { custom_id: id }, attributes: { ok: true } });

	async function expectOneBad(bad: unknown, category: string, attribute?: string) {
		const r = await update([good('a'), bad, good('c')]);
		expect(r.status).toBe(202);
		expect(r.json.code).toBe('SUCCESS_WITH_PARTIAL_ERRORS');
		expect(r.json.errors.length).toBeGreaterThanOrEqual(1);
		for (const e of r.json.errors) {
			expect(e.bulk_index).toBe(1);
			expect(e.category).toBe(category);
			expect(typeof e.reason).toBe('string');
		}
		if (attribute) expect(r.json.errors[0].attribute).toBe(attribute);
		expect(sim.profile('custom_id', 'a')).toBeDefined();
		expect(sim.profile('custom_id', 'c')).toBeDefined();
		expect(sim.profile('custom_id', 'b')).toBeUndefined();
		return r.json.errors;
	}

	it('identifiers: none, both kinds, empty, too long, bad installation shape', async () => {
		await expectOneBad({ attributes: { x: 1 } }, 'identifiers');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b', installation: { installation_id: 'i' } } }, 'identifiers');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: '' } }, 'identifiers');
		sim.reset();
		const long = await update([{ identifiers: { custom_id: 'x'.repeat(1025) } }, { identifiers: { custom_id: 'y'.repeat(1024) } }]);
		expect(long.json.errors).toEqual([expect.objectContaining({ bulk_index: 0, category: 'identifiers' })]);
		sim.reset();
		await expectOneBad({ identifiers: { installation: 'b' } }, 'identifiers');
	});

	it('attribute names and values', async () => {
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { 'bad-name': 1 } }, 'attributes', 'bad-name');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { ['a'.repeat(31)]: 1 } }, 'attributes');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { s: 'x'.repeat(301) } }, 'attributes', 's');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { 'date(d)': 'yesterday' } }, 'attributes', 'date(d)');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { 'url(u)': 'not a url' } }, 'attributes', 'url(u)');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { 'url(u)': `https://e.com/${'a'.repeat(2048)}` } }, 'attributes');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { list: Array.from({ length: 26 }, (_, i) => `v${i}`) } }, 'attributes');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { obj: { a: 1 } } }, 'attributes');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { $unknown_native: 'x' } }, 'attributes');
		sim.reset();
		await expectOneBad({ identifiers: { custom_id: 'b' }, attributes: { $email_marketing: 'maybe' } }, 'attributes');
	});

	it('limits that pass exactly at the edge', async () => {
		const r = await update([
			{
				identifiers: { custom_id: 'edge' },
				attributes: { ['a'.repeat(30)]: 'x'.repeat(300), list: Array.from({ length: 25 }, (_, i) => `v${i}`) },
				events: [
					{
						name: 'e'.repeat(30),
						attributes: {
							$label: 'l'.repeat(200),
							$tags: Array.from({ length: 10 }, () => 't'.repeat(64)),
							...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])),
						},
					},
				],
			},
		]);
		expect(r.json).toEqual({ code: 'SUCCESS' });
	});

	it('event rules: name, time window, attribute count, $label, $tags', async () => {
		const ev = (e: unknown) => ({ identifiers: { custom_id: 'b' }, events: [e] });
		const cases: unknown[] = [
			{ name: 'has space' },
			{ name: 'e'.repeat(31) },
			{},
			{ name: 'old', time: iso(-24 * 3600_000 - 1000) },
			{ name: 'future', time: iso(60_000) },
			{ name: 'badtime', time: 'yesterday' },
			{ name: 'many', attributes: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) },
			{ name: 'label', attributes: { $label: 'l'.repeat(201) } },
			{ name: 'tags', attributes: { $tags: Array.from({ length: 11 }, () => 't') } },
			{ name: 'tag', attributes: { $tags: ['t'.repeat(65)] } },
			{ name: 'str', attributes: { s: 'x'.repeat(301) } },
			{ name: 'nul', attributes: { s: null } },
		];
		for (const c of cases) {
			sim.reset();
			await expectOneBad(ev(c), 'events');
		}
		// Just inside the window.
		sim.reset();
		const inside = await update([ev({ name: 'ok', time: iso(-24 * 3600_000 + 1000) })]);
		expect(inside.json).toEqual({ code: 'SUCCESS' });
	});

	it('reports every bad operation by its bulk_index and counts them', async () => {
		const r = await update([
			{ identifiers: { custom_id: 'x' }, events: [{ name: 'bad name' }] },
			good('ok'),
			{ identifiers: {} },
			'not an object',
		]);
		expect(r.json.code).toBe('SUCCESS_WITH_PARTIAL_ERRORS');
		expect([...new Set(r.json.errors.map((e: any) => e.bulk_index))]).toEqual([0, 2, 3]);
		expect(sim.stats()).toMatchObject({ acceptedOperations: 1, rejectedOperations: 3 });
		// A partially failed operation records nothing at all (not even its valid attributes).
		expect(sim.profile('custom_id', 'x')).toBeUndefined();
	});

	it('partial errors on demand through a fault (by index and by custom_id)', async () => {
		sim.injectFaults([{ rejectOperations: [0], rejectCustomIds: ['c'], reason: 'nope' }]);
		const r = await update([good('a'), good('b'), good('c')]);
		expect(r.json).toEqual({
			code: 'SUCCESS_WITH_PARTIAL_ERRORS',
			errors: [
				{ bulk_index: 0, category: 'operation', reason: 'nope' },
				{ bulk_index: 2, category: 'operation', reason: 'nope' },
			],
		});
		expect(sim.profile('custom_id', 'b')).toBeDefined();
		expect(sim.profile('custom_id', 'a')).toBeUndefined();
		expect(sim.requests.at(-1)?.fault).toBe('partial');
		// Used once.
		expect((await update([good('a')])).json).toEqual({ code: 'SUCCESS' });
	});
});

describe('orchestrations/list (credential test route)', () => {
	it('200 with an empty list when authenticated, writes nothing', async () => {
		const r = await call('GET', '/2.11/orchestrations/list?limit=10', undefined, projectHeaders);
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ orchestrations: [], count: 0, has_more: false });
		expect(sim.stats().acceptedOperations).toBe(0);
	});
	it('401 for a wrong key or project, 400 for a bad limit', async () => {
		expect((await call('GET', '/2.5/orchestrations/list', undefined, { ...projectHeaders, Authorization: 'Bearer x' })).status).toBe(401);
		expect((await call('GET', '/2.5/orchestrations/list', undefined, { ...projectHeaders, 'X-Batch-Project': 'p' })).status).toBe(401);
		expect((await call('GET', '/2.5/orchestrations/list?limit=101', undefined, projectHeaders)).status).toBe(400);
	});
});

describe('Trigger Events API', () => {
	const event = (extra: Record<string, unknown> = {}) => ({ name: 'subscription_renewed', ...extra });

	it('single-user route records per app key and user', async () => {
		const r = await trigger(`${IOS}/events/users/user%201`, {
			events: [
				event({
					time: triggerTime(-3600_000),
					label: 'premium',
					tags: ['ios'],
					attributes: { plan: 'gold', seats: 2, ratio: 1.5, trial: true, 'date(expires)': 1_773_144_000, 'date(starts)': '2026-03-01T00:00:00' },
				}),
				event({ name: 'ue.second' }),
			],
		});
		expect(r.status).toBe(202);
		expect(r.json).toEqual({ token: expect.any(String) });
		const recorded = sim.triggerEvents(IOS, 'user 1');
		expect(recorded).toHaveLength(2);
		expect(recorded[0]).toMatchObject({
			platform: 'ios',
			appApiKey: IOS,
			customId: 'user 1',
			name: 'subscription_renewed',
			time: triggerTime(-3600_000),
			label: 'premium',
			tags: ['ios'],
			attributes: { plan: 'gold', seats: 2, ratio: 1.5, trial: true, expires: 1_773_144_000, starts: '2026-03-01T00:00:00' },
			attributeTypes: { plan: 'string', seats: 'integer', ratio: 'float', trial: 'boolean', expires: 'date', starts: 'date' },
		});
		// No time → arrival time in YYYY-MM-ddTHH:mm:ss.
		expect(recorded[1].time).toBe(triggerTime(0));
		expect(sim.triggerEvents(ANDROID)).toEqual([]);
		expect(sim.stats().acceptedTriggerEvents).toBe(2);
	});

	it('bulk route records several users', async () => {
		const r = await trigger(`${ANDROID}/events/users`, [
			{ id: 'a', events: [event()] },
			{ id: 'b', events: [event(), event({ name: 'other' })] },
		]);
		expect(r.status).toBe(202);
		expect(sim.triggerEvents(ANDROID).map((e) => [e.customId, e.name, e.platform])).toEqual([
			['a', 'subscription_renewed', 'android'],
			['b', 'subscription_renewed', 'android'],
			['b', 'other', 'android'],
		]);
		expect(sim.triggerEvents(undefined, 'b')).toHaveLength(2);
	});

	it('auth: X-Authorization required and checked; unknown app key refused', async () => {
		const body = { events: [event()] };
		expect((await trigger(`${IOS}/events/users/u`, body, {})).status).toBe(401);
		expect((await trigger(`${IOS}/events/users/u`, body, { 'X-Authorization': 'wrong' })).status).toBe(401);
		// The Profile API's Bearer header is not what this API reads.
		expect((await trigger(`${IOS}/events/users/u`, body, { Authorization: `Bearer ${REST}` })).status).toBe(401);
		const unknown = await trigger('NOT_A_KEY/events/users/u', body);
		expect(unknown.status).toBe(401);
		expect(unknown.json).toEqual({ error_code: 'AUTHENTICATION_INVALID', error_message: expect.any(String) });
		expect(sim.triggerEvents()).toEqual([]);
	});

	it('wrong wrappers are 400 MISSING_PARAMETER; bad JSON 400', async () => {
		expect((await trigger(`${IOS}/events/users/u`, [event()])).json.error_code).toBe('MISSING_PARAMETER');
		expect((await trigger(`${IOS}/events/users`, { events: [event()] })).json.error_code).toBe('MISSING_PARAMETER');
		expect((await trigger(`${IOS}/events/users`, [{ events: [event()] }])).status).toBe(400);
		expect((await trigger(`${IOS}/events/users/u`, '{oops')).json.error_code).toBe('MALFORMED_JSON_BODY');
	});

	it('1000 events pass, 1001 are refused (single and bulk)', async () => {
		const many = (n: number) => Array.from({ length: n }, () => event());
		expect((await trigger(`${IOS}/events/users/u`, { events: many(1000) })).status).toBe(202);
		const single = await trigger(`${IOS}/events/users/u`, { events: many(1001) });
		expect(single.status).toBe(400);
		expect(single.json.error_code).toBe('TOO_MANY_EVENTS');
		const bulk = await trigger(`${IOS}/events/users`, [
			{ id: 'a', events: many(500) },
			{ id: 'b', events: many(501) },
		]);
		expect(bulk.status).toBe(400);
		expect(sim.triggerEvents(IOS)).toHaveLength(1000);
	});

	it('any invalid event rejects the whole call with 400 and records nothing', async () => {
		const bad: Array<Record<string, unknown>> = [
			{ name: 'has space' },
			{ label: 'no name' },
			{ name: 'e', time: triggerTime(-24 * 3600_000 - 1000) },
			{ name: 'e', time: triggerTime(60_000) },
			{ name: 'e', time: '2026-03-10 11:00:00' },
			{ name: 'e', label: 'l'.repeat(201) },
			{ name: 'e', tags: Array.from({ length: 11 }, () => 't') },
			{ name: 'e', tags: ['t'.repeat(65)] },
			{ name: 'e', attributes: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i])) },
			{ name: 'e', attributes: { Upper: 'x' } },
			{ name: 'e', attributes: { ['a'.repeat(31)]: 'x' } },
			{ name: 'e', attributes: { s: 'x'.repeat(65) } },
			{ name: 'e', attributes: { list: ['a'] } },
			{ name: 'e', attributes: { 'date(d)': 'tomorrow' } },
			{ name: 'e', unknown_field: 1 },
		];
		for (const b of bad) {
			const r = await trigger(`${IOS}/events/users`, [
				{ id: 'ok', events: [event()] },
				{ id: 'bad', events: [b] },
			]);
			expect({ b, status: r.status }).toEqual({ b, status: 400 });
			expect(r.json.error_code).toBe('MALFORMED_PARAMETER');
			expect(r.json.error_message).toMatch(/^\[1\]\.events\[0\]: /);
		}
		expect(sim.triggerEvents()).toEqual([]);
		expect(sim.stats().rejectedRequests).toBe(bad.length);
	});

	it('accepts the documented edges', async () => {
		const r = await trigger(`${IOS}/events/users/u`, {
			events: [
				{
					name: 'e',
					time: triggerTime(-24 * 3600_000 + 1000),
					label: 'l'.repeat(200),
					tags: Array.from({ length: 10 }, () => 't'.repeat(64)),
					attributes: { ...Object.fromEntries(Array.from({ length: 14 }, (_, i) => [`k${i}`, 'x'.repeat(64)])), ['a'.repeat(30)]: 1 },
				},
			],
		});
		expect(r.status).toBe(202);
	});
});

describe('rate limit (token bucket, one token per operation)', () => {
	beforeEach(async () => {
		await sim.close();
		sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT, rateLimit: { perSecond: 5, burst: 5 } });
	});
	const ops = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ identifiers: { custom_id: `${p}${i}` } }));

	it('answers 429 TOO_MANY_REQUESTS when the bucket is short, records nothing, then refills', async () => {
		expect((await update(ops(3, 'a'))).status).toBe(202);
		const limited = await update(ops(3, 'b'));
		expect(limited.status).toBe(429);
		expect(limited.json).toEqual({ error_code: 'TOO_MANY_REQUESTS', error_message: expect.any(String) });
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(sim.profile('custom_id', 'b0')).toBeUndefined();
		expect((await update(ops(2, 'c'))).status).toBe(202);
		expect((await update(ops(1, 'd'))).status).toBe(429);
		expect(sim.stats().rateLimited).toBe(2);
		await new Promise((r) => setTimeout(r, 700)); // ≥ 3 tokens back at 5/s
		expect((await update(ops(3, 'e'))).status).toBe(202);
	});

	it('a request larger than the burst is never accepted', async () => {
		expect((await update(ops(6, 'x'))).status).toBe(429);
	});

	it('rateLimit: false disables it', async () => {
		await sim.close();
		sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT, rateLimit: false });
		for (let i = 0; i < 10; i++) expect((await update(ops(200, `r${i}_`))).status).toBe(202);
	});

	it('reset() refills the bucket', async () => {
		expect((await update(ops(5, 'a'))).status).toBe(202);
		expect((await update(ops(1, 'b'))).status).toBe(429);
		sim.reset();
		expect((await update(ops(5, 'c'))).status).toBe(202);
	});
});

describe('faults', () => {
	const op = [{ identifiers: { custom_id: 'f' } }];

	it('answers the status with a Batch-style body, records nothing, then recovers', async () => {
		sim.injectFaults([{ status: 500 }, { status: 502 }, { status: 503 }]);
		const r500 = await update(op);
		expect(r500.status).toBe(500);
		expect(r500.json.error_code).toBe('SERVER_ERROR');
		expect((await update(op)).status).toBe(502);
		const r503 = await update(op);
		expect(r503.status).toBe(503);
		expect(r503.json.error_code).toBe('MAINTENANCE_ERROR');
		expect(sim.profile('custom_id', 'f')).toBeUndefined();
		expect((await update(op)).status).toBe(202);
		expect(sim.stats().faultsInjected).toBe(3);
	});

	it('429 with and without Retry-After; custom body', async () => {
		sim.injectFaults([{ status: 429, retryAfter: 2 }, { status: 429 }, { status: 418, body: { hello: 'world' } }]);
		const a = await update(op);
		expect(a.status).toBe(429);
		expect(a.headers.get('retry-after')).toBe('2');
		expect(a.json.error_code).toBe('TOO_MANY_REQUESTS');
		const b = await update(op);
		expect(b.status).toBe(429);
		expect(b.headers.get('retry-after')).toBeNull();
		const c = await update(op);
		expect(c.status).toBe(418);
		expect(c.json).toEqual({ hello: 'world' });
	});

	it('times and path matching', async () => {
		sim.injectFaults([{ status: 503, times: 2, path: '/events/users' }]);
		expect((await update(op)).status).toBe(202);
		expect((await trigger(`${IOS}/events/users/u`, { events: [{ name: 'e' }] })).status).toBe(503);
		expect((await trigger(`${IOS}/events/users/u`, { events: [{ name: 'e' }] })).status).toBe(503);
		expect((await trigger(`${IOS}/events/users/u`, { events: [{ name: 'e' }] })).status).toBe(202);
		expect(sim.triggerEvents()).toHaveLength(1);
	});

	it('drop destroys the connection without an answer', async () => {
		sim.injectFaults([{ drop: true }]);
		await expect(fetch(`${sim.url}/2.11/profiles/update`, { method: 'POST', headers: projectHeaders, body: JSON.stringify(op) })).rejects.toThrow();
		expect(sim.profile('custom_id', 'f')).toBeUndefined();
		expect(sim.requests.at(-1)).toMatchObject({ status: 0, fault: 'drop' });
		expect((await update(op)).status).toBe(202);
	});

	it('delay-only waits at least delayMs, then handles the request normally', async () => {
		sim.injectFaults([{ delayMs: 300 }]);
		const t0 = performance.now();
		const r = await update(op);
		expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
		expect(r.status).toBe(202);
		expect(sim.profile('custom_id', 'f')).toBeDefined();
		expect(sim.requests.at(-1)?.fault).toBe('delay');
	});

	it('delay + status', async () => {
		sim.injectFaults([{ delayMs: 200, status: 503 }]);
		const t0 = performance.now();
		expect((await update(op)).status).toBe(503);
		expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
	});

	it('clearFaults() disarms; malformed faults are refused', async () => {
		sim.injectFaults([{ status: 500, times: 5 }]);
		sim.clearFaults();
		expect((await update(op)).status).toBe(202);
		expect(() => sim.injectFaults([{ status: 'x' } as any])).toThrow(TypeError);
		expect(() => sim.injectFaults([{ nope: 1 } as any])).toThrow(TypeError);
		expect(() => sim.injectFaults([{ rejectOperations: [0], status: 500 }])).toThrow(TypeError);
	});

	it('close() ends promptly even with a pending delayed request', async () => {
		sim.injectFaults([{ delayMs: 10_000 }]);
		const pending = update(op).catch((e: unknown) => e);
		await new Promise((r) => setTimeout(r, 100));
		const t0 = performance.now();
		await sim.close();
		expect(performance.now() - t0).toBeLessThan(2000);
		// fetch's TypeError comes from another realm than jest's: check by name.
		expect(await pending).toHaveProperty('name', 'TypeError');
		sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT }); // for afterEach
	});
});

describe('request log and stats', () => {
	it('logs method, path, status, operations, duration and no secret', async () => {
		await update([{ identifiers: { custom_id: 'a' } }, { identifiers: { custom_id: 'b' } }]);
		await update([{ identifiers: { custom_id: 'a' } }], '2.11', { ...projectHeaders, Authorization: 'Bearer wrong-secret' });
		await trigger(`${IOS}/events/users/u`, { events: [{ name: 'e' }] });
		const log = sim.requests;
		expect(log).toHaveLength(3);
		expect(log[0]).toMatchObject({ seq: 1, method: 'POST', path: '/2.11/profiles/update', api: 'profile', status: 202, operations: 2, code: 'SUCCESS' });
		expect(log[0].durationMs).toBeGreaterThanOrEqual(0);
		expect(log[1]).toMatchObject({ status: 401, code: 'AUTHENTICATION_INVALID' });
		expect(log[2]).toMatchObject({ path: '/1.0/{ios}/events/users/u', api: 'triggerEvents', status: 202, operations: 1 });
		const text = JSON.stringify(log);
		for (const secret of [REST, PROJECT, IOS, 'wrong-secret']) expect(text).not.toContain(secret);
		expect(sim.stats()).toEqual({
			requests: 3,
			acceptedOperations: 2,
			rejectedOperations: 0,
			rejectedRequests: 1,
			rateLimited: 0,
			faultsInjected: 0,
			acceptedTriggerEvents: 1,
			// TCP connections: how many fetch opens is its own business (simulatorConnections.test.ts counts them exactly).
			connections: expect.any(Number),
			openConnections: expect.any(Number),
			peakOpenConnections: expect.any(Number),
		});
		sim.clearRequests();
		expect(sim.requests).toEqual([]);
		expect(sim.stats().requests).toBe(3);
	});

	it('reset() forgets everything', async () => {
		await update([{ identifiers: { custom_id: 'a' } }]);
		await trigger(`${IOS}/events/users/u`, { events: [{ name: 'e' }] });
		sim.injectFaults([{ status: 500 }]);
		sim.reset();
		expect(sim.profile('custom_id', 'a')).toBeUndefined();
		expect(sim.triggerEvents()).toEqual([]);
		expect(sim.requests).toEqual([]);
		expect(sim.stats().requests).toBe(0);
		expect((await update([{ identifiers: { custom_id: 'a' } }])).status).toBe(202);
	});
});

describe('admin endpoints', () => {
	it('state, profile, trigger events, requests, stats', async () => {
		await update([{ identifiers: { custom_id: 'jane doe' }, attributes: { plan: 'gold' } }]);
		await trigger(`${ANDROID}/events/users/jane`, { events: [{ name: 'e' }] });
		const state = await call('GET', '/_simulator/state');
		expect(state.status).toBe(200);
		expect(state.json.profiles.custom_id['jane doe'].attributes).toEqual({ plan: 'gold' });
		expect(state.json.triggerEvents).toEqual([expect.objectContaining({ platform: 'android', customId: 'jane', name: 'e' })]);
		expect(state.json.stats.requests).toBe(2);
		expect(JSON.stringify(state.json)).not.toContain(ANDROID);

		const p = await call('GET', `/_simulator/profiles/custom_id/${encodeURIComponent('jane doe')}`);
		expect(p.status).toBe(200);
		expect(p.json.attributes).toEqual({ plan: 'gold' });
		expect((await call('GET', '/_simulator/profiles/custom_id/nobody')).status).toBe(404);

		const te = await call('GET', '/_simulator/trigger-events?platform=android&customId=jane');
		expect(te.json.events).toHaveLength(1);
		expect((await call('GET', '/_simulator/trigger-events?platform=ios')).json.events).toHaveLength(0);

		const reqs = await call('GET', '/_simulator/requests');
		expect(reqs.json.requests).toHaveLength(2); // admin calls are not logged
		expect((await call('GET', '/_simulator/stats')).json.requests).toBe(2);
		expect((await call('GET', '/_simulator/health')).json).toEqual({ ok: true });
		expect((await call('DELETE', '/_simulator/requests')).status).toBe(200);
		expect((await call('GET', '/_simulator/requests')).json.requests).toEqual([]);
	});

	it('faults over HTTP', async () => {
		const armed = await call('POST', '/_simulator/faults', [{ status: 503, times: 2 }]);
		expect(armed).toMatchObject({ status: 200, json: { armed: 1 } });
		expect((await call('GET', '/_simulator/state')).json.faults).toEqual([expect.objectContaining({ status: 503, remaining: 2 })]);
		// Admin requests are never faulted.
		expect((await call('GET', '/_simulator/health')).status).toBe(200);
		expect((await update([{ identifiers: { custom_id: 'a' } }])).status).toBe(503);
		expect((await call('DELETE', '/_simulator/faults')).status).toBe(200);
		expect((await update([{ identifiers: { custom_id: 'a' } }])).status).toBe(202);
		expect((await call('POST', '/_simulator/faults', { status: 500 })).status).toBe(400);
		expect((await call('POST', '/_simulator/faults', '{bad')).status).toBe(400);
	});

	it('reset over HTTP; unknown routes and methods', async () => {
		await update([{ identifiers: { custom_id: 'a' } }]);
		expect((await call('POST', '/_simulator/reset')).json).toEqual({ reset: true });
		expect(sim.profile('custom_id', 'a')).toBeUndefined();
		expect((await call('GET', '/_simulator/reset')).status).toBe(405);
		expect((await call('GET', '/_simulator/nope')).status).toBe(404);
	});
});

describe('keep-alive', () => {
	it('serves several requests on one connection', async () => {
		const http = await import('node:http');
		const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const sockets = new Set<unknown>();
		const get = () =>
			new Promise<number>((resolve, reject) => {
				const req = http.get(`${sim.url}/_simulator/health`, { agent }, (res) => {
					sockets.add(req.socket);
					res.resume();
					res.on('end', () => resolve(res.statusCode ?? 0));
				});
				req.on('error', reject);
			});
		expect(await get()).toBe(200);
		expect(await get()).toBe(200);
		expect(await get()).toBe(200);
		expect(sockets.size).toBe(1);
		agent.destroy();
	});
});

// POST /2.<minor>/profiles/mass-update — https://doc.batch.com/developer/api/cep/profiles/mass-update-profile:
// same headers and body as /profiles/update, at most 10 000 operations, 10 000 updates/s with no burst,
// its own budget (https://doc.batch.com/developer/api/cep/profiles, "choosing the right API endpoint").
describe('Profile API mass-update', () => {
	const massUpdate = (ops: unknown, version = '2.11', headers = projectHeaders) =>
		call('POST', `/${version}/profiles/mass-update`, ops, headers);
	const ops = (n: number, p: string) => Array.from({ length: n }, (_, i) => ({ identifiers: { custom_id: `${p}${i}` } }));
	const op = [{ identifiers: { custom_id: 'u1' } }];

	it('same authentication and route answers as /profiles/update', async () => {
		const cases: Array<Record<string, string>> = [
			{ 'X-Batch-Project': PROJECT },
			{ ...projectHeaders, Authorization: 'Bearer nope' },
			{ ...projectHeaders, Authorization: REST },
			{ ...projectHeaders, 'X-Batch-Project': 'project_other' },
			{ Authorization: `Bearer ${REST}` },
			projectHeaders,
		];
		for (const headers of cases) {
			const u = await update(op, '2.11', headers as typeof projectHeaders);
			const m = await massUpdate(op, '2.11', headers as typeof projectHeaders);
			expect({ status: m.status, json: m.json }).toEqual({ status: u.status, json: u.json });
		}
		expect((await massUpdate(op)).json).toEqual({ code: 'SUCCESS' });
		for (const v of ['2.4', '2.11']) expect((await massUpdate(op, v)).status).toBe(202);
		expect((await massUpdate(op, '1.0')).status).toBe(404);
		expect((await call('GET', '/2.11/profiles/mass-update', undefined, projectHeaders)).status).toBe(405);
		expect((await massUpdate('[{')).json.error_code).toBe('MALFORMED_JSON_BODY');
		expect((await massUpdate([])).json.error_code).toBe('INVALID_PAYLOAD');
	});

	it('accepts Batch\'s documented example payload', async () => {
		// The request example of the mass-update page (custom_id and e-mail replaced: the stored copy masks them).
		const r = await massUpdate([
			{
				identifiers: { custom_id: 'jane.doe' },
				attributes: {
					$email_address: 'jane.doe@example.com',
					$email_marketing: 'subscribed',
					$phone_number: '+33639981337',
					$sms_marketing: 'unsubscribed',
					$language: 'en',
					$region: 'FR',
					$timezone: 'Europe/Paris',
					firstname: 'Jane',
					'date(birthdate)': '1989-07-20T00:00:00Z',
					interests: ['bikes', 'cinema'],
					reward_programs: { $add: ['premium_customer'] },
				},
				events: [{ name: 'added_to_cart', attributes: { $label: 'pumpkin', quantity: 5, unit_price: 3.99, $tags: ['fruits', 'organic', 'on_sale'] } }],
			},
		]);
		expect(r).toMatchObject({ status: 202, json: { code: 'SUCCESS' } });
		const p = sim.profile('custom_id', 'jane.doe');
		expect(p?.attributes).toMatchObject({ firstname: 'Jane', birthdate: '1989-07-20T00:00:00Z', reward_programs: ['premium_customer'] });
		expect(p?.events).toEqual([
			expect.objectContaining({ name: 'added_to_cart', label: 'pumpkin', tags: ['fruits', 'organic', 'on_sale'], attributes: { quantity: 5, unit_price: 3.99 } }),
		]);
	});

	it('10 000 operations pass in one call, 10 001 are rejected whole (nothing recorded)', async () => {
		const ok = await massUpdate(ops(10_000, 'a'));
		expect(ok).toMatchObject({ status: 202, json: { code: 'SUCCESS' } });
		expect(sim.profile('custom_id', 'a9999')).toBeDefined();
		const tooMany = await massUpdate(ops(10_001, 'b'));
		expect(tooMany.status).toBe(400);
		expect(tooMany.json).toEqual({ error_code: 'TOO_MANY_OPERATIONS', error_message: 'At most 10000 operations per call (got 10001)' });
		expect(sim.profile('custom_id', 'b0')).toBeUndefined();
		expect(sim.stats()).toMatchObject({ acceptedOperations: 10_000, rejectedRequests: 1 });
	});

	it('per-operation errors: the same SUCCESS_WITH_PARTIAL_ERRORS answer as /profiles/update', async () => {
		const body = [
			{ identifiers: { custom_id: 'ok1' }, attributes: { plan: 'gold' } },
			{ identifiers: { custom_id: 'bad1' }, attributes: { 'bad-name': 1 } },
			{ identifiers: {} },
			{ identifiers: { custom_id: 'bad2' }, events: [{ name: 'renewed', time: iso(-25 * 3600_000) }] },
			'not an object',
			{ identifiers: { custom_id: 'ok2' }, events: [{ name: 'renewed', time: iso(-60_000) }] },
		];
		const viaUpdate = await update(body);
		const updateProfiles = ['ok1', 'ok2', 'bad1', 'bad2'].map((id) => sim.profile('custom_id', id));
		sim.reset();
		const viaMass = await massUpdate(body);
		expect(viaMass.status).toBe(202);
		expect(viaMass.json.code).toBe('SUCCESS_WITH_PARTIAL_ERRORS');
		expect(viaMass.json).toEqual(viaUpdate.json);
		expect([...new Set(viaMass.json.errors.map((e: any) => e.bulk_index))]).toEqual([1, 2, 3, 4]);
		expect(['ok1', 'ok2', 'bad1', 'bad2'].map((id) => sim.profile('custom_id', id))).toEqual(
			updateProfiles.map((p) => (p ? { ...p, events: p.events.map((e) => ({ ...e, receivedAt: expect.any(String) })) } : p)),
		);
		expect(sim.stats()).toMatchObject({ acceptedOperations: 2, rejectedOperations: 4 });
		expect(sim.endpoints()['profiles/mass-update']).toMatchObject({ acceptedOperations: 2, rejectedOperations: 4 });
	});

	describe('rate limit: 10 000 updates/s, no burst, its own budget (frozen clock)', () => {
		let t = 0;
		beforeEach(async () => {
			await sim.close();
			t = 0;
			sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT, now: () => NOW, clock: () => t });
		});

		it('one full call, then 429 until a second of rate is back; idling never banks more than one second', async () => {
			expect((await massUpdate(ops(10_000, 'a'))).status).toBe(202);
			const limited = await massUpdate(ops(1, 'b'));
			expect(limited.status).toBe(429);
			expect(limited.json).toEqual({ error_code: 'TOO_MANY_REQUESTS', error_message: 'Too Many Requests' });
			expect(limited.headers.get('retry-after')).toBeNull();
			expect(sim.profile('custom_id', 'b0')).toBeUndefined();
			t += 500; // 5 000 updates back
			expect((await massUpdate(ops(5_001, 'c'))).status).toBe(429);
			expect((await massUpdate(ops(5_000, 'd'))).status).toBe(202);
			expect((await massUpdate(ops(1, 'e'))).status).toBe(429);
			t += 60_000; // a minute idle: still one second's worth (no burst)
			expect((await massUpdate(ops(10_000, 'f'))).status).toBe(202);
			expect((await massUpdate(ops(1, 'g'))).status).toBe(429);
			expect(sim.stats().rateLimited).toBe(4);
			expect(sim.endpoints()['profiles/mass-update']).toMatchObject({ requests: 7, rateLimited: 4, acceptedOperations: 25_000 });
		});

		it('separate from /profiles/update\'s budget (300/s, burst 1000) in both directions', async () => {
			for (let i = 0; i < 5; i++) expect((await update(ops(200, `u${i}_`))).status).toBe(202);
			expect((await update(ops(1, 'u_more'))).status).toBe(429); // /update's 1000 burst is spent…
			expect((await massUpdate(ops(10_000, 'm'))).status).toBe(202); // …mass-update's budget is not
			expect((await massUpdate(ops(1, 'm_more'))).status).toBe(429); // and now that one is spent…
			t += 1_000; // 300 back on /update, 10 000 on mass-update
			expect((await update(ops(200, 'u_again'))).status).toBe(202); // …without touching /update's refill
			expect((await update(ops(101, 'u_over'))).status).toBe(429);
			const e = sim.endpoints();
			expect(e['profiles/update']).toMatchObject({ requests: 8, rateLimited: 2, acceptedOperations: 1_200, maxOperations: 200 });
			expect(e['profiles/mass-update']).toMatchObject({ requests: 2, rateLimited: 1, acceptedOperations: 10_000, maxOperations: 10_000 });
		});

		it('massUpdateRateLimit configures it; rateLimit: false turns both off', async () => {
			await sim.close();
			sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT, clock: () => t, massUpdateRateLimit: { perSecond: 50, burst: 50 } });
			expect((await massUpdate(ops(50, 'a'))).status).toBe(202);
			expect((await massUpdate(ops(1, 'b'))).status).toBe(429);
			await sim.close();
			sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT, clock: () => t, rateLimit: false });
			for (let i = 0; i < 3; i++) expect((await massUpdate(ops(10_000, `r${i}_`))).status).toBe(202);
			for (let i = 0; i < 6; i++) expect((await update(ops(200, `s${i}_`))).status).toBe(202);
		});

		it('reset() refills it', async () => {
			expect((await massUpdate(ops(10_000, 'a'))).status).toBe(202);
			expect((await massUpdate(ops(1, 'b'))).status).toBe(429);
			sim.reset();
			expect((await massUpdate(ops(10_000, 'c'))).status).toBe(202);
		});
	});

	describe('faults apply to it', () => {
		it('status faults (any path, or its own path only), with Retry-After; nothing recorded', async () => {
			sim.injectFaults([{ status: 503, retryAfter: 3 }, { path: '/profiles/mass-update', status: 500, times: 2 }]);
			const r503 = await massUpdate(op);
			expect(r503.status).toBe(503);
			expect(r503.json.error_code).toBe('MAINTENANCE_ERROR');
			expect(r503.headers.get('retry-after')).toBe('3');
			// The path fault does not touch /profiles/update ("/profiles/mass-update" is not in its path)…
			expect((await update(op)).status).toBe(202);
			expect((await massUpdate([{ identifiers: { custom_id: 'm' } }])).status).toBe(500);
			expect((await massUpdate([{ identifiers: { custom_id: 'm' } }])).status).toBe(500);
			expect(sim.profile('custom_id', 'm')).toBeUndefined();
			expect((await massUpdate([{ identifiers: { custom_id: 'm' } }])).status).toBe(202);
			// …and a "/profiles/update" fault does not touch mass-update.
			sim.injectFaults([{ path: '/profiles/update', status: 502 }]);
			expect((await massUpdate(op)).status).toBe(202);
			expect((await update(op)).status).toBe(502);
			expect(sim.endpoints()['profiles/mass-update']).toMatchObject({ requests: 5, faultsInjected: 3, rejectedRequests: 0, rateLimited: 0 });
			expect(sim.endpoints()['profiles/update']).toMatchObject({ requests: 2, faultsInjected: 1 });
		});

		it('a fault 429 counts as a fault, not as the bucket', async () => {
			sim.injectFaults([{ path: 'mass-update', status: 429 }]);
			expect((await massUpdate(op)).status).toBe(429);
			expect(sim.endpoints()['profiles/mass-update']).toMatchObject({ faultsInjected: 1, rateLimited: 0 });
			expect(sim.stats().rateLimited).toBe(0);
		});

		it('partial errors on demand, drop and delay', async () => {
			sim.injectFaults([{ path: 'mass-update', rejectOperations: [1], rejectCustomIds: ['p9999'], reason: 'nope' }]);
			const r = await massUpdate(ops(10_000, 'p'));
			expect(r.json).toEqual({
				code: 'SUCCESS_WITH_PARTIAL_ERRORS',
				errors: [
					{ bulk_index: 1, category: 'operation', reason: 'nope' },
					{ bulk_index: 9999, category: 'operation', reason: 'nope' },
				],
			});
			expect(sim.profile('custom_id', 'p1')).toBeUndefined();
			expect(sim.profile('custom_id', 'p9998')).toBeDefined();
			expect(sim.requests.at(-1)).toMatchObject({ endpoint: 'profiles/mass-update', fault: 'partial', operations: 10_000 });
			expect(sim.endpoints()['profiles/mass-update']).toMatchObject({ acceptedOperations: 9_998, rejectedOperations: 2, faultsInjected: 1 });

			sim.injectFaults([{ path: 'mass-update', drop: true }, { path: 'mass-update', delayMs: 200 }]);
			await expect(
				fetch(`${sim.url}/2.11/profiles/mass-update`, { method: 'POST', headers: projectHeaders, body: JSON.stringify([{ identifiers: { custom_id: 'd' } }]) }),
			).rejects.toThrow();
			expect(sim.profile('custom_id', 'd')).toBeUndefined();
			const t0 = performance.now();
			expect((await massUpdate([{ identifiers: { custom_id: 'd' } }])).status).toBe(202);
			expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
			expect(sim.requests.slice(-2).map((e) => e.fault)).toEqual(['drop', 'delay']);
		});
	});

	describe('which endpoint was used', () => {
		it('the request log names the endpoint; endpoints() counts per endpoint; admin routes expose both', async () => {
			await update(ops(3, 'u'));
			await massUpdate(ops(250, 'm'));
			await massUpdate(ops(10_001, 'x'));
			await trigger(`${IOS}/events/users/u`, { events: [{ name: 'e' }] });
			await call('GET', '/2.11/orchestrations/list', undefined, projectHeaders);
			await call('POST', '/2.11/nowhere', [], projectHeaders);
			expect(sim.requests.map((r) => r.endpoint)).toEqual([
				'profiles/update',
				'profiles/mass-update',
				'profiles/mass-update',
				'trigger-events',
				'orchestrations/list',
				'unknown',
			]);
			const e = sim.endpoints();
			expect(e['profiles/update']).toEqual({
				requests: 1,
				operations: 3,
				maxOperations: 3,
				acceptedOperations: 3,
				rejectedOperations: 0,
				rejectedRequests: 0,
				rateLimited: 0,
				faultsInjected: 0,
			});
			expect(e['profiles/mass-update']).toEqual({
				requests: 2,
				operations: 10_251,
				maxOperations: 10_001,
				acceptedOperations: 250,
				rejectedOperations: 0,
				rejectedRequests: 1,
				rateLimited: 0,
				faultsInjected: 0,
			});
			expect(e['trigger-events']).toMatchObject({ requests: 1, acceptedOperations: 1 });
			expect(e['orchestrations/list']).toMatchObject({ requests: 1, operations: 0 });
			expect(e.unknown).toMatchObject({ requests: 1, rejectedRequests: 1 });
			// Per-endpoint counters add up to the global ones.
			const sum = (k: 'requests' | 'acceptedOperations' | 'rejectedRequests') =>
				Object.values(e).reduce((n, s) => n + s[k], 0);
			const g = sim.stats();
			expect(sum('requests')).toBe(g.requests);
			expect(sum('acceptedOperations')).toBe(g.acceptedOperations + g.acceptedTriggerEvents);
			expect(sum('rejectedRequests')).toBe(g.rejectedRequests);

			const admin = await call('GET', '/_simulator/endpoints');
			expect(admin).toMatchObject({ status: 200, json: e });
			const massOnly = await call('GET', '/_simulator/requests?endpoint=profiles/mass-update');
			expect(massOnly.json.requests.map((r: any) => [r.status, r.operations])).toEqual([
				[202, 250],
				[400, 10_001],
			]);
			expect((await call('GET', '/_simulator/requests?endpoint=profiles/update')).json.requests).toHaveLength(1);
			expect((await call('GET', '/_simulator/requests?endpoint=nope')).status).toBe(400);
			expect((await call('POST', '/_simulator/endpoints')).status).toBe(405);
			expect((await call('GET', '/_simulator/state')).json.endpoints).toEqual(e);
			sim.reset();
			expect(sim.endpoints()['profiles/mass-update'].requests).toBe(0);
		});

		it('a body over the size limit is counted for its endpoint', async () => {
			await sim.close();
			sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT, maxBodyBytes: 1024 });
			const r = await massUpdate(ops(100, 'big'));
			expect(r.status).toBe(413);
			expect(sim.requests.at(-1)).toMatchObject({ endpoint: 'profiles/mass-update', status: 413 });
			expect(sim.endpoints()['profiles/mass-update']).toMatchObject({ requests: 1, rejectedRequests: 1 });
		});
	});
});
