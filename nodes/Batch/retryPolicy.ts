/**
 * When to retry a request to Batch, and how long to wait.
 * Retried: 429, every 5xx (503 = maintenance) and network failures (refused, reset, timeouts, dropped
 * connections). Not retried: any other status (4xx: the request itself is wrong and would fail again).
 * Waits: exponential backoff with full jitter (a random delay between 0 and min(cap, base × 2^(n-1))),
 * or the server's `Retry-After` (seconds or an HTTP date) when it sent one. A retry whose wait would end past
 * the time budget (Max Retry Duration) is not made; failures other than 429 are also bounded by Max Attempts,
 * while 429s are retried for as long as the time budget lasts (Batch refused the request: nothing was recorded).
 *
 * Batch has no idempotency key, so a request retried after an *uncertain* failure (a timeout or a reset after
 * it was sent, a 5xx: Batch may have processed it) may record twice. `failureCertainty` tells the two kinds
 * apart; in at-most-once delivery uncertain failures are not retried.
 */

import { OPTION_DEFAULTS } from './optionDefaults';

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

/** The backoff ceilings (not options of the node): 0.5 s after the first failure, doubling, at most 30 s. */
export const BACKOFF: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'> = { baseDelayMs: 500, maxDelayMs: 30_000 };

/** The retry policy when Max Attempts and Max Retry Duration keep their defaults (optionDefaults.ts). */
export const DEFAULT_RETRY: RetryOptions = retryOptions(OPTION_DEFAULTS);

/** The retry policy of the options Max Attempts and Max Retry Duration (seconds), with the fixed backoff. */
export function retryOptions(options: { maxAttempts: number; maxRetryDuration: number }): RetryOptions {
	return { maxAttempts: options.maxAttempts, maxRetryDurationMs: options.maxRetryDuration * 1000, ...BACKOFF };
}

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

/** `atLeastOnce`: retry, may duplicate (default). `atMostOnce`: no retry after an uncertain failure. */
export type DeliveryMode = 'atLeastOnce' | 'atMostOnce';

/**
 * `notSent`: Batch did not process the request (429; no connection could be made).
 * `uncertain`: it may have (5xx; the connection dropped or timed out after the request went out).
 */
export type FailureCertainty = 'notSent' | 'uncertain';

/** Network error codes for which the request never left this machine (no connection was established). */
const NOT_SENT_NETWORK_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function failureCertainty(failure: { status: number } | { networkCode: string }): FailureCertainty {
	if ('status' in failure) return failure.status >= 500 ? 'uncertain' : 'notSent';
	return NOT_SENT_NETWORK_CODES.has(failure.networkCode) ? 'notSent' : 'uncertain';
}

export type RetryDecision =
	| { retry: true; delayMs: number }
	| { retry: false; reason: 'notRetryable' | 'attemptsExhausted' | 'durationExhausted' | 'uncertainNotRetried' };

/**
 * Decides after a failed attempt. `failedAttempts` counts the failures so far that count against Max Attempts
 * (≥ 1; 429s do not count); `elapsedMs` is the time since the first attempt started; `retryAfterMs` is the
 * server's request, if any. `rateLimited`: the failure was a 429 (bounded by the time budget only).
 * `uncertain` + `delivery: 'atMostOnce'`: not retried.
 */
export function decideRetry(input: {
	retryable: boolean;
	failedAttempts: number;
	elapsedMs: number;
	retryAfterMs?: number;
	options: RetryOptions;
	random: () => number;
	rateLimited?: boolean;
	uncertain?: boolean;
	delivery?: DeliveryMode;
	/** Exponent of the backoff (default failedAttempts); the sender passes its count of 429s for a 429. */
	backoffStep?: number;
}): RetryDecision {
	const { retryable, failedAttempts, elapsedMs, retryAfterMs, options, random } = input;
	if (!retryable) return { retry: false, reason: 'notRetryable' };
	if (input.uncertain && input.delivery === 'atMostOnce') return { retry: false, reason: 'uncertainNotRetried' };
	if (!input.rateLimited && failedAttempts >= options.maxAttempts) return { retry: false, reason: 'attemptsExhausted' };
	const delayMs = retryAfterMs !== undefined ? retryAfterMs : backoffDelay(input.backoffStep ?? failedAttempts, options, random);
	if (elapsedMs + delayMs > options.maxRetryDurationMs) return { retry: false, reason: 'durationExhausted' };
	return { retry: true, delayMs };
}
