/**
 * Profile API 2.x: POST /2.<minor>/profiles/update and /2.<minor>/profiles/mass-update — one handler for both.
 *
 * Request: headers `Authorization: Bearer <REST API key>` and `X-Batch-Project: <project key>`; body a
 * JSON array of operations `{identifiers, attributes?, events?}`
 * (https://doc.batch.com/developer/api/cep/profiles/update). The mass-update page documents the same headers
 * and the same operation schema (`EditProfile`), and sends readers to the update page "for more details &
 * examples on the request payload & error management"
 * (https://doc.batch.com/developer/api/cep/profiles/mass-update-profile), so both endpoints run the same
 * checks and give the same answers; only the operation cap and the rate budget differ (PROFILE_ENDPOINTS).
 * Answers:
 *  - 202 `{"code":"SUCCESS"}` when every operation was recorded ("202 Request accepted, will be processed
 *    asynchronously", example `{"code": "SUCCESS"}`, mass-update page);
 *  - 202 `{"code":"SUCCESS_WITH_PARTIAL_ERRORS","errors":[{"bulk_index","category","reason","attribute"?}]}`
 *    when some were dropped (shape from Segment's Batch destination, updateProfile/type.ts);
 *    Besides each operation's own rules (rules.ts), an operation that takes its profile above 15 events in this
 *    request is dropped with a partial error (LIMITS.profileEventsPerRequest, third-party only);
 *  - 4xx `{"error_code","error_message"}` for whole-request problems (nothing recorded), among them
 *    400 `TOO_MANY_OPERATIONS` above the endpoint's cap ("or the API call will be rejected");
 *  - 429 `TOO_MANY_REQUESTS` when the endpoint's token bucket (one token per operation) is short.
 */
import type { IncomingMessage } from 'node:http';
import type { HandlerContext } from './context';
import { batchError, parseJson, type ApiResult } from './http';
import { checkProjectAuth } from './projectAuth';
import { LIMITS, checkEventsPerProfile, checkProfileOperation, type OperationError } from './rules';
import type { TokenBucket } from './tokenBucket';

/** Operations to fail on purpose (injected by a fault with `rejectOperations` / `rejectCustomIds`). */
export interface ForcedRejections {
	bulkIndexes: number[];
	customIds: string[];
	reason: string;
}

/** `/2.<minor>/profiles/update` or `/2.<minor>/profiles/mass-update` (any 2.x; 2.1 … 2.11 documented). */
export const PROFILE_ROUTE = /^\/2\.(\d{1,3})\/profiles\/(update|mass-update)\/?$/;

export type ProfileEndpoint = 'update' | 'mass-update';

/**
 * What differs between the two endpoints (https://doc.batch.com/developer/api/cep/profiles, "Profile updates:
 * choosing the right API endpoint"): `/profiles/update` "Up to 200 updates per call", "300 updates per second",
 * "peaks up to 1000"; `/profiles/mass-update` "Up to 10,000 updates per call", "10,000 updates per second",
 * "No burst". Each endpoint has its own bucket (ctx.updateBucket / ctx.massUpdateBucket).
 */
export const PROFILE_ENDPOINTS: Record<ProfileEndpoint, { maxOperations: number; bucket: (ctx: HandlerContext) => TokenBucket | undefined }> = {
	update: { maxOperations: LIMITS.profileUpdateOperations, bucket: (ctx) => ctx.updateBucket },
	'mass-update': { maxOperations: LIMITS.profileMassUpdateOperations, bucket: (ctx) => ctx.massUpdateBucket },
};

export function handleProfileApi(
	ctx: HandlerContext,
	req: IncomingMessage,
	path: string,
	body: Buffer,
	forced?: ForcedRejections,
): ApiResult {
	const route = PROFILE_ROUTE.exec(path);
	if (!route) return { status: 404, body: batchError('ROUTE_NOT_FOUND', 'Route not found'), operations: 0 };
	const endpoint = PROFILE_ENDPOINTS[route[2] as ProfileEndpoint];
	if (req.method !== 'POST') {
		return { status: 405, body: batchError('METHOD_NOT_ALLOWED', 'Only POST is allowed on this route'), headers: { Allow: 'POST' }, operations: 0 };
	}

	const denied = checkProjectAuth(ctx, req);
	if (denied) return denied;

	const parsed = parseJson(body);
	if (!parsed.ok) return { status: 400, body: batchError('MALFORMED_JSON_BODY', 'The body is not valid JSON'), operations: 0 };
	const ops = parsed.value;
	if (!Array.isArray(ops)) {
		return { status: 400, body: batchError('INVALID_PAYLOAD', 'The body must be a JSON array of operations'), operations: 0 };
	}
	if (ops.length === 0) {
		return { status: 400, body: batchError('INVALID_PAYLOAD', 'The body must hold at least one operation'), operations: 0 };
	}
	// "at most 200 operations or the API call will be rejected" (update) / "at most 10 000" (mass-update).
	const max = endpoint.maxOperations;
	if (ops.length > max) {
		return {
			status: 400,
			body: batchError('TOO_MANY_OPERATIONS', `At most ${max} operations per call (got ${ops.length})`),
			operations: ops.length,
		};
	}

	// Rate limit: one token per profile update (operation); all or nothing. "One update corresponds to the
	// processing associated with a single Custom ID included in your request" (mass-update page): counted per
	// operation here, the safe side when one request carries the same Custom ID twice.
	const bucket = endpoint.bucket(ctx);
	if (bucket && !bucket.tryTake(ops.length)) {
		ctx.stats.rateLimited++;
		return { status: 429, body: batchError('TOO_MANY_REQUESTS', 'Too Many Requests'), operations: ops.length };
	}

	const nowMs = ctx.options.now();
	const receivedAt = new Date(nowMs).toISOString();
	const errors: Array<OperationError & { bulk_index: number }> = [];
	let rejected = 0;
	// ≤ 15 events per profile per request (third-party only; LIMITS.profileEventsPerRequest).
	const tooManyEvents = checkEventsPerProfile(ops);
	ops.forEach((op, i) => {
		if (forced && isForced(forced, op, i)) {
			rejected++;
			ctx.stats.rejectedOperations++;
			errors.push({ bulk_index: i, category: 'operation', reason: forced.reason });
			return;
		}
		const overCap = tooManyEvents.get(i);
		if (overCap) {
			rejected++;
			ctx.stats.rejectedOperations++;
			errors.push({ bulk_index: i, ...overCap });
			return;
		}
		const checked = checkProfileOperation(op, nowMs);
		if ('errors' in checked) {
			rejected++;
			ctx.stats.rejectedOperations++;
			for (const e of checked.errors) errors.push({ bulk_index: i, ...e });
			return;
		}
		ctx.store.applyOperation(checked.operation, receivedAt);
		ctx.stats.acceptedOperations++;
	});
	const counts = { operations: ops.length, accepted: ops.length - rejected, rejected };
	if (errors.length === 0) return { status: 202, body: { code: 'SUCCESS' }, ...counts };
	return {
		status: 202,
		body: {
			code: 'SUCCESS_WITH_PARTIAL_ERRORS',
			errors: errors.map((e) => ({
				bulk_index: e.bulk_index,
				category: e.category,
				reason: e.reason,
				...(e.attribute !== undefined ? { attribute: e.attribute } : {}),
			})),
		},
		...counts,
	};
}

function isForced(forced: ForcedRejections, op: unknown, index: number): boolean {
	if (forced.bulkIndexes.includes(index)) return true;
	if (typeof op !== 'object' || op === null) return false;
	const ids = (op as { identifiers?: unknown }).identifiers;
	if (typeof ids !== 'object' || ids === null) return false;
	const customId = (ids as { custom_id?: unknown }).custom_id;
	return typeof customId === 'string' && forced.customIds.includes(customId);
}
