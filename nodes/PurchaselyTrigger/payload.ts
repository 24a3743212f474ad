/**
 * From the raw request bytes to the trigger's output item: parse the JSON, recognise the
 * Purchasely payload shape and derive `meta` (docs/architecture.md, "Purchasely Trigger output
 * item").
 *
 * - API version 3: one flat object, `event_name`, `event_id`, `user_id` / `anonymous_user_id`,
 *   `store`, `environment`, `event_created_at`, ...
 * - Legacy API version 2: `name`, `user.vendor_id`, `properties.{store, app.platform, ...}`,
 *   `api_version: 2`.
 *
 * `body` is the payload exactly as parsed from the bytes, keys included (dynamic ones such as
 * `plan_price_in_eur` are kept). Pure module.
 */

export type JsonObject = { [key: string]: unknown };

export type ApiVersion = 2 | 3;
export type Platform = 'ios' | 'android' | 'web';
export type UserIdSource = 'user_id' | 'anonymous_user_id';

/** A type alias (not an interface) so that it fits n8n's IDataObject. */
export type PurchaselyMeta = {
	eventName: string;
	eventId: string | null;
	userId: string | null;
	userIdSource: UserIdSource | null;
	store: string | null;
	platform: Platform | null;
	sandbox: boolean;
	eventTime: string;
	apiVersion: ApiVersion;
	signature: 'request' | 'legacy';
};

export interface RecognisedPayload {
	body: JsonObject;
	apiVersion: ApiVersion;
	eventName: string;
}

export type PayloadResult =
	| ({ ok: true } & RecognisedPayload)
	| { ok: false; message: string };

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	return `a ${typeof value}`;
}

function nonEmptyString(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim().length > 0 ? value : undefined;
}

/** Parses the raw bytes (UTF-8, optional BOM) and recognises a Purchasely event. */
export function parsePayload(raw: Buffer | Uint8Array | string): PayloadResult {
	let text =
		typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text.trim().length === 0) {
		return { ok: false, message: 'request body is empty: expected a JSON object' };
	}

	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		const detail = error instanceof Error ? `: ${error.message}` : '';
		return { ok: false, message: `request body is not valid JSON${detail}` };
	}
	return recognisePayload(parsed);
}

/** Recognises an already-parsed value (exported for tests and for callers holding parsed JSON). */
export function recognisePayload(parsed: unknown): PayloadResult {
	if (!isObject(parsed)) {
		return { ok: false, message: `request body must be a JSON object, got ${describe(parsed)}` };
	}

	if ('event_name' in parsed) {
		const eventName = nonEmptyString(parsed.event_name);
		if (eventName === undefined) {
			return { ok: false, message: 'field "event_name" must be a non-empty string' };
		}
		return { ok: true, body: parsed, apiVersion: 3, eventName };
	}

	if ('name' in parsed) {
		const eventName = nonEmptyString(parsed.name);
		if (eventName === undefined) {
			return { ok: false, message: 'field "name" (API version 2) must be a non-empty string' };
		}
		return { ok: true, body: parsed, apiVersion: 2, eventName };
	}

	return {
		ok: false,
		message: 'no event name: expected field "event_name" (webhook API version 3) or "name" (version 2)',
	};
}

/** APPLE -> ios; GOOGLE / AMAZON / HUAWEI -> android; STRIPE -> web; otherwise null. */
export function platformFromStore(store: string | null): Platform | null {
	if (store === null) return null;
	const upper = store.toUpperCase();
	if (upper.startsWith('APPLE')) return 'ios';
	if (upper.startsWith('GOOGLE') || upper.startsWith('AMAZON') || upper.startsWith('HUAWEI')) return 'android';
	if (upper.startsWith('STRIPE')) return 'web';
	return null;
}

function platformFromAppPlatform(value: unknown): Platform | null {
	const text = nonEmptyString(value)?.toUpperCase();
	if (text === 'IOS') return 'ios';
	if (text === 'ANDROID') return 'android';
	if (text === 'WEB') return 'web';
	return null;
}

function isoTime(value: unknown): string | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) {
		const date = new Date(value);
		return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
	}
	const text = nonEmptyString(value);
	if (text === undefined) return undefined;
	const date = new Date(text);
	return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export interface MetaContext {
	signature: 'request' | 'legacy';
	/** When the request arrived: `eventTime` when the payload carries no creation time. */
	receivedAt: Date;
}

export function deriveMeta(payload: RecognisedPayload, context: MetaContext): PurchaselyMeta {
	const { body } = payload;
	return payload.apiVersion === 3
		? deriveV3Meta(payload.eventName, body, context)
		: deriveV2Meta(payload.eventName, body, context);
}

/** The user key: the logged-in user id, else the anonymous one, and which of the two it is. */
function userKey(
	userId: string | undefined,
	anonymousUserId: string | undefined,
): Pick<PurchaselyMeta, 'userId' | 'userIdSource'> {
	if (userId !== undefined) return { userId, userIdSource: 'user_id' };
	if (anonymousUserId !== undefined) return { userId: anonymousUserId, userIdSource: 'anonymous_user_id' };
	return { userId: null, userIdSource: null };
}

function deriveV3Meta(eventName: string, body: JsonObject, context: MetaContext): PurchaselyMeta {
	const userId = nonEmptyString(body.user_id);
	const anonymousUserId = nonEmptyString(body.anonymous_user_id);
	const store = nonEmptyString(body.store) ?? null;
	return {
		eventName,
		eventId: nonEmptyString(body.event_id) ?? null,
		...userKey(userId, anonymousUserId),
		store,
		platform: platformFromStore(store),
		sandbox: body.environment === 'SANDBOX',
		eventTime:
			isoTime(body.event_created_at) ?? isoTime(body.event_created_at_ms) ?? context.receivedAt.toISOString(),
		apiVersion: 3,
		signature: context.signature,
	};
}

function deriveV2Meta(eventName: string, body: JsonObject, context: MetaContext): PurchaselyMeta {
	const user = isObject(body.user) ? body.user : {};
	const properties = isObject(body.properties) ? body.properties : {};
	const app = isObject(properties.app) ? properties.app : {};
	const userId = nonEmptyString(user.vendor_id);
	const anonymousUserId = nonEmptyString(user.anonymous_id) ?? nonEmptyString(user.anonymous_user_id);
	const store = nonEmptyString(properties.store) ?? nonEmptyString(body.store) ?? null;
	const environment = properties.environment ?? body.environment;
	return {
		eventName,
		eventId: nonEmptyString(body.event_id) ?? null,
		...userKey(userId, anonymousUserId),
		store,
		platform: platformFromStore(store) ?? platformFromAppPlatform(app.platform),
		sandbox: environment === 'SANDBOX',
		eventTime: context.receivedAt.toISOString(),
		apiVersion: 2,
		signature: context.signature,
	};
}
