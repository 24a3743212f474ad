/**
 * Sends one request to Batch: waits for rate-limit tokens, sends, and retries per retryPolicy.ts.
 * Transport-agnostic (the undici client in production, anything implementing BatchTransport in tests).
 *
 * - A 429 empties the (shared) bucket and holds every sender back for Retry-After or the backoff delay, then
 *   the request is retried for as long as Max Retry Duration allows (429s do not count against Max Attempts).
 * - An uncertain failure (5xx, timeout or reset after sending) is retried in at-least-once delivery and the
 *   result says so (`possibleDuplicate`); in at-most-once delivery it is not retried (`gaveUp: 'uncertainNotRetried'`).
 * - The execution's cancel signal aborts the rate-limit and backoff waits and the request in flight.
 * - Every string of an answer or error is scrubbed as soon as it arrives (answers are logged and read later).
 */
import * as workflow from 'n8n-workflow';
import { OPTION_DEFAULTS } from './optionDefaults';
import type { TokenBucket } from './rateLimiter';
import {
	decideRetry,
	failureCertainty,
	isRetryableStatus,
	parseRetryAfter,
	type DeliveryMode,
	type RetryDecision,
	type RetryOptions,
} from './retryPolicy';
import { scrubDeep, type Scrubber } from './secretScrubbing';
import { BatchNetworkError, type BatchTransport } from './transport/batchHttpClient';

export interface SendDependencies {
	transport: BatchTransport;
	/** The bucket of requests that carry none (tests; the node gives each request its scope's shared bucket). */
	bucket: TokenBucket;
	retry: RetryOptions;
	/** Waits `ms`; resolves early when `signal` aborts. */
	sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
	random: () => number;
	now: () => number;
	/** n8n's execution-cancel signal: waits and the request in flight abort, no new attempt starts. */
	signal?: AbortSignal;
	/** Default `atLeastOnce`. */
	delivery?: DeliveryMode;
	/** Applied to every string of every answer and error before anything reads it. Default: none. */
	scrub?: Scrubber;
	/** Log lines (already scrubbed): a retry at debug level, a request given up at warn level. */
	log?: (level: 'debug' | 'warn', message: string) => void;
}

export interface OutgoingRequest {
	method: 'GET' | 'POST';
	path: string;
	headers: Record<string, string>;
	/** JSON text, or its bytes (Output One Summary Item's packed requests, operationPacking.ts). */
	body?: string | Uint8Array;
	/** Rate-limit tokens this request spends (operations or events in it). */
	cost: number;
	/** The rate budget it draws from (default: deps.bucket). */
	bucket?: TokenBucket;
	/** What the log calls it (no key), e.g. "Profile API request 3". */
	label?: string;
	/** The caller already waited for this request's tokens (first attempt only). */
	prepaid?: boolean;
}

export type GiveUpReason = Exclude<RetryDecision, { retry: true }>['reason'] | 'cancelled';

interface Common {
	attempts: number;
	/** A later attempt followed an uncertain failure: Batch may have recorded this request twice. */
	possibleDuplicate?: boolean;
	/** The last failure was uncertain: Batch may or may not have recorded the request. */
	uncertain?: boolean;
}

export type SendResult =
	| ({ kind: 'answer'; status: number; body: unknown; gaveUp?: GiveUpReason } & Common)
	| ({ kind: 'network'; code: string; message: string; gaveUp: GiveUpReason } & Common);

const CANCEL_TEXT = {
	beforeSending: 'the execution was cancelled before this request was sent',
	waiting: 'the execution was cancelled while waiting to retry',
	inFlight: 'the execution was cancelled while this request was in flight',
};

type SleepWithAbort = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * A sleep that resolves at once when `signal` aborts. n8n-workflow's sleepWithAbort (feature-detected: older
 * n8n 1.x lack it) clears its timer on abort; it gets a signal of its own per sleep, so that the execution's
 * signal does not collect a listener per wait.
 */
export async function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
	if (ms <= 0 || signal?.aborted) return;
	if (!signal) return await workflow.sleep(ms);
	const local = new AbortController();
	const forward = () => local.abort();
	signal.addEventListener('abort', forward, { once: true });
	try {
		const withAbort = (workflow as { sleepWithAbort?: SleepWithAbort }).sleepWithAbort;
		if (withAbort) await withAbort(ms, local.signal);
		else await Promise.race([workflow.sleep(ms), new Promise<void>((resolve) => local.signal.addEventListener('abort', () => resolve(), { once: true }))]);
	} catch {
		// Aborted: the caller checks the execution's signal.
	} finally {
		signal.removeEventListener('abort', forward);
	}
}

export async function sendWithRetry(deps: SendDependencies, request: OutgoingRequest): Promise<SendResult> {
	const scrub: Scrubber = deps.scrub ?? ((text) => text);
	const bucket = request.bucket ?? deps.bucket;
	const label = request.label ?? `${request.method} request`;
	const startedAt = deps.now();
	let attempts = 0;
	let counted = 0; // failures counted against Max Attempts (429s are not)
	let rateLimited = 0;
	let possibleDuplicate = false;
	let lastUncertain = false;

	const cancelled = (when: keyof typeof CANCEL_TEXT, uncertain = lastUncertain): SendResult => ({
		kind: 'network',
		code: 'CANCELLED',
		message: `CANCELLED: ${CANCEL_TEXT[when]}`,
		attempts,
		gaveUp: 'cancelled',
		possibleDuplicate,
		uncertain,
	});

	for (;;) {
		if (deps.signal?.aborted) return cancelled(attempts === 0 ? 'beforeSending' : 'waiting');
		const wait = attempts === 0 && request.prepaid ? 0 : bucket.reserve(request.cost);
		if (wait > 0) await deps.sleep(wait, deps.signal);
		if (deps.signal?.aborted) return cancelled(attempts === 0 ? 'beforeSending' : 'waiting');

		attempts++;
		if (lastUncertain) possibleDuplicate = true;
		let retryable: boolean;
		let retryAfterMs: number | undefined;
		let uncertain: boolean;
		let result: SendResult;
		try {
			const answer = await deps.transport.request(request.method, request.path, request.headers, request.body, deps.signal);
			const body = scrubDeep(answer.body, scrub);
			uncertain = failureCertainty({ status: answer.status }) === 'uncertain' && answer.status >= 300;
			result = { kind: 'answer', status: answer.status, body, attempts, possibleDuplicate, uncertain };
			if (answer.status >= 200 && answer.status < 300) return result;
			retryable = isRetryableStatus(answer.status);
			const header = answer.headers['retry-after'];
			retryAfterMs = parseRetryAfter(Array.isArray(header) ? header.map(scrub) : header === undefined ? undefined : scrub(header), deps.now());
			if (answer.status === 429) {
				rateLimited++;
			} else counted++;
		} catch (error) {
			// Network failures are retried; anything else thrown by the transport is reported, not retried.
			const network = error instanceof BatchNetworkError;
			const code = scrub(network ? error.code : 'CLIENT_ERROR');
			if (deps.signal?.aborted) {
				// Aborted in flight: the request may have reached Batch.
				lastUncertain = true;
				return cancelled('inFlight', true);
			}
			const message = scrub(network ? error.message : `CLIENT_ERROR: ${error instanceof Error ? error.message : String(error)}`);
			uncertain = !network || failureCertainty({ networkCode: code }) === 'uncertain';
			result = { kind: 'network', code, message, attempts, gaveUp: 'attemptsExhausted', possibleDuplicate, uncertain };
			retryable = network;
			counted++;
		}
		lastUncertain = uncertain;

		const isRateLimited = result.kind === 'answer' && result.status === 429;
		const decision = decideRetry({
			retryable,
			failedAttempts: Math.max(1, counted),
			elapsedMs: deps.now() - startedAt,
			retryAfterMs,
			options: deps.retry,
			random: deps.random,
			rateLimited: isRateLimited,
			uncertain,
			delivery: deps.delivery ?? OPTION_DEFAULTS.delivery,
			backoffStep: isRateLimited ? rateLimited : counted,
		});
		const what = result.kind === 'answer' ? `HTTP ${result.status}` : result.code;
		if (!decision.retry) {
			if (decision.reason !== 'notRetryable') deps.log?.('warn', `Batch: ${label} gave up after ${attempts} attempt(s), last ${what} (${decision.reason})`);
			return { ...result, gaveUp: decision.reason };
		}
		// A 429 says the budget is spent: every sender sharing this bucket holds back, not only this one.
		if (isRateLimited) bucket.slowDown(decision.delayMs);
		deps.log?.('debug', `Batch: ${label} got ${what} on attempt ${attempts}; retrying in ${decision.delayMs} ms`);
		if (!isRateLimited) await deps.sleep(decision.delayMs, deps.signal);
	}
}
