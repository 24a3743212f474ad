/**
 * Sends one request to Batch: waits for rate-limit tokens, sends, and retries per retryPolicy.ts.
 * Transport-agnostic (the undici client in production, anything implementing BatchTransport in tests).
 */
import type { TokenBucket } from './rateLimiter';
import { decideRetry, isRetryableStatus, parseRetryAfter, type RetryDecision, type RetryOptions } from './retryPolicy';
import { BatchNetworkError, type BatchTransport } from './transport/batchHttpClient';

export interface SendDependencies {
	transport: BatchTransport;
	bucket: TokenBucket;
	retry: RetryOptions;
	sleep: (ms: number) => Promise<void>;
	random: () => number;
	now: () => number;
	/** n8n's execution-cancel signal: no new attempt starts once it has fired. */
	signal?: AbortSignal;
}

export interface OutgoingRequest {
	method: 'GET' | 'POST';
	path: string;
	headers: Record<string, string>;
	body?: string;
	/** Rate-limit tokens this request spends (operations or events in it). */
	cost: number;
}

export type GiveUpReason = Exclude<RetryDecision, { retry: true }>['reason'];

export type SendResult =
	| { kind: 'answer'; status: number; body: unknown; attempts: number; gaveUp?: GiveUpReason }
	| { kind: 'network'; code: string; message: string; attempts: number; gaveUp: GiveUpReason };

export async function sendWithRetry(deps: SendDependencies, request: OutgoingRequest): Promise<SendResult> {
	const startedAt = deps.now();
	const cancelled = (attempts: number): SendResult => ({
		kind: 'network',
		code: 'CANCELLED',
		message: 'CANCELLED: the execution was cancelled before this request was sent',
		attempts,
		gaveUp: 'notRetryable',
	});
	for (let attempt = 1; ; attempt++) {
		if (deps.signal?.aborted) return cancelled(attempt - 1);
		const wait = deps.bucket.reserve(request.cost);
		if (wait > 0) await deps.sleep(wait);
		if (deps.signal?.aborted) return cancelled(attempt - 1);

		let retryable: boolean;
		let retryAfterMs: number | undefined;
		let result: SendResult;
		try {
			const answer = await deps.transport.request(request.method, request.path, request.headers, request.body);
			result = { kind: 'answer', status: answer.status, body: answer.body, attempts: attempt };
			if (answer.status >= 200 && answer.status < 300) return result;
			retryable = isRetryableStatus(answer.status);
			retryAfterMs = parseRetryAfter(answer.headers['retry-after'], deps.now());
		} catch (error) {
			// Network failures are retried; anything else thrown by the transport is reported, not retried.
			const network = error instanceof BatchNetworkError;
			const code = network ? error.code : 'CLIENT_ERROR';
			const message = network ? error.message : `CLIENT_ERROR: ${error instanceof Error ? error.message : String(error)}`;
			result = { kind: 'network', code, message, attempts: attempt, gaveUp: 'attemptsExhausted' };
			retryable = network;
		}

		const decision = decideRetry({
			retryable,
			failedAttempts: attempt,
			elapsedMs: deps.now() - startedAt,
			retryAfterMs,
			options: deps.retry,
			random: deps.random,
		});
		if (!decision.retry) return { ...result, gaveUp: decision.reason };
		await deps.sleep(decision.delayMs);
	}
}
