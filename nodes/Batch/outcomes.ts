/**
 * What happened to each input item: exactly one output item per input item.
 *
 * Output item JSON (documented in the node's UI and README):
 *   accepted: boolean            — Batch accepted everything sent for this item
 *   api: 'profile' | 'triggerEvents'
 *   operation: 'trackEvent' | 'updateAttributes'
 *   identifierType: 'customId' | 'installationId'
 *   identifier: string           — as sent (or as read, when the item failed validation)
 *   eventName?: string           — Track Event, as sent (lower-cased)
 *   platforms?: ('ios'|'android')[]  — Trigger Events API
 *   batch?: { status, code, attempts, endpoint?, possibleDuplicate?, byPlatform? }  — Batch's answer (absent when nothing was sent);
 *                                endpoint: 'update' | 'massUpdate', the Profile API endpoint used (absent on the Trigger Events API);
 *                                possibleDuplicate: true when a request was retried after an uncertain failure
 *   error?: { message, stage: 'validation'|'batch'|'network', field?, rule?, code?, status?, category?, attribute?, issues? }
 *
 * Error messages start with the caller's item prefix (version 1: `Item <index>: `, version 2: `[item <index>] `; 0-based,
 * like pairedItem) and never contain a key.
 */
import type { ItemIssue } from './itemIssue';
import type { OutputSetting } from './outputSetting';
import type { RunTally } from './runTally';
import type { Platform } from './platformRouting';
import { scrubDeep, scrubThenCut, type Scrubber } from './secretScrubbing';
import type { SendResult } from './requestSending';

/** One request entry's fate (an item sent to one app, or to the Profile API). */
export interface Delivery {
	itemIndex: number;
	platform?: Platform;
	accepted: boolean;
	status?: number;
	code?: string;
	attempts: number;
	/** Its request was retried after an uncertain failure: Batch may have recorded it twice. */
	possibleDuplicate?: boolean;
	/** Profile API: the endpoint its request went to. */
	endpoint?: 'update' | 'massUpdate';
	error?: DeliveryError;
}

export interface DeliveryError {
	stage: 'batch' | 'network';
	/** Sentence without the item prefix. */
	text: string;
	code?: string;
	status?: number;
	category?: string;
	attribute?: string;
}

export interface OutcomeError {
	message: string;
	stage: 'validation' | 'batch' | 'network';
	field?: string;
	rule?: string;
	code?: string;
	status?: number;
	category?: string;
	attribute?: string;
	platform?: Platform;
	issues?: Array<{ field: string; rule: string; message: string }>;
}

export interface ItemOutcome {
	itemIndex: number;
	accepted: boolean;
	json: Record<string, unknown>;
	error?: OutcomeError;
}

export interface OutcomeBase {
	api: 'profile' | 'triggerEvents';
	operation: 'trackEvent' | 'updateAttributes';
	identifierType: 'customId' | 'installationId';
	identifier: string;
	eventName?: string;
	platforms?: Platform[];
}

/** Puts the item's prefix in front of a sentence. */
export type ItemMessageFormat = (itemIndex: number, text: string) => string;

/** Version 1's prefix: `Item 3: …`. */
export function itemMessage(itemIndex: number, text: string): string {
	return `Item ${itemIndex}: ${text}`;
}

interface BatchErrorBody {
	code?: string;
	message?: string;
}

/** Longest text body quoted in a message. */
export const MAX_QUOTED_BODY = 300;

/**
 * Reads Batch's error code and message from the shapes its APIs use (`error_code`/`error_message`, `code`/`message`).
 * The body must already be scrubbed (deliveriesFor does it): a text body is cut here.
 */
export function readBatchError(body: unknown): BatchErrorBody {
	if (!body || typeof body !== 'object') return typeof body === 'string' && body !== '' ? { message: scrubThenCut(body, (text) => text, MAX_QUOTED_BODY) } : {};
	const record = body as Record<string, unknown>;
	const code = firstString(record.error_code, record.code, (record.error as Record<string, unknown> | undefined)?.code);
	const message = firstString(record.error_message, record.message, record.reason, (record.error as Record<string, unknown> | undefined)?.message);
	return { code, message };
}

function firstString(...values: unknown[]): string | undefined {
	for (const value of values) if (typeof value === 'string' && value !== '') return value;
	return undefined;
}

interface PartialError {
	bulkIndex: number;
	category?: string;
	reason?: string;
	attribute?: string;
}

/**
 * `errors[]` of a `SUCCESS_WITH_PARTIAL_ERRORS` answer, indexed by `bulk_index` (0-based position in the request).
 * Shape per Segment's Batch destination (segmentio/action-destinations,
 * packages/destination-actions/src/destinations/batch/updateProfile/type.ts); the official page
 * (https://doc.batch.com/api/profile/update) has a "Success with partial errors" section whose body could not be read.
 */
export function readPartialErrors(body: unknown): Map<number, PartialError> {
	const found = new Map<number, PartialError>();
	const errors = body && typeof body === 'object' ? (body as Record<string, unknown>).errors : undefined;
	if (!Array.isArray(errors)) return found;
	for (const entry of errors) {
		if (!entry || typeof entry !== 'object') continue;
		const record = entry as Record<string, unknown>;
		if (typeof record.bulk_index !== 'number' || !Number.isInteger(record.bulk_index)) continue;
		if (found.has(record.bulk_index)) continue;
		found.set(record.bulk_index, {
			bulkIndex: record.bulk_index,
			category: firstString(record.category),
			reason: firstString(record.reason, record.message),
			attribute: firstString(record.attribute),
		});
	}
	return found;
}

const GIVE_UP_TEXT = {
	attemptsExhausted: 'attempts',
	durationExhausted: 'the retry time budget',
} as const;

/** Said of a request whose last failure was uncertain (Batch has no idempotency key). */
export const MAY_OR_MAY_NOT = 'it may or may not have reached Batch';
const NOT_RETRIED = `not retried (At Most Once delivery): ${MAY_OR_MAY_NOT}`;

function uncertaintyNote(result: SendResult): string {
	if (result.gaveUp === 'uncertainNotRetried') return `; ${NOT_RETRIED}`;
	return result.uncertain ? `; ${MAY_OR_MAY_NOT}` : '';
}

/** The result with every string that came from the response or the error scrubbed (before anything is cut). */
export function scrubResult(result: SendResult, scrub: Scrubber): SendResult {
	if (result.kind === 'network') return { ...result, code: scrub(result.code), message: scrub(result.message) };
	return { ...result, body: scrubDeep(result.body, scrub) };
}

/**
 * Maps one request's result to its entries, in request order (entry i = body position i = bulk_index i).
 * Everything read from the result is scrubbed first (codes, categories, reasons, attributes, bodies).
 */
export function deliveriesFor(
	entries: ReadonlyArray<{ itemIndex: number; platform?: Platform }>,
	unscrubbed: SendResult,
	scrub: Scrubber,
): Delivery[] {
	const result = scrubResult(unscrubbed, scrub);
	const where = (platform?: Platform) => (platform ? `[${platform} app] ` : '');
	const duplicate = result.possibleDuplicate ? { possibleDuplicate: true } : {};
	if (result.kind === 'network') {
		const budget = result.gaveUp === 'durationExhausted' ? ` (stopped by ${GIVE_UP_TEXT.durationExhausted})` : '';
		const text =
			result.gaveUp === 'cancelled'
				? `${result.message}${result.attempts > 0 ? ` (after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'})` : ''}`
				: `no answer from Batch after ${result.attempts} attempt${result.attempts === 1 ? '' : 's'}${budget} (${result.message})`;
		return entries.map(({ itemIndex, platform }) => ({
			itemIndex,
			platform,
			accepted: false,
			code: result.code,
			attempts: result.attempts,
			...duplicate,
			error: {
				stage: 'network',
				code: result.code,
				text: scrub(`${where(platform)}${text}${uncertaintyNote(result)}`),
			},
		}));
	}
	const { status, attempts } = result;
	if (status >= 200 && status < 300) {
		const { code } = readBatchError(result.body);
		const partial = readPartialErrors(result.body);
		return entries.map(({ itemIndex, platform }, position) => {
			const dropped = partial.get(position);
			if (!dropped) return { itemIndex, platform, accepted: true, status, code: code ?? 'SUCCESS', attempts, ...duplicate };
			const detail = [dropped.reason ?? 'no reason given', dropped.attribute ? `attribute ${dropped.attribute}` : undefined].filter(Boolean).join('; ');
			return {
				itemIndex,
				platform,
				accepted: false,
				status,
				code: code ?? 'SUCCESS_WITH_PARTIAL_ERRORS',
				attempts,
				...duplicate,
				error: {
					stage: 'batch',
					status,
					code: dropped.category ?? code ?? 'SUCCESS_WITH_PARTIAL_ERRORS',
					category: dropped.category,
					attribute: dropped.attribute ? scrub(dropped.attribute) : undefined,
					text: scrub(`${where(platform)}Batch dropped this operation (${code ?? 'SUCCESS_WITH_PARTIAL_ERRORS'}${dropped.category ? `, ${dropped.category}` : ''}): ${detail}`),
				},
			};
		});
	}
	const batchError = readBatchError(result.body);
	const code = batchError.code ?? `HTTP_${status}`;
	const after = attempts > 1 ? ` after ${attempts} attempts${result.gaveUp === 'durationExhausted' ? ` (stopped by ${GIVE_UP_TEXT.durationExhausted})` : ''}` : '';
	const text = scrub(`Batch answered HTTP ${status} ${code}${after}${batchError.message ? `: ${batchError.message}` : ''}${uncertaintyNote(result)}`);
	return entries.map(({ itemIndex, platform }) => ({
		itemIndex,
		platform,
		accepted: false,
		status,
		code,
		attempts,
		...duplicate,
		error: { stage: 'batch', status, code: scrub(code), text: where(platform) + text },
	}));
}

export function baseJson(base: OutcomeBase): Record<string, unknown> {
	const json: Record<string, unknown> = {
		accepted: false,
		api: base.api,
		operation: base.operation,
		identifierType: base.identifierType,
		identifier: base.identifier,
	};
	if (base.eventName !== undefined) json.eventName = base.eventName;
	if (base.platforms !== undefined && base.platforms.length > 0) json.platforms = base.platforms;
	return json;
}

/** The outcome of an item that failed validation (nothing was sent for it). */
export function validationOutcome(
	itemIndex: number,
	base: OutcomeBase,
	issues: readonly ItemIssue[],
	scrub: Scrubber,
	format: ItemMessageFormat = itemMessage,
): ItemOutcome {
	const first = issues[0];
	const extra = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
	const error: OutcomeError = {
		message: scrub(format(itemIndex, `${first.message}${extra}`)),
		stage: 'validation',
		field: first.field,
		rule: first.rule,
	};
	if (issues.length > 1) error.issues = issues.map((entry) => ({ field: entry.field, rule: entry.rule, message: scrub(entry.message) }));
	const json = baseJson(base);
	json.error = error;
	return { itemIndex, accepted: false, json, error };
}

/** The outcome of an item that was sent (once, or once per app). */
export function deliveryOutcome(
	itemIndex: number,
	base: OutcomeBase,
	deliveries: readonly Delivery[],
	format: ItemMessageFormat = itemMessage,
): ItemOutcome {
	const json = baseJson(base);
	const failed = deliveries.find((delivery) => !delivery.accepted);
	const shown = failed ?? deliveries[deliveries.length - 1];
	const batch: Record<string, unknown> = {};
	if (shown?.status !== undefined) batch.status = shown.status;
	if (shown?.code !== undefined) batch.code = shown.code;
	batch.attempts = Math.max(...deliveries.map((delivery) => delivery.attempts));
	if (shown?.endpoint !== undefined) batch.endpoint = shown.endpoint;
	if (deliveries.some((delivery) => delivery.possibleDuplicate)) batch.possibleDuplicate = true;
	if (deliveries.length > 1) {
		batch.byPlatform = Object.fromEntries(
			deliveries.map((delivery) => [
				delivery.platform ?? 'profile',
				{ accepted: delivery.accepted, status: delivery.status, code: delivery.code, attempts: delivery.attempts, ...(delivery.possibleDuplicate ? { possibleDuplicate: true } : {}) },
			]),
		);
	}
	json.batch = batch;
	if (!failed) {
		json.accepted = true;
		return { itemIndex, accepted: true, json };
	}
	const cause = failed.error;
	const error: OutcomeError = {
		message: format(itemIndex, cause?.text ?? 'Batch did not accept it'),
		stage: cause?.stage ?? 'batch',
	};
	if (cause?.code !== undefined) error.code = cause.code;
	if (cause?.status !== undefined) error.status = cause.status;
	if (cause?.category !== undefined) error.category = cause.category;
	if (cause?.attribute !== undefined) error.attribute = cause.attribute;
	if (failed.platform !== undefined) error.platform = failed.platform;
	json.error = error;
	return { itemIndex, accepted: false, json, error };
}

/** Whether a real run's outcome is a failure: Batch did not accept everything sent for it (or nothing was sent). */
export function notAccepted(outcome: ItemOutcome): boolean {
	return !outcome.accepted;
}

/** One-paragraph summary for the error thrown when "Continue On Fail" is off (`tally`: a real run's). */
export function failureSummaryOf(tally: RunTally, output: OutputSetting = 'eachItem'): string {
	const { failed, items, succeeded: accepted } = tally;
	const whatYouGet =
		output === 'summary'
			? 'the summary item, which lists every failed item with its outcome (failedItems: error.message, error.field, error.rule, error.code).'
			: 'one output item per input item with its outcome (error.message, error.field, error.rule, error.code).';
	return (
		`${failed} of ${items} items failed (items ${tally.listedText()}); ` +
		`${accepted} item${accepted === 1 ? ' was' : 's were'} accepted by Batch and stay recorded there. ` +
		`Every item was attempted before this error was raised. Turn on "Continue" in the node's On Error setting to get ${whatYouGet}`
	);
}
