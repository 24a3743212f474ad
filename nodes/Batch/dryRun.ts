/**
 * Option Dry Run (version 2): every request a real run would send, built by the same code (batchDispatch.ts
 * plans them, the request modules build them) and shown on the items it carries; nothing is sent, no rate budget
 * is spent. Pure: no I/O.
 *
 * Output item (documented in README "Dry run" and docs/architecture.md): version 2's fields (`accepted` false:
 * nothing was sent; no `batch`, no `sent`) plus
 *   dryRun: {
 *     valid: boolean,                  — false: the item has `error`, exactly as a real run would report it
 *     method, url, headers,            — its request (keys masked: `Bearer •••• (REST API key)`)
 *     body,                            — this item's part of the body: the operation (Profile API) or the
 *                                        item's `{ id, events }` entry (Trigger Events API), exactly as sent
 *     endpoint?: 'update' | 'massUpdate',  — Profile API: the endpoint a real run picks for these items
 *     platform?: 'ios' | 'android',    — Trigger Events API: the app
 *     requestIndex, requestCount,      — 0-based index of its request among the run's requests, and their number
 *     itemsInRequest, positionInRequest,  — its request's size, and its 0-based place there (Batch's bulk_index)
 *     byPlatform?: { ios, android },   — an item sent to both apps: both requests (the flat fields show the first)
 *     eventTimeCheckedAt?: ISO string  — an event with a time: when it was checked against Batch's window
 *   }
 * A real run checks event times again when each request is about to go (after its rate-limit wait); a dry run
 * checks them once, when it runs, and says when.
 */
import { addRefused, checkTimesAtBuild, planRequests, type BatchCredentials, type DispatchSettings } from './batchDispatch';
import type { ProfileEndpoint } from './batchLimits';
import type { ItemIssue } from './itemIssue';
import type { PreparedItems } from './itemsPreparing';
import { baseJson, validationOutcome, type ItemMessageFormat, type ItemOutcome } from './outcomes';
import type { Platform } from './platformRouting';
import { requestUrl } from './requestDescription';
import { credentialSecrets, redactRequest } from './requestRedaction';
import type { OutputSetting } from './outputSetting';
import type { RunTally } from './runTally';
import type { Scrubber } from './secretScrubbing';

/** One request as a dry-run item shows it. */
export interface DryRunRequest {
	method: 'POST';
	url: string;
	headers: Record<string, string>;
	body: unknown;
	endpoint?: ProfileEndpoint;
	platform?: Platform;
	requestIndex: number;
	requestCount: number;
	itemsInRequest: number;
	positionInRequest: number;
}

export interface DryRunPlan {
	/** The requests each item would go in (two for an item sent to both apps), by input item index. */
	byItem: Map<number, DryRunRequest[]>;
	/** Items whose event time is outside Batch's window now (a real run would leave them out of their request). */
	refused: Map<number, ItemIssue[]>;
	/** Requests a real run would send. */
	requests: number;
}

/** Builds every request of the run, as a real run would at `nowMs`, and sends none. */
export function planDryRun(prepared: PreparedItems, settings: DispatchSettings, credentials: BatchCredentials, baseUrl: string, nowMs: number): DryRunPlan {
	const secrets = credentialSecrets(credentials);
	const refused = new Map<number, ItemIssue[]>();
	const byItem = new Map<number, DryRunRequest[]>();
	const shown: DryRunRequest[] = [];
	let requests = 0;
	for (const plan of planRequests(prepared.sendable, settings, credentials)) {
		const { kept, refused: late } = checkTimesAtBuild(plan.entries, plan.timedOf, nowMs, settings.timeLabel);
		addRefused(refused, late);
		// A real run sends nothing for a request whose every item was left out.
		if (kept.length === 0) continue;
		const request = redactRequest(plan.describe(kept), secrets);
		const requestIndex = requests++;
		kept.forEach(({ item, platform }, position) => {
			const entry: DryRunRequest = {
				method: request.method,
				url: requestUrl(baseUrl, request.path),
				headers: request.headers,
				body: request.body[position],
				...(plan.endpoint ? { endpoint: plan.endpoint } : {}),
				...(platform ? { platform } : {}),
				requestIndex,
				requestCount: 0, // set below, once every request is known
				itemsInRequest: kept.length,
				positionInRequest: position,
			};
			shown.push(entry);
			const list = byItem.get(item.itemIndex);
			if (list) list.push(entry);
			else byItem.set(item.itemIndex, [entry]);
		});
	}
	for (const entry of shown) entry.requestCount = requests;
	return { byItem, refused, requests };
}

/** One output item per input item: its request(s), or the error a real run would report for it. */
export function dryRunOutcomes(prepared: PreparedItems, plan: DryRunPlan, nowMs: number, scrub: Scrubber, format: ItemMessageFormat): ItemOutcome[] {
	const checkedAt = new Date(nowMs).toISOString();
	return prepared.results.map((result, position) => {
		const itemIndex = prepared.start + position;
		const base = prepared.bases[position];
		const timeChecked = result.ok && result.item.timeMs !== undefined ? { eventTimeCheckedAt: checkedAt } : {};
		const refused = plan.refused.get(itemIndex);
		const requests = plan.byItem.get(itemIndex);
		if (!result.ok || refused || !requests) {
			const outcome = validationOutcome(itemIndex, base, result.ok ? (refused ?? []) : result.issues, scrub, format);
			outcome.json.dryRun = { valid: false, ...timeChecked };
			return outcome;
		}
		const json = baseJson(base);
		const [first] = requests;
		const dryRun: Record<string, unknown> = { valid: true, ...scrubbed(first, scrub), ...timeChecked };
		if (requests.length > 1) {
			dryRun.byPlatform = Object.fromEntries(requests.map((request) => [request.platform ?? 'profile', scrubbed(request, scrub)]));
		}
		json.dryRun = dryRun;
		return { itemIndex, accepted: false, json };
	});
}

/** Belt and braces: the URL and headers are already masked; a key elsewhere in them (a base URL) is scrubbed too. */
function scrubbed(request: DryRunRequest, scrub: Scrubber): DryRunRequest {
	return {
		...request,
		url: scrub(request.url),
		headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, scrub(value)])),
	};
}

/** Whether a dry-run outcome is a failure (for "Continue On Fail" off): the item would not be sent. */
export function invalidInDryRun(outcome: ItemOutcome): boolean {
	return outcome.error !== undefined;
}

/** The error's description when "Continue On Fail" is off and an item is invalid in a dry run (`tally`: the dry run's). */
export function dryRunFailureSummaryOf(tally: RunTally, output: OutputSetting = 'eachItem'): string {
	const { failed, items, succeeded: valid } = tally;
	const whatYouGet =
		output === 'summary' ? 'the summary item, which lists every item that would fail with its error (failedItems).' : 'one output item per input item with its request (dryRun) or its error.';
	return (
		`Dry Run: nothing was sent to Batch. ${failed} of ${items} items would fail (items ${tally.listedText()}); ` +
		`${valid} item${valid === 1 ? ' is' : 's are'} valid. Turn on "Continue" in the node's On Error setting to get ${whatYouGet}`
	);
}
