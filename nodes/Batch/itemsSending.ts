/**
 * Sending a run's prepared items (n8n glue around batchDispatch.ts): one connection pool for the execution (its
 * items at once, window after window, or request after request), the process-wide rate budgets, the retry policy,
 * the execution's cancel signal, and log lines without keys.
 */
import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import { dispatchItems, sendPlanned, type DispatchDependencies, type DispatchReport, type DispatchSettings, type PlannedRequest } from './batchDispatch';
import type { ItemIssue } from './itemIssue';
import type { Delivery } from './outcomes';
import { rateSettingsFor } from './endpointSelection';
import type { PreparedItem } from './itemPreparation';
import { sharedBucket, TokenBucket } from './rateLimiter';
import { abortableSleep } from './requestSending';
import { retryOptions } from './retryPolicy';
import type { RunConfiguration } from './runSettingsReading';
import { BatchHttpClient } from './transport/batchHttpClient';

/** Sends windows of prepared items, or single planned requests, over one connection pool, then closes it. */
export interface ItemSender {
	send(sendable: readonly PreparedItem[], settings: DispatchSettings): Promise<DispatchReport>;
	/** One request (see batchDispatch.ts sendPlanned): items left out by the time check go to `refused`. */
	sendRequest<E>(plan: PlannedRequest<E>, settings: DispatchSettings, refused: Map<number, ItemIssue[]>): Promise<Delivery[]>;
	close(): Promise<void>;
}

export function openSender(context: IExecuteFunctions, config: RunConfiguration): ItemSender {
	const node = context.getNode();
	const { options, scrub } = config;
	const client = new BatchHttpClient({
		baseUrl: config.baseUrl,
		connections: options.maxConcurrentRequests,
		connectTimeoutMs: options.requestTimeout,
		requestTimeoutMs: options.requestTimeout,
	});
	// Cancelling the execution aborts the waits and the requests in flight and drops the connections at once;
	// every item is still reported (n8n 1.x versions without the signal: feature-detected, no-op).
	const signal = (context as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal?.();
	const onCancel = () => void client.destroy().catch(() => undefined);
	const logger = context.logger;
	signal?.addEventListener('abort', onCancel, { once: true });
	const deps: DispatchDependencies = {
		transport: client,
		bucket: new TokenBucket(options.rateLimitPerSecond, options.rateLimitBurst),
		// One budget per Batch project and endpoint (Profile API) or app (Trigger Events API) for this whole n8n process.
		bucketFor: (scope) => {
			const rate = rateSettingsFor(scope.api, { ratePerSecond: options.rateLimitPerSecond, burst: options.rateLimitBurst });
			return sharedBucket(scope, rate.ratePerSecond, rate.burst);
		},
		retry: retryOptions(options),
		sleep: abortableSleep,
		random: Math.random,
		now: Date.now,
		signal,
		delivery: config.delivery,
		scrub,
		log: (level, message) => logger?.[level]?.(scrub(message), { node: node.name }),
	};
	const operatorError = (error: unknown) => new NodeOperationError(node, scrub(error instanceof Error ? error.message : String(error)));
	return {
		async send(sendable, settings) {
			try {
				return await dispatchItems(sendable, settings, config.credentials, deps, scrub);
			} catch (error) {
				throw operatorError(error);
			}
		},
		async sendRequest(plan, settings, refused) {
			try {
				return await sendPlanned(plan, settings, deps, scrub, refused);
			} catch (error) {
				throw operatorError(error);
			}
		},
		async close() {
			signal?.removeEventListener('abort', onCancel);
			await client.close();
		},
	};
}

/** Sends a run's prepared items at once. */
export async function sendItems(context: IExecuteFunctions, sendable: readonly PreparedItem[], settings: DispatchSettings, config: RunConfiguration): Promise<DispatchReport> {
	const sender = openSender(context, config);
	try {
		return await sender.send(sendable, settings);
	} finally {
		await sender.close();
	}
}
