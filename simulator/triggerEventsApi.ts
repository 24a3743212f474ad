/**
 * Trigger Events API 1.0 (https://doc.batch.com/developer/api/mep/trigger-events-api/track-events):
 *   POST /1.0/<APP_API_KEY>/events/users/<CUSTOM_USER_ID>   one user, up to 1000 events
 *   POST /1.0/<APP_API_KEY>/events/users                    bulk, up to 1000 events over several users
 * Header `X-Authorization: <REST API key>`. Event rules: trigger-events-api/parameters.
 *
 * Body shapes (UNCONFIRMED — the page's payload section could not be read; see docs/batch-api-notes.md):
 *   single: `{"events": [ <event>, ... ]}`
 *   bulk:   `[ {"id": "<custom user id>", "events": [ <event>, ... ]}, ... ]`
 * "If limits are not respected, an error will be returned" (parameters page): any invalid event rejects
 * the whole call with 400 and nothing is recorded. Empty or blank text values are refused (rules.ts isEmptyText).
 * Success: 202 `{"token": "<uuid>"}` — UNCONFIRMED, kept after a new search (2026): the track-events and parameters
 * pages show no answer, one public client expects `200 {}`, Batch's catalog API answers "HTTP 202 confirmation and an
 * indexing token" (https://doc.batch.com/developer/api/cep/catalogs/edit-items, another API). The node accepts any
 * 2xx and never reads this body, so nothing the node relies on depends on the choice.
 */
import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { HandlerContext } from './context';
import { batchError, header, parseJson, type ApiResult } from './http';
import { safeEqual } from './projectAuth';
import { LIMITS, checkTriggerEvent, isPlainObject, type NormalizedTriggerEvent } from './rules';
import type { Json } from './types';

export const TRIGGER_ROUTE = /^\/1\.0\/([^/]+)\/events\/users(?:\/([^/]+))?\/?$/;

/** Which configured platform an app key belongs to, if any. */
export function platformOf(ctx: HandlerContext, appApiKey: string): 'ios' | 'android' | undefined {
	const { ios, android } = ctx.options.appApiKeys;
	if (ios !== undefined && safeEqual(appApiKey, ios)) return 'ios';
	if (android !== undefined && safeEqual(appApiKey, android)) return 'android';
	return undefined;
}

interface UserBatch {
	customId: string;
	events: Json[];
	/** Where the events sit in the body, for error messages. */
	where: string;
}

function checkCustomId(id: unknown): string | undefined {
	if (typeof id !== 'string' || id.length === 0) return 'custom user id must be a non-empty string';
	if (id.length > LIMITS.customIdLength) return `custom user id longer than ${LIMITS.customIdLength} characters`;
	return undefined;
}

function invalid(message: string, operations: number): ApiResult {
	return { status: 400, body: batchError('MALFORMED_PARAMETER', message), operations };
}

export function handleTriggerEventsApi(ctx: HandlerContext, req: IncomingMessage, path: string, body: Buffer): ApiResult {
	const route = TRIGGER_ROUTE.exec(path);
	if (!route) return { status: 404, body: batchError('ROUTE_NOT_FOUND', 'Route not found'), operations: 0 };
	if (req.method !== 'POST') {
		return { status: 405, body: batchError('METHOD_NOT_ALLOWED', 'Only POST is allowed on this route'), headers: { Allow: 'POST' }, operations: 0 };
	}
	// "provide your company REST API Key as the value of the X-Authorization header" — track-events page.
	const restKey = header(req, 'x-authorization');
	if (!restKey || !safeEqual(restKey, ctx.options.restApiKey)) {
		return { status: 401, body: batchError('AUTHENTICATION_INVALID', 'Missing or invalid REST API key'), operations: 0 };
	}
	let appApiKey: string;
	let pathCustomId: string | undefined;
	try {
		appApiKey = decodeURIComponent(route[1]);
		pathCustomId = route[2] === undefined ? undefined : decodeURIComponent(route[2]);
	} catch {
		return { status: 400, body: batchError('MALFORMED_PARAMETER', 'Malformed percent-encoding in the path'), operations: 0 };
	}
	// Unknown app API key: 401 AUTHENTICATION_INVALID (status/code UNCONFIRMED; see notes).
	const platform = platformOf(ctx, appApiKey);
	if (!platform) return { status: 401, body: batchError('AUTHENTICATION_INVALID', 'Unknown API key'), operations: 0 };

	const parsed = parseJson(body);
	if (!parsed.ok) return { status: 400, body: batchError('MALFORMED_JSON_BODY', 'The body is not valid JSON'), operations: 0 };
	const value = parsed.value as Json;

	const batches: UserBatch[] = [];
	if (pathCustomId !== undefined) {
		const reason = checkCustomId(pathCustomId);
		if (reason) return invalid(reason, 0);
		if (!isPlainObject(value) || !Array.isArray(value.events)) {
			return { status: 400, body: batchError('MISSING_PARAMETER', 'The body must be an object {"events": [...]}'), operations: 0 };
		}
		batches.push({ customId: pathCustomId, events: value.events, where: 'events' });
	} else {
		if (!Array.isArray(value)) {
			return { status: 400, body: batchError('MISSING_PARAMETER', 'The bulk body must be an array [{"id": "...", "events": [...]}]'), operations: 0 };
		}
		for (let i = 0; i < value.length; i++) {
			const entry = value[i];
			if (!isPlainObject(entry) || !Array.isArray(entry.events)) {
				return { status: 400, body: batchError('MISSING_PARAMETER', `[${i}] must be an object {"id": "...", "events": [...]}`), operations: 0 };
			}
			const reason = checkCustomId(entry.id);
			if (reason) return invalid(`[${i}].id: ${reason}`, 0);
			batches.push({ customId: entry.id as string, events: entry.events, where: `[${i}].events` });
		}
	}
	const total = batches.reduce((n, b) => n + b.events.length, 0);
	if (total === 0) return invalid('At least one event is required', 0);
	// "You can track up to 1000 events" (single and bulk) — track-events page.
	if (total > LIMITS.triggerEventsPerRequest) {
		return { status: 400, body: batchError('TOO_MANY_EVENTS', `At most ${LIMITS.triggerEventsPerRequest} events per call (got ${total})`), operations: total };
	}

	const nowMs = ctx.options.now();
	const checked: Array<{ customId: string; event: NormalizedTriggerEvent }> = [];
	for (const b of batches) {
		for (let j = 0; j < b.events.length; j++) {
			const r = checkTriggerEvent(b.events[j], nowMs);
			if ('reason' in r) return invalid(`${b.where}[${j}]: ${r.reason}`, total);
			checked.push({ customId: b.customId, event: r.event });
		}
	}
	const receivedAt = new Date(nowMs).toISOString();
	for (const c of checked) ctx.store.recordTriggerEvent(appApiKey, platform, c.customId, c.event, receivedAt);
	ctx.stats.acceptedTriggerEvents += checked.length;
	return { status: 202, body: { token: randomUUID() }, operations: total };
}
