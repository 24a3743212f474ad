/**
 * Sends the prepared items to Batch: groups consecutive items into each API's requests (at most the batch
 * size per request), runs them with bounded concurrency through the rate budget and retry policy, and maps
 * every answer back to the items it carried.
 *
 * A request's body is built when it is about to go (after its rate-limit wait), and the event times of its
 * items are checked then, against Batch's window at that moment: an item whose time is in the future (or
 * older than 24 hours) is reported on its own and left out, so it never fails the other items' call.
 *
 * Each request is built whole (path, headers, body) by its API's request module (profileApiRequest.ts,
 * triggerEventsApiRequest.ts). A dry run (dryRun.ts) plans and builds the same requests and sends none.
 */
import { MAX_EVENTS_PER_PROFILE_PER_REQUEST, type ProfileEndpoint } from './batchLimits';
import { chunkConsecutive, chunkConsecutiveCapped, groupInOrder } from './chunking';
import { runWithConcurrency } from './concurrency';
import type { ItemIssue } from './itemIssue';
import type { PreparedItem, Operation } from './itemPreparation';
import { deliveriesFor, type Delivery } from './outcomes';
import { profileRateScopeApi } from './endpointSelection';
import type { Platform } from './platformRouting';
import { buildProfileOperation, profileApiRequest } from './profileApiRequest';
import type { RateScope, TokenBucket } from './rateLimiter';
import type { RequestDescription } from './requestDescription';
import { sendWithRetry, type OutgoingRequest, type SendDependencies, type SendResult } from './requestSending';
import type { Scrubber } from './secretScrubbing';
import { appKeyFieldFor, buildTriggerUserEvents, triggerEventsApiRequest } from './triggerEventsApiRequest';
import { checkEventTime, type BatchApiKind } from './validation';

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
	/** Profile API: `/profiles/update` (default) or `/profiles/mass-update` (see endpointSelection.ts). */
	profileEndpoint?: ProfileEndpoint;
	/** Profile API: name the endpoint on each delivery (output `batch.endpoint`). */
	reportEndpoint?: boolean;
	/** The base URL requests go to: with the project or app key, it names the rate budget (see rateLimiter.ts). */
	baseUrl?: string;
	/** How messages name the event time (default: version 1's `eventOptions.time`). */
	timeLabel?: string;
}

export interface DispatchReport {
	/** Deliveries per input item index (one per app for the Trigger Events API). */
	deliveries: Map<number, Delivery[]>;
	/** Items left out of their request when it was built (event time outside Batch's window then). */
	refused: Map<number, ItemIssue[]>;
	/** Requests built (retries not counted). */
	requests: number;
}

/** What the time check and the answer need of an entry: its item's index and event time. */
export interface TimedEntry {
	item: Pick<PreparedItem, 'itemIndex' | 'timeMs'>;
	platform?: Platform;
}

/** One item's place in a request: the item, and (Trigger Events API) the app it goes to. */
export interface Entry extends TimedEntry {
	item: PreparedItem;
}

/** One request to be built from its entries when it is about to go (a real run), or at once (a dry run). */
export interface PlannedRequest<E = Entry> {
	/** What the log calls it (no key). */
	label: string;
	entries: E[];
	/** An entry's item (index, event time) and app: what the time check and the answer need. */
	timedOf: (entry: E) => TimedEntry;
	scope: RateScope;
	/** Profile API: the endpoint it goes to. */
	endpoint?: ProfileEndpoint;
	/** The whole request for these entries (a subset of `entries`, in order): the request modules build it. */
	describe: (entries: readonly E[]) => RequestDescription<unknown[]>;
	/** The body, when the entries carry their part already serialised (default: JSON.stringify of describe's body). */
	bodyOf?: (entries: readonly E[]) => string | Uint8Array;
}

/** An entry that is its own TimedEntry (planned requests' entries). */
export const sameEntry = (entry: Entry): TimedEntry => entry;

/** What every Profile API request of a run shares: its endpoint, its rate budget, and what the log calls the n-th (1-based). */
export function profileRequestParts(settings: DispatchSettings, credentials: BatchCredentials): { endpoint: ProfileEndpoint; scope: RateScope; label: (number: number) => string } {
	const endpoint = settings.profileEndpoint ?? 'update';
	return {
		endpoint,
		scope: { baseUrl: settings.baseUrl ?? '', api: profileRateScopeApi(endpoint), key: credentials.projectKey },
		label: (number) => `Profile API ${endpoint === 'massUpdate' ? 'mass-update ' : ''}request ${number}`,
	};
}

export function planProfileRequests(items: readonly PreparedItem[], settings: DispatchSettings, credentials: BatchCredentials): PlannedRequest[] {
	const { endpoint, scope, label } = profileRequestParts(settings, credentials);
	// Track Event: one event per item, at most MAX_EVENTS_PER_PROFILE_PER_REQUEST per profile in one request.
	const chunks =
		settings.operation === 'trackEvent'
			? chunkConsecutiveCapped(items, settings.batchSize, (item) => `${item.identifierType}:${item.identifier}`, MAX_EVENTS_PER_PROFILE_PER_REQUEST)
			: chunkConsecutive(items, settings.batchSize);
	return chunks.map((chunk, index) => ({
		label: label(index + 1),
		entries: chunk.map((item) => ({ item })),
		timedOf: sameEntry,
		scope,
		endpoint,
		describe: (entries) =>
			profileApiRequest(
				entries.map(({ item }) => buildProfileOperation(item, settings.operation)),
				endpoint,
				credentials,
			),
	}));
}

export function planTriggerEventsRequests(items: readonly PreparedItem[], settings: DispatchSettings, credentials: BatchCredentials): PlannedRequest[] {
	const perApp = items.flatMap((item) => item.platforms.map((platform) => ({ item, platform })));
	const planned: PlannedRequest[] = [];
	for (const [platform, entries] of groupInOrder(perApp, (entry) => entry.platform)) {
		const appApiKey = credentials[appKeyFieldFor(platform)] ?? '';
		const scope: RateScope = { baseUrl: settings.baseUrl ?? '', api: 'triggerEvents', key: appApiKey };
		chunkConsecutive(entries, settings.batchSize).forEach((chunk, index) => {
			planned.push({
				label: `Trigger Events API request ${index + 1} (${platform} app)`,
				entries: chunk,
				timedOf: sameEntry,
				scope,
				describe: (kept) =>
					triggerEventsApiRequest(
						kept.map(({ item }) => buildTriggerUserEvents(item)),
						{ restApiKey: credentials.restApiKey, appApiKey },
					),
			});
		});
	}
	return planned;
}

/** The requests of an execution, in the order they start (see dispatchItems). */
export function planRequests(items: readonly PreparedItem[], settings: DispatchSettings, credentials: BatchCredentials): PlannedRequest[] {
	return settings.api === 'profile' ? planProfileRequests(items, settings, credentials) : planTriggerEventsRequests(items, settings, credentials);
}

export interface DispatchDependencies extends SendDependencies {
	/** The rate budget of a scope (the node: the process-wide shared bucket). Default: deps.bucket. */
	bucketFor?: (scope: RateScope) => TokenBucket;
}

/** Splits entries into those whose event time is inside Batch's window now, and the issues of the others. */
export function checkTimesAtBuild<E>(
	entries: readonly E[],
	timedOf: (entry: E) => TimedEntry,
	nowMs: number,
	timeLabel = 'eventOptions.time',
): { kept: E[]; keptTimed: TimedEntry[]; refused: Array<{ itemIndex: number; issue: ItemIssue }> } {
	const kept: E[] = [];
	const keptTimed: TimedEntry[] = [];
	const refused: Array<{ itemIndex: number; issue: ItemIssue }> = [];
	for (const entry of entries) {
		const timed = timedOf(entry);
		const { item } = timed;
		const problem = item.timeMs === undefined ? undefined : checkEventTime(timeLabel, item.timeMs, nowMs);
		if (problem) {
			refused.push({ itemIndex: item.itemIndex, issue: problem });
		} else {
			kept.push(entry);
			keptTimed.push(timed);
		}
	}
	return { kept, keptTimed, refused };
}

/** Adds items left out of a request to `refused`; an item sent to both apps is checked once per request: its problem is reported once. */
export function addRefused(refused: Map<number, ItemIssue[]>, late: ReadonlyArray<{ itemIndex: number; issue: ItemIssue }>): void {
	for (const { itemIndex, issue } of late) {
		const list = refused.get(itemIndex);
		if (!list) refused.set(itemIndex, [issue]);
		else if (!list.some((known) => known.message === issue.message)) list.push(issue);
	}
}

/**
 * Sends one planned request: its rate-limit wait first, so that the event times are checked at the moment of
 * sending (items outside Batch's window then are added to `refused` and left out), then the request built, sent
 * and retried, and each entry's fate.
 */
export async function sendPlanned<E>(
	plan: PlannedRequest<E>,
	settings: DispatchSettings,
	deps: DispatchDependencies,
	scrub: Scrubber,
	refused: Map<number, ItemIssue[]>,
): Promise<Delivery[]> {
	const bucket = deps.bucketFor?.(plan.scope) ?? deps.bucket;
	const wait = bucket.reserve(plan.entries.length);
	if (wait > 0) await deps.sleep(wait, deps.signal);
	const { kept, keptTimed, refused: late } = checkTimesAtBuild(plan.entries, plan.timedOf, deps.now(), settings.timeLabel);
	addRefused(refused, late);
	if (kept.length === 0) return [];
	const { method, path, headers, body } = plan.describe(kept);
	const sent = plan.bodyOf ? plan.bodyOf(kept) : JSON.stringify(body);
	const request: OutgoingRequest = { method, path, headers, body: sent, label: plan.label, cost: kept.length, bucket, prepaid: true };
	const result: SendResult = await sendWithRetry(deps, request);
	const delivered = deliveriesFor(
		keptTimed.map(({ item, platform }) => ({ itemIndex: item.itemIndex, platform })),
		result,
		scrub,
	);
	if (plan.endpoint && settings.reportEndpoint) for (const delivery of delivered) delivery.endpoint = plan.endpoint;
	return delivered;
}

export async function dispatchItems(
	items: readonly PreparedItem[],
	settings: DispatchSettings,
	credentials: BatchCredentials,
	deps: DispatchDependencies,
	scrub: Scrubber,
): Promise<DispatchReport> {
	const planned = planRequests(items, settings, credentials);
	const refused = new Map<number, ItemIssue[]>();
	const results = await runWithConcurrency(
		planned.map((plan) => () => sendPlanned(plan, settings, deps, scrub, refused)),
		settings.maxConcurrentRequests,
	);
	const deliveries = new Map<number, Delivery[]>();
	for (const delivery of results.flat()) {
		const list = deliveries.get(delivery.itemIndex);
		if (list) list.push(delivery);
		else deliveries.set(delivery.itemIndex, [delivery]);
	}
	return { deliveries, refused, requests: planned.length };
}
