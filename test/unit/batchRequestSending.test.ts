import { dispatchItems, planProfileRequests, planTriggerEventsRequests, type DispatchSettings } from '../../nodes/Batch/batchDispatch';
import type { PreparedItem } from '../../nodes/Batch/itemPreparation';
import { TokenBucket } from '../../nodes/Batch/rateLimiter';
import { sendWithRetry, type SendDependencies } from '../../nodes/Batch/requestSending';
import { createScrubber } from '../../nodes/Batch/secretScrubbing';
import { BatchNetworkError, type BatchHttpAnswer, type BatchTransport } from '../../nodes/Batch/transport/batchHttpClient';

/** A scripted transport and a fake clock: sleeping advances the clock, nothing waits for real. */
function harness(script: Array<BatchHttpAnswer | Error>, retry = { maxAttempts: 4, maxRetryDurationMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000 }) {
	let now = 0;
	const sleeps: number[] = [];
	const sent: Array<{ method: string; path: string; headers: Record<string, string>; body?: string | Uint8Array }> = [];
	const transport: BatchTransport = {
		async request(method, path, headers, body) {
			sent.push({ method, path, headers, body });
			const next = script.length > 1 ? script.shift()! : script[0];
			if (next instanceof Error) throw next;
			return next;
		},
		async close() {},
	};
	const deps: SendDependencies = {
		transport,
		bucket: new TokenBucket(0, 1, () => now),
		retry,
		sleep: async (ms) => {
			sleeps.push(ms);
			now += ms;
		},
		random: () => 0.5,
		now: () => now,
	};
	return { deps, sleeps, sent };
}

const ok: BatchHttpAnswer = { status: 202, headers: {}, body: { code: 'SUCCESS' } };
const request = { method: 'POST' as const, path: '/2.11/profiles/update', headers: {}, body: '[]', cost: 1 };

describe('sending one request with retries', () => {
	it('returns the first success', async () => {
		const { deps, sent } = harness([ok]);
		expect(await sendWithRetry(deps, request)).toMatchObject({ kind: 'answer', status: 202, attempts: 1 });
		expect(sent).toHaveLength(1);
	});

	it('retries 5xx with backoff, then succeeds', async () => {
		const { deps, sleeps } = harness([{ status: 500, headers: {}, body: {} }, { status: 503, headers: {}, body: {} }, ok]);
		expect(await sendWithRetry(deps, request)).toMatchObject({ status: 202, attempts: 3 });
		expect(sleeps).toEqual([50, 100]); // full jitter with random 0.5: 0.5 × 100, 0.5 × 200
	});

	it('waits exactly Retry-After on 429', async () => {
		const { deps, sleeps } = harness([{ status: 429, headers: { 'retry-after': '2' }, body: {} }, ok]);
		expect(await sendWithRetry(deps, request)).toMatchObject({ status: 202, attempts: 2 });
		expect(sleeps).toEqual([2000]);
	});

	it('does not retry other 4xx', async () => {
		const { deps, sent } = harness([{ status: 400, headers: {}, body: { error_code: 'INVALID_PAYLOAD' } }]);
		expect(await sendWithRetry(deps, request)).toMatchObject({ kind: 'answer', status: 400, attempts: 1, gaveUp: 'notRetryable' });
		expect(sent).toHaveLength(1);
	});

	it('gives up after max attempts on network errors, and by time budget on long Retry-After', async () => {
		const net = harness([new BatchNetworkError('UND_ERR_SOCKET', 'closed')]);
		expect(await sendWithRetry(net.deps, request)).toMatchObject({ kind: 'network', code: 'UND_ERR_SOCKET', attempts: 4, gaveUp: 'attemptsExhausted' });
		const slow = harness([{ status: 429, headers: { 'retry-after': '120' }, body: {} }]);
		expect(await sendWithRetry(slow.deps, request)).toMatchObject({ status: 429, attempts: 1, gaveUp: 'durationExhausted' });
	});

	it('reports unexpected transport errors without retrying', async () => {
		const { deps, sent } = harness([new Error('boom')]);
		expect(await sendWithRetry(deps, request)).toMatchObject({ kind: 'network', code: 'CLIENT_ERROR', attempts: 1 });
		expect(sent).toHaveLength(1);
	});

	it('starts no new attempt once the execution is cancelled', async () => {
		const { deps, sent } = harness([{ status: 503, headers: {}, body: {} }]);
		const controller = new AbortController();
		const sleep = deps.sleep;
		deps.signal = controller.signal;
		deps.sleep = async (ms) => {
			controller.abort();
			await sleep(ms);
		};
		expect(await sendWithRetry(deps, request)).toMatchObject({ kind: 'network', code: 'CANCELLED', attempts: 1 });
		expect(sent).toHaveLength(1);
	});

	it('keeps retrying 429s without Retry-After past Max Attempts until Max Retry Duration, with a growing backoff', async () => {
		const { deps, sleeps, sent } = harness([...Array.from({ length: 9 }, () => ({ status: 429, headers: {}, body: {} })), ok], { maxAttempts: 2, maxRetryDurationMs: 60_000, baseDelayMs: 100, maxDelayMs: 1000 });
		expect(await sendWithRetry(deps, request)).toMatchObject({ status: 202, attempts: 10, possibleDuplicate: false });
		expect(sent).toHaveLength(10);
		expect(sleeps).toEqual([50, 100, 200, 400, 500, 500, 500, 500, 500]);
		const stopped = harness([{ status: 429, headers: {}, body: {} }], { maxAttempts: 2, maxRetryDurationMs: 3000, baseDelayMs: 100, maxDelayMs: 1000 });
		expect(await sendWithRetry(stopped.deps, request)).toMatchObject({ status: 429, gaveUp: 'durationExhausted' });
		expect(stopped.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3000);
	});

	it('marks a result possibleDuplicate after an uncertain failure (at least once), and stops there at most once', async () => {
		const timeout = new BatchNetworkError('UND_ERR_HEADERS_TIMEOUT', 'no response headers in time');
		const atLeast = harness([timeout, ok]);
		expect(await sendWithRetry(atLeast.deps, request)).toMatchObject({ status: 202, attempts: 2, possibleDuplicate: true });
		const atMost = harness([timeout, ok]);
		atMost.deps.delivery = 'atMostOnce';
		expect(await sendWithRetry(atMost.deps, request)).toMatchObject({ kind: 'network', attempts: 1, gaveUp: 'uncertainNotRetried', uncertain: true, possibleDuplicate: false });
		const refused = harness([new BatchNetworkError('ECONNREFUSED', 'connection refused'), ok]);
		refused.deps.delivery = 'atMostOnce';
		expect(await sendWithRetry(refused.deps, request)).toMatchObject({ status: 202, attempts: 2, possibleDuplicate: false });
	});

	it('scrubs answers and errors as they arrive, before anything reads them', async () => {
		const { deps } = harness([{ status: 400, headers: {}, body: { error_code: 'SECRETKEY', nested: ['x SECRETKEY y'] } }]);
		deps.scrub = createScrubber(['SECRETKEY']);
		expect(await sendWithRetry(deps, request)).toMatchObject({ body: { error_code: '[redacted]', nested: ['x [redacted] y'] } });
	});

	it('waits for rate-limit tokens before sending', async () => {
		const { deps, sleeps } = harness([ok]);
		deps.bucket = new TokenBucket(100, 10, deps.now);
		await sendWithRetry(deps, { ...request, cost: 60 });
		expect(sleeps).toEqual([500]);
	});
});

const items = (n: number, platforms: PreparedItem['platforms'] = []): PreparedItem[] =>
	Array.from({ length: n }, (_, i) => ({ itemIndex: i, identifier: `u${i}`, identifierType: 'customId', eventName: 'e', attributes: [], platforms }));
const settings: DispatchSettings = { api: 'profile', operation: 'trackEvent', batchSize: 200, maxConcurrentRequests: 2 };
const credentials = { restApiKey: 'REST', projectKey: 'project_x', iosApiKey: 'IOS', androidApiKey: 'ANDROID' };

describe('planning and dispatching requests', () => {
	it('plans Profile API requests of at most the batch size with Bearer and X-Batch-Project', () => {
		const planned = planProfileRequests(items(201), settings, credentials);
		expect(planned.map((p) => p.entries.length)).toEqual([200, 1]);
		expect(planned[0].describe(planned[0].entries)).toMatchObject({
			method: 'POST',
			path: '/2.11/profiles/update',
			headers: { 'content-type': 'application/json', authorization: 'Bearer REST', 'x-batch-project': 'project_x' },
		});
		expect(planned[0].scope).toEqual({ baseUrl: '', api: 'profile', key: 'project_x' });
		expect(planned[1].describe(planned[1].entries).body).toEqual([{ identifiers: { custom_id: 'u200' }, events: [{ name: 'e' }] }]);
	});

	it('plans one request stream per app for the Trigger Events API', () => {
		const mixed = [...items(2, ['ios']), ...items(1, ['ios', 'android'])].map((item, i) => ({ ...item, itemIndex: i }));
		const planned = planTriggerEventsRequests(mixed, { ...settings, api: 'triggerEvents', batchSize: 2 }, credentials);
		expect(planned.map((p) => [p.describe(p.entries).path, p.entries.map((e) => e.item.itemIndex)])).toEqual([
			['/1.0/IOS/events/users', [0, 1]],
			['/1.0/IOS/events/users', [2]],
			['/1.0/ANDROID/events/users', [2]],
		]);
		expect(planned[0].describe(planned[0].entries).headers).toEqual({ 'content-type': 'application/json', 'x-authorization': 'REST' });
		expect(planned.map((p) => p.scope.key)).toEqual(['IOS', 'IOS', 'ANDROID']);
	});

	it('dispatches and maps partial errors back to input items', async () => {
		const { deps, sent } = harness([{ status: 202, headers: {}, body: { code: 'SUCCESS_WITH_PARTIAL_ERRORS', errors: [{ bulk_index: 0, reason: 'r' }] } }]);
		const report = await dispatchItems(items(201), settings, credentials, deps, createScrubber([]));
		expect(sent).toHaveLength(2);
		expect(report.requests).toBe(2);
		expect(report.deliveries.get(0)![0].accepted).toBe(false);
		expect(report.deliveries.get(1)![0].accepted).toBe(true);
		expect(report.deliveries.get(200)![0].accepted).toBe(false); // first of the second request
	});
});

describe('event times checked when a request is built', () => {
	it('leaves out and reports an item whose time is ahead of the clock at build time, once per item', async () => {
		const { deps, sent } = harness([{ status: 202, headers: {}, body: { token: 't' } }]);
		const withTimes = items(3, ['ios', 'android']).map((item, index) => ({ ...item, timeMs: index === 1 ? 1 : 0 }));
		const report = await dispatchItems(withTimes, { ...settings, api: 'triggerEvents' }, credentials, deps, createScrubber([]));
		expect(sent).toHaveLength(2);
		expect(sent.map((request) => (JSON.parse(String(request.body)) as Array<{ id: string }>).map((entry) => entry.id))).toEqual([
			['u0', 'u2'],
			['u0', 'u2'],
		]);
		expect(report.refused.get(1)).toEqual([expect.objectContaining({ field: 'eventOptions.time', rule: 'timeWindow' })]);
		expect(report.deliveries.has(1)).toBe(false);
	});
});
