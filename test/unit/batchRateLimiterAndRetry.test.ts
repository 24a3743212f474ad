import { TokenBucket } from '../../nodes/Batch/rateLimiter';
import { backoffDelay, decideRetry, DEFAULT_RETRY, isRetryableStatus, parseRetryAfter } from '../../nodes/Batch/retryPolicy';

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
