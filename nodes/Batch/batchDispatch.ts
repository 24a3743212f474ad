/**
 * Sends the prepared items to Batch: builds each API's requests from consecutive items (at most the batch
 * size per request), runs them with bounded concurrency through the rate limiter and retry policy, and maps
 * every answer back to the items it carried.
 */
import { chunkConsecutive, groupInOrder } from './chunking';
import { runWithConcurrency } from './concurrency';
import type { PreparedItem, Operation } from './itemPreparation';
import { deliveriesFor, type Delivery } from './outcomes';
import type { Platform } from './platformRouting';
import { buildProfileOperation } from './profileOperations';
import { sendWithRetry, type OutgoingRequest, type SendDependencies } from './requestSending';
import type { Scrubber } from './secretScrubbing';
import { appKeyFieldFor, buildTriggerUserEvents, triggerEventsPath } from './triggerEventsRequests';
import type { BatchApiKind } from './validation';

export interface BatchCredentials {
	restApiKey: string;
	projectKey: string;
	iosApiKey?: string;
	androidApiKey?: string;
}

export interface DispatchSettings {
	api: BatchApiKind;
	operation: Operation;
	/** Entries per request (already capped at the API maximum). */
	batchSize: number;
	maxConcurrentRequests: number;
	profileApiVersion: string;
}

export interface DispatchReport {
	/** Deliveries per input item index (one per app for the Trigger Events API). */
	deliveries: Map<number, Delivery[]>;
	/** Requests built (retries not counted). */
	requests: number;
}

interface PlannedRequest {
	request: OutgoingRequest;
	entries: Array<{ itemIndex: number; platform?: Platform }>;
}

export function planProfileRequests(items: readonly PreparedItem[], settings: DispatchSettings, credentials: BatchCredentials): PlannedRequest[] {
	const headers = {
		authorization: `Bearer ${credentials.restApiKey}`,
		'x-batch-project': credentials.projectKey,
	};
	return chunkConsecutive(items, settings.batchSize).map((chunk) => ({
		request: {
			method: 'POST',
			path: `/${settings.profileApiVersion}/profiles/update`,
			headers,
			body: JSON.stringify(chunk.map((item) => buildProfileOperation(item, settings.operation))),
			cost: chunk.length,
		},
		entries: chunk.map((item) => ({ itemIndex: item.itemIndex })),
	}));
}

export function planTriggerEventsRequests(items: readonly PreparedItem[], settings: DispatchSettings, credentials: BatchCredentials): PlannedRequest[] {
	const headers = { 'x-authorization': credentials.restApiKey };
	const perApp = items.flatMap((item) => item.platforms.map((platform) => ({ item, platform })));
	const planned: PlannedRequest[] = [];
	for (const [platform, entries] of groupInOrder(perApp, (entry) => entry.platform)) {
		const appKey = credentials[appKeyFieldFor(platform)] ?? '';
		for (const chunk of chunkConsecutive(entries, settings.batchSize)) {
			planned.push({
				request: {
					method: 'POST',
					path: triggerEventsPath(appKey),
					headers,
					body: JSON.stringify(chunk.map(({ item }) => buildTriggerUserEvents(item))),
					cost: chunk.length,
				},
				entries: chunk.map(({ item }) => ({ itemIndex: item.itemIndex, platform })),
			});
		}
	}
	return planned;
}

export async function dispatchItems(
	items: readonly PreparedItem[],
	settings: DispatchSettings,
	credentials: BatchCredentials,
	deps: SendDependencies,
	scrub: Scrubber,
): Promise<DispatchReport> {
	const planned =
		settings.api === 'profile' ? planProfileRequests(items, settings, credentials) : planTriggerEventsRequests(items, settings, credentials);
	const results = await runWithConcurrency(
		planned.map(({ request, entries }) => async () => deliveriesFor(entries, await sendWithRetry(deps, request), scrub)),
		settings.maxConcurrentRequests,
	);
	const deliveries = new Map<number, Delivery[]>();
	for (const delivery of results.flat()) {
		const list = deliveries.get(delivery.itemIndex);
		if (list) list.push(delivery);
		else deliveries.set(delivery.itemIndex, [delivery]);
	}
	return { deliveries, requests: planned.length };
}
