import { rateScopeId, sharedBucket, TokenBucket } from '../../nodes/Batch/rateLimiter';
import { backoffDelay, decideRetry, DEFAULT_RETRY, failureCertainty, isRetryableStatus, parseRetryAfter } from '../../nodes/Batch/retryPolicy';

describe('token bucket', () => {
	it('lets a burst through, then paces at the rate (fake clock)', () => {
		let now = 0;
		const bucket = new TokenBucket(300, 1000, () => now);
		expect(bucket.reserve(200)).toBe(0);
		expect(bucket.reserve(800)).toBe(0);
		expect(bucket.reserve(300)).toBe(1000); // 300 short at 300/s
		expect(bucket.reserve(150)).toBe(1500); // queued behind the previous reservation
		now = 1500;
		expect(bucket.available()).toBeCloseTo(0);
		now = 10_000;
		expect(bucket.available()).toBe(1000); // never above the burst
	});

	it('lets a request larger than the burst through after a wait instead of blocking forever', () => {
		const bucket = new TokenBucket(100, 50, () => 0);
		expect(bucket.reserve(200)).toBe(1500);
	});

	it('is off at rate 0', () => {
		const bucket = new TokenBucket(0, 1, () => 0);
		expect(bucket.enabled).toBe(false);
		expect(bucket.reserve(1e6)).toBe(0);
	});
});

describe('retry policy', () => {
	it('retries 429 and 5xx only', () => {
		expect([429, 500, 502, 503, 599].every(isRetryableStatus)).toBe(true);
		expect([400, 401, 403, 404, 413, 200].some(isRetryableStatus)).toBe(false);
	});

	it('reads Retry-After as seconds or an HTTP date', () => {
		const now = Date.UTC(2026, 0, 1, 0, 0, 0);
		expect(parseRetryAfter('2', now)).toBe(2000);
		expect(parseRetryAfter('0.5', now)).toBe(500);
		expect(parseRetryAfter(new Date(now + 3000).toUTCString(), now)).toBe(3000);
		expect(parseRetryAfter(new Date(now - 3000).toUTCString(), now)).toBe(0);
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(['1', '9'], now)).toBe(1000);
	});

	it('uses full jitter under an exponential ceiling with a cap', () => {
		const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
		expect(backoffDelay(1, opts, () => 0.999)).toBe(99);
		expect(backoffDelay(3, opts, () => 0.5)).toBe(200);
		expect(backoffDelay(10, opts, () => 0.999)).toBe(999);
		expect(backoffDelay(4, opts, () => 0)).toBe(0);
	});

	it('stops on non-retryable answers, after max attempts, and past the time budget; honours Retry-After', () => {
		const options = { ...DEFAULT_RETRY, maxAttempts: 3, maxRetryDurationMs: 5000 };
		const random = () => 0.5;
		expect(decideRetry({ retryable: false, failedAttempts: 1, elapsedMs: 0, options, random })).toEqual({ retry: false, reason: 'notRetryable' });
		expect(decideRetry({ retryable: true, failedAttempts: 3, elapsedMs: 0, options, random })).toEqual({ retry: false, reason: 'attemptsExhausted' });
		expect(decideRetry({ retryable: true, failedAttempts: 1, elapsedMs: 0, retryAfterMs: 2000, options, random })).toEqual({ retry: true, delayMs: 2000 });
		expect(decideRetry({ retryable: true, failedAttempts: 1, elapsedMs: 4000, retryAfterMs: 2000, options, random })).toEqual({ retry: false, reason: 'durationExhausted' });
		expect(decideRetry({ retryable: true, failedAttempts: 2, elapsedMs: 0, options, random })).toEqual({ retry: true, delayMs: 500 });
	});
});

describe('one shared budget per Batch project and API per process', () => {
	it('gives every execution the same bucket for the same base URL and key, and another for another key or API', () => {
		const scope = { baseUrl: 'https://api.batch.com', api: 'profile' as const, key: 'project_a' };
		const first = sharedBucket(scope, 300, 1000);
		expect(sharedBucket({ ...scope, baseUrl: 'https://api.batch.com/' }, 300, 1000)).toBe(first);
		expect(sharedBucket({ ...scope, key: 'project_b' }, 300, 1000)).not.toBe(first);
		expect(sharedBucket({ ...scope, api: 'triggerEvents' }, 300, 1000)).not.toBe(first);
		expect(sharedBucket({ ...scope, baseUrl: 'http://127.0.0.1:4010' }, 300, 1000)).not.toBe(first);
	});

	it('keys its registry by a hash: no key is held in clear', () => {
		const id = rateScopeId({ baseUrl: 'https://api.batch.com', api: 'triggerEvents', key: 'APP_KEY_SECRET_123' });
		expect(id).toMatch(/^[0-9a-f]{64}$/);
		expect(id).not.toContain('APP_KEY');
	});

	it('follows the latest rate and burst without refilling', () => {
		let now = 0;
		const bucket = new TokenBucket(300, 1000, () => now);
		bucket.reserve(1000);
		bucket.configure(100, 50);
		expect(bucket.available()).toBe(0);
		now = 1000;
		expect(bucket.available()).toBe(50);
	});

	it('holds every sender back after a 429 (slowDown), even with client-side limiting off', () => {
		let now = 0;
		const bucket = new TokenBucket(300, 1000, () => now);
		expect(bucket.reserve(100)).toBe(0);
		bucket.slowDown(2000);
		expect(bucket.reserve(300)).toBe(2000); // blocked 2 s; the 300 tokens would take 1 s
		now = 2000;
		expect(bucket.available()).toBe(300); // emptied at the 429, refilled during the pause, minus the 300 reserved
		expect(bucket.reserve(400)).toBe(334);
		const off = new TokenBucket(0, 1, () => now);
		off.slowDown(500);
		expect(off.reserve(10)).toBe(500);
	});
});

describe('uncertain failures and delivery modes', () => {
	it('tells failures Batch certainly did not process from uncertain ones', () => {
		expect(failureCertainty({ status: 429 })).toBe('notSent');
		expect(failureCertainty({ status: 400 })).toBe('notSent');
		expect(failureCertainty({ status: 500 })).toBe('uncertain');
		expect(failureCertainty({ status: 503 })).toBe('uncertain');
		expect(failureCertainty({ networkCode: 'ECONNREFUSED' })).toBe('notSent');
		expect(failureCertainty({ networkCode: 'UND_ERR_CONNECT_TIMEOUT' })).toBe('notSent');
		for (const code of ['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ETIMEDOUT', 'NETWORK_ERROR']) {
			expect(failureCertainty({ networkCode: code })).toBe('uncertain');
		}
	});

	it('does not retry uncertain failures at most once; retries 429 past max attempts within the time budget', () => {
		const options = { ...DEFAULT_RETRY, maxAttempts: 2, maxRetryDurationMs: 60_000 };
		const random = () => 0.5;
		expect(decideRetry({ retryable: true, failedAttempts: 1, elapsedMs: 0, options, random, uncertain: true, delivery: 'atMostOnce' })).toEqual({ retry: false, reason: 'uncertainNotRetried' });
		expect(decideRetry({ retryable: true, failedAttempts: 1, elapsedMs: 0, options, random, uncertain: true, delivery: 'atLeastOnce' })).toMatchObject({ retry: true });
		expect(decideRetry({ retryable: true, failedAttempts: 1, elapsedMs: 0, options, random, uncertain: false, delivery: 'atMostOnce' })).toMatchObject({ retry: true });
		expect(decideRetry({ retryable: true, failedAttempts: 9, elapsedMs: 0, options, random, rateLimited: true })).toMatchObject({ retry: true });
		expect(decideRetry({ retryable: true, failedAttempts: 9, elapsedMs: 59_900, retryAfterMs: 200, options, random, rateLimited: true })).toEqual({ retry: false, reason: 'durationExhausted' });
	});
});
