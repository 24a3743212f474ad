/**
 * The request modules (one per Batch API: path, headers, version and body in one place), the redaction of keys in
 * a request shown to a person, and the dry-run planning on the real planner: which requests a real run would
 * send, each item's part of them, the endpoint a real run picks, and event times checked at dry-run time.
 */
import type { BatchCredentials, DispatchSettings } from '../../nodes/Batch/batchDispatch';
import { planRequests } from '../../nodes/Batch/batchDispatch';
import { dryRunFailureSummaryOf, dryRunOutcomes, invalidInDryRun, planDryRun } from '../../nodes/Batch/dryRun';
import { tallyOf } from '../../nodes/Batch/runTally';
import { chooseProfileEndpoint } from '../../nodes/Batch/endpointSelection';
import { issue } from '../../nodes/Batch/itemIssue';
import type { PreparedItem } from '../../nodes/Batch/itemPreparation';
import type { PreparedItems } from '../../nodes/Batch/itemsPreparing';
import type { OutcomeBase } from '../../nodes/Batch/outcomes';
import { buildProfileOperation, PROFILE_API_VERSION, profileApiRequest } from '../../nodes/Batch/profileApiRequest';
import { baseUrlParts, requestUrl } from '../../nodes/Batch/requestDescription';
import { credentialSecrets, redactRequest, redactSecrets } from '../../nodes/Batch/requestRedaction';
import { createScrubber } from '../../nodes/Batch/secretScrubbing';
import { buildTriggerUserEvents, triggerEventsApiRequest } from '../../nodes/Batch/triggerEventsApiRequest';
import { v2ItemMessage } from '../../nodes/Batch/v2/errorWording';
import { annotationOf } from '../../nodes/Batch/v2/executionAnnotation';

// Keys with no common words in them, so that any 4-character piece of one found in the output is a leak.
const CREDENTIALS: BatchCredentials = {
	restApiKey: 'Rk7qZx2Lw9Vt4Hs',
	projectKey: 'prj_Qm3Jd8Np5Gc',
	iosApiKey: 'I0sKy6Wb1Fz7Ue',
	androidApiKey: 'An4Dc9Xo2Yr5Tp',
};
const KEY_VALUES = Object.values(CREDENTIALS) as string[];

/** Every piece of 4 characters or more of every key (and of its URL-encoded form). */
function keyFragments(): string[] {
	const pieces = new Set<string>();
	for (const key of KEY_VALUES) {
		for (const form of [key, encodeURIComponent(key)]) {
			for (let start = 0; start < form.length; start++) for (let end = start + 4; end <= form.length; end++) pieces.add(form.slice(start, end));
		}
	}
	return [...pieces];
}

function expectNoKeyFragment(value: unknown): void {
	const text = JSON.stringify(value);
	for (const piece of keyFragments()) expect([piece, text.includes(piece)]).toEqual([piece, false]);
}

const item = (itemIndex: number, overrides: Partial<PreparedItem> = {}): PreparedItem => ({
	itemIndex,
	identifier: `user-${itemIndex}`,
	identifierType: 'customId',
	eventName: 'renewal',
	attributes: [{ name: 'plan', field: 'f', type: 'string', value: 'premium' }],
	platforms: [],
	...overrides,
});

const base = (itemIndex: number, api: OutcomeBase['api'] = 'profile'): OutcomeBase => ({ api, operation: 'trackEvent', identifierType: 'customId', identifier: `user-${itemIndex}`, eventName: 'renewal' });

function preparedOf(items: PreparedItem[], api: OutcomeBase['api'] = 'profile', invalid: number[] = []): PreparedItems {
	const total = items.length + invalid.length;
	const results: PreparedItems['results'] = [];
	const bases: OutcomeBase[] = [];
	let next = 0;
	for (let index = 0; index < total; index++) {
		bases.push(base(index, api));
		if (invalid.includes(index)) results.push({ ok: false, issues: [issue('Event Name', 'required', 'Event Name is empty. Type the event name.')] });
		else results.push({ ok: true, item: { ...items[next++], itemIndex: index, identifier: `user-${index}` } });
	}
	return { start: 0, results, bases, sendable: results.flatMap((result) => (result.ok ? [result.item] : [])) };
}

const profileSettings: DispatchSettings = { api: 'profile', operation: 'trackEvent', batchSize: 200, maxConcurrentRequests: 4, profileEndpoint: 'update', reportEndpoint: true, baseUrl: 'https://api.batch.com', timeLabel: 'Event Options › Time' };
const triggerSettings: DispatchSettings = { ...profileSettings, api: 'triggerEvents', batchSize: 1000, profileEndpoint: undefined };
const scrub = createScrubber(KEY_VALUES);

describe('request modules: each API request whole, as plain data', () => {
	it('Profile API: version, endpoint path, both headers, the operations as the body', () => {
		const operations = [buildProfileOperation(item(0), 'trackEvent')];
		expect(profileApiRequest(operations, 'update', CREDENTIALS)).toEqual({
			method: 'POST',
			path: `/${PROFILE_API_VERSION}/profiles/update`,
			headers: { 'content-type': 'application/json', authorization: `Bearer ${CREDENTIALS.restApiKey}`, 'x-batch-project': CREDENTIALS.projectKey },
			body: operations,
		});
		expect(profileApiRequest(operations, 'massUpdate', CREDENTIALS).path).toBe('/2.11/profiles/mass-update');
		// Mass update: same headers and body.
		const { path: _a, ...update } = profileApiRequest(operations, 'update', CREDENTIALS);
		const { path: _b, ...mass } = profileApiRequest(operations, 'massUpdate', CREDENTIALS);
		expect(mass).toEqual(update);
	});

	it('Trigger Events API: the app key in the (encoded) path, the REST key in X-Authorization, the user entries as the body', () => {
		const entries = [buildTriggerUserEvents(item(0))];
		expect(triggerEventsApiRequest(entries, { restApiKey: 'REST', appApiKey: 'A/B' })).toEqual({
			method: 'POST',
			path: '/1.0/A%2FB/events/users',
			headers: { 'content-type': 'application/json', 'x-authorization': 'REST' },
			body: entries,
		});
	});

	it('the full URL keeps the base URL path prefix, as the transport does', () => {
		expect(requestUrl('https://api.batch.com', '/2.11/profiles/update')).toBe('https://api.batch.com/2.11/profiles/update');
		expect(requestUrl('https://proxy.example/batch/', '/2.11/profiles/update')).toBe('https://proxy.example/batch/2.11/profiles/update');
		expect(baseUrlParts('http://127.0.0.1:4010')).toEqual({ origin: 'http://127.0.0.1:4010', pathPrefix: '' });
		expect(() => baseUrlParts('ftp://x')).toThrow('baseUrl must start with https:// or http://');
	});
});

describe('redaction: a mask naming the key, nothing of the key', () => {
	it('masks each key in headers and path, URL-encoded forms too', () => {
		const secrets = credentialSecrets(CREDENTIALS);
		const profile = redactRequest(profileApiRequest([], 'update', CREDENTIALS), secrets);
		expect(profile.headers).toEqual({ 'content-type': 'application/json', authorization: 'Bearer •••• (REST API key)', 'x-batch-project': '•••• (project key)' });
		const odd = { ...CREDENTIALS, androidApiKey: 'An4/Dc9+Xo2 Yr5' };
		const trigger = redactRequest(triggerEventsApiRequest([], { restApiKey: odd.restApiKey, appApiKey: odd.androidApiKey }), credentialSecrets(odd));
		expect(trigger.path).toBe('/1.0/•••• (Android API key)/events/users');
		expect(trigger.headers['x-authorization']).toBe('•••• (REST API key)');
		expectNoKeyFragment([profile, trigger]);
		expect(JSON.stringify(trigger)).not.toContain(encodeURIComponent(odd.androidApiKey));
	});

	it('a key inside another key: the longer one is masked whole first', () => {
		const secrets = [
			{ secret: 'abcd', label: 'short' },
			{ secret: 'xxabcdyy', label: 'long' },
		];
		expect(redactSecrets('k=xxabcdyy; j=abcd', secrets)).toBe('k=•••• (long); j=•••• (short)');
		expect(redactSecrets('nothing here', [{ secret: undefined, label: 'none' }, { secret: '', label: 'empty' }])).toBe('nothing here');
	});
});

describe('dry-run planning: the requests a real run would send, sending none', () => {
	const now = Date.UTC(2026, 4, 1, 12, 0, 0);

	it('Profile API: one request per batch, each item its own operation, index and size, keys masked', () => {
		const prepared = preparedOf([item(0), item(1), item(2)], 'profile', [1]);
		const plan = planDryRun(prepared, { ...profileSettings, batchSize: 2 }, CREDENTIALS, 'https://api.batch.com', now);
		expect(plan.requests).toBe(2);
		const outcomes = dryRunOutcomes(prepared, plan, now, scrub, v2ItemMessage);
		expect(outcomes.map((outcome) => outcome.json.accepted)).toEqual([false, false, false, false]);
		expect(outcomes[0].json).toEqual({
			accepted: false,
			api: 'profile',
			operation: 'trackEvent',
			identifierType: 'customId',
			identifier: 'user-0',
			eventName: 'renewal',
			dryRun: {
				valid: true,
				method: 'POST',
				url: 'https://api.batch.com/2.11/profiles/update',
				headers: { 'content-type': 'application/json', authorization: 'Bearer •••• (REST API key)', 'x-batch-project': '•••• (project key)' },
				body: { identifiers: { custom_id: 'user-0' }, events: [{ name: 'renewal', attributes: { plan: 'premium' } }] },
				endpoint: 'update',
				requestIndex: 0,
				requestCount: 2,
				itemsInRequest: 2,
				positionInRequest: 0,
			},
		});
		// The invalid item: the error a real run reports, and no request.
		expect(outcomes[1].json).toMatchObject({ accepted: false, error: { message: '[item 1] Event Name is empty. Type the event name.', stage: 'validation' }, dryRun: { valid: false } });
		expect(outcomes[1].json.dryRun).toEqual({ valid: false });
		expect(outcomes[2].json.dryRun).toMatchObject({ requestIndex: 0, positionInRequest: 1, body: { identifiers: { custom_id: 'user-2' } } });
		expect(outcomes[3].json.dryRun).toMatchObject({ requestIndex: 1, itemsInRequest: 1, positionInRequest: 0, body: { identifiers: { custom_id: 'user-3' } } });
		expect(outcomes.map(invalidInDryRun)).toEqual([false, true, false, false]);
		expectNoKeyFragment(outcomes.map((outcome) => outcome.json));
	});

	it('the items of each request, put back in order, are exactly the body the real planner builds', () => {
		const items = Array.from({ length: 5 }, (_, index) => item(index));
		const prepared = preparedOf(items);
		const settings = { ...profileSettings, batchSize: 2 };
		const outcomes = dryRunOutcomes(prepared, planDryRun(prepared, settings, CREDENTIALS, 'https://api.batch.com', now), now, scrub, v2ItemMessage);
		const real = planRequests(prepared.sendable, settings, CREDENTIALS).map((plan) => plan.describe(plan.entries).body);
		const shown = real.map((_, index) =>
			outcomes
				.map((outcome) => outcome.json.dryRun as { requestIndex: number; positionInRequest: number; body: unknown })
				.filter((dryRun) => dryRun.requestIndex === index)
				.sort((a, b) => a.positionInRequest - b.positionInRequest)
				.map((dryRun) => dryRun.body),
		);
		expect(shown).toEqual(real);
	});

	it('mass update: the endpoint a real run picks for this many items (auto above 1,000)', () => {
		const items = Array.from({ length: 1001 }, (_, index) => item(index));
		const prepared = preparedOf(items);
		const endpoint = chooseProfileEndpoint('auto', prepared.sendable.length);
		expect(endpoint).toBe('massUpdate');
		const plan = planDryRun(prepared, { ...profileSettings, profileEndpoint: endpoint, batchSize: 10_000 }, CREDENTIALS, 'https://api.batch.com', now);
		const [first] = plan.byItem.get(1000)!;
		expect(first).toMatchObject({ url: 'https://api.batch.com/2.11/profiles/mass-update', endpoint: 'massUpdate', itemsInRequest: 1001, positionInRequest: 1000, requestCount: 1 });
	});

	it('Trigger Events API: one request per app, the app key masked in the URL; an item sent to both apps shows both', () => {
		const prepared = preparedOf([item(0, { platforms: ['ios'] }), item(1, { platforms: ['ios', 'android'] })], 'triggerEvents');
		const plan = planDryRun(prepared, triggerSettings, CREDENTIALS, 'https://api.batch.com', now);
		const outcomes = dryRunOutcomes(prepared, plan, now, scrub, v2ItemMessage);
		expect(outcomes[0].json.dryRun).toEqual({
			valid: true,
			method: 'POST',
			url: 'https://api.batch.com/1.0/•••• (iOS API key)/events/users',
			headers: { 'content-type': 'application/json', 'x-authorization': '•••• (REST API key)' },
			body: { id: 'user-0', events: [{ name: 'renewal', attributes: { plan: 'premium' } }] },
			platform: 'ios',
			requestIndex: 0,
			requestCount: 2,
			itemsInRequest: 2,
			positionInRequest: 0,
		});
		const both = outcomes[1].json.dryRun as Record<string, { url: string; requestIndex: number }> & { byPlatform: Record<string, { url: string; requestIndex: number; itemsInRequest: number }> };
		expect(both.byPlatform.ios).toMatchObject({ url: 'https://api.batch.com/1.0/•••• (iOS API key)/events/users', requestIndex: 0, itemsInRequest: 2 });
		expect(both.byPlatform.android).toMatchObject({ url: 'https://api.batch.com/1.0/•••• (Android API key)/events/users', requestIndex: 1, itemsInRequest: 1 });
		expect(both).toMatchObject({ platform: 'ios', requestIndex: 0 });
		expectNoKeyFragment(outcomes.map((outcome) => outcome.json));
	});

	it('event times: checked at dry-run time against Batch’s window, with the same error as a real run, and said so', () => {
		const fresh = now - 60_000;
		const stale = now - 25 * 60 * 60 * 1000;
		const prepared = preparedOf([item(0, { timeMs: fresh }), item(1, { timeMs: stale }), item(2)]);
		const plan = planDryRun(prepared, profileSettings, CREDENTIALS, 'https://api.batch.com', now);
		const outcomes = dryRunOutcomes(prepared, plan, now, scrub, v2ItemMessage);
		expect(outcomes[0].json.dryRun).toMatchObject({ valid: true, eventTimeCheckedAt: '2026-05-01T12:00:00.000Z', itemsInRequest: 2 });
		expect(outcomes[1].json.dryRun).toEqual({ valid: false, eventTimeCheckedAt: '2026-05-01T12:00:00.000Z' });
		expect(outcomes[1].json.error).toMatchObject({ stage: 'validation', rule: 'timeWindow', field: 'Event Options › Time' });
		expect((outcomes[1].json.error as { message: string }).message).toMatch(/^\[item 1\] /);
		expect(outcomes[2].json.dryRun).not.toHaveProperty('eventTimeCheckedAt');
		expect(outcomes[2].json.dryRun).toMatchObject({ positionInRequest: 1 });
	});

	it('the error description and the execution annotation say that nothing was sent', () => {
		const prepared = preparedOf([item(0), item(1)], 'profile', [2]);
		const outcomes = dryRunOutcomes(prepared, planDryRun(prepared, profileSettings, CREDENTIALS, 'https://api.batch.com', now), now, scrub, v2ItemMessage);
		expect(dryRunFailureSummaryOf(tallyOf(outcomes, invalidInDryRun))).toMatch(/^Dry Run: nothing was sent to Batch\. 1 of 3 items would fail \(items 2\); 2 items are valid\./);
		expect(annotationOf(tallyOf(outcomes, invalidInDryRun), {}, true).batch_result).toBe('dry run: 2 valid, 1 invalid');
		expect(annotationOf(tallyOf(outcomes.slice(0, 2), invalidInDryRun), {}, true).batch_result).toBe('dry run: 2 valid');
	});
});
