/**
 * When to retry a request to Batch, and how long to wait.
 * Retried: 429, every 5xx (503 = maintenance) and network failures (refused, reset, timeouts, dropped
 * connections). Not retried: any other status (4xx: the request itself is wrong and would fail again).
 * Waits: exponential backoff with full jitter (a random delay between 0 and min(cap, base × 2^(n-1))),
 * or the server's `Retry-After` (seconds or an HTTP date) when it sent one. Bounded by a number of attempts
 * and by a total duration: a retry whose wait would end past the budget is not made.
 * Batch has no idempotency key, so a retried request whose first try did reach Batch may record twice.
 */

export interface RetryOptions {
	/** Attempts in total, the first included (1 = never retry). */
	maxAttempts: number;
	/** Milliseconds from the first attempt after which no retry starts. */
	maxRetryDurationMs: number;
	/** First backoff ceiling. */
	baseDelayMs: number;
	/** Largest backoff ceiling. */
	maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, maxRetryDurationMs: 60_000, baseDelayMs: 500, maxDelayMs: 30_000 };

export function isRetryableStatus(status: number): boolean {
	return status === 429 || (status >= 500 && status <= 599);
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined) return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = Date.parse(text);
	if (Number.isNaN(at)) return undefined;
	return Math.max(0, at - nowMs);
}

/** Full jitter: uniform in [0, min(maxDelay, base × 2^(failedAttempts-1))]. `random` returns [0, 1). */
export function backoffDelay(failedAttempts: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
	const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1));
	return Math.floor(random() * ceiling);
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason: 'notRetryable' | 'attemptsExhausted' | 'durationExhausted' };

/**
 * Decides after a failed attempt. `failedAttempts` counts attempts made so far (≥ 1); `elapsedMs` is the time
 * since the first attempt started; `retryAfterMs` is the server's request, if any.
 */
export function decideRetry(input: {
	retryable: boolean;
	failedAttempts: number;
	elapsedMs: number;
	retryAfterMs?: number;
	options: RetryOptions;
	random: () => number;
}): RetryDecision {
	const { retryable, failedAttempts, elapsedMs, retryAfterMs, options, random } = input;
	if (!retryable) return { retry: false, reason: 'notRetryable' };
	if (failedAttempts >= options.maxAttempts) return { retry: false, reason: 'attemptsExhausted' };
	const delayMs = retryAfterMs !== undefined ? retryAfterMs : backoffDelay(failedAttempts, options, random);
	if (elapsedMs + delayMs > options.maxRetryDurationMs) return { retry: false, reason: 'durationExhausted' };
	return { retry: true, delayMs };
}
