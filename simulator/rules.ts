/**
 * Validation rules of the simulated Batch APIs: pure functions, no I/O.
 *
 * Every limit names its source URL (all listed in sources.ts; confirmed vs. not in docs/batch-api-notes.md).
 * Limits marked "reference" were not read in Batch's API pages: they are the limits Batch's own SDKs enforce
 * client-side (sources.ts androidSdk / iosSdk), and the simulator assumes the server enforces at least these.
 *
 * Why a copy of the node's rules (nodes/Batch/batchLimits.ts, nodes/Batch/validation.ts) and not a shared module: the
 * simulator stands for Batch. Written apart, from the sources, it catches a node that misreads a rule (a shared table
 * would make both wrong together). test/unit/batchSimulatorRules.test.ts compares the two tables figure by figure, so
 * that they cannot drift apart unnoticed either.
 */
import type { AttributeType, Json, JsonObject, ProfileKind } from './types';

export const LIMITS = {
	/** "You can specify at most 200 operations or the API call will be rejected." — https://doc.batch.com/developer/api/cep/profiles/update */
	profileUpdateOperations: 200,
	/** "You can specify at most 10 000 operations or the API call will be rejected." — https://doc.batch.com/developer/api/cep/profiles/mass-update-profile */
	profileMassUpdateOperations: 10_000,
	/** Custom user id length — reference (SDK limit), UNCONFIRMED for the Profile API. */
	customIdLength: 1024,
	/** Attribute / event-attribute names: `^[a-zA-Z0-9_]{1,30}$` — reference (SDK), UNCONFIRMED for the Profile API. */
	attributeNameLength: 30,
	/** Event names: `^[a-zA-Z0-9_]{1,30}$` — reference (SDK); Segment lower-cases to [a-z0-9_] (https://github.com/segmentio/action-destinations/blob/main/packages/destination-actions/src/destinations/batch/updateProfile/utils.ts). */
	eventNameLength: 30,
	/** String attribute values on profiles: 300 chars — reference, UNCONFIRMED in Batch's text. */
	profileStringLength: 300,
	/** URL values (`url(key)`): 2048 chars — reference, UNCONFIRMED. */
	urlLength: 2048,
	/** String arrays: 25 items — reference, UNCONFIRMED. */
	stringArrayItems: 25,
	/** Event attributes per event object (Profile API): 20 — reference, UNCONFIRMED. `$label`/`$tags` not counted. */
	profileEventAttributes: 20,
	/** `$label`: 200 chars — reference; the Trigger Events API documents the same (https://doc.batch.com/developer/api/mep/trigger-events-api/parameters). */
	labelLength: 200,
	/** `$tags` / `tags`: 10 tags × 64 chars — reference; documented for Trigger Events (https://doc.batch.com/developer/api/mep/trigger-events-api/parameters). */
	tagsCount: 10,
	tagLength: 64,
	/** Event time window: last 24 h, none in the future — documented for Trigger Events (https://doc.batch.com/developer/api/mep/trigger-events-api/parameters); UNCONFIRMED for the Profile API, enforced there too. */
	eventWindowMs: 24 * 60 * 60 * 1000,
	/** Trigger Events: ≤ 1000 events per call, single or bulk — https://doc.batch.com/developer/api/mep/trigger-events-api/track-events. */
	triggerEventsPerRequest: 1000,
	/** Trigger Events: ≤ 15 attributes per event — https://doc.batch.com/developer/api/mep/trigger-events-api/parameters. */
	triggerEventAttributes: 15,
	/** Trigger Events: string attribute values ≤ 64 chars — https://doc.batch.com/developer/api/mep/trigger-events-api/parameters. */
	triggerStringLength: 64,
	/**
	 * Profile API: ≤ 15 events per profile per request — third-party only (a Batch CEP agent skill: "max 15 per edit";
	 * a TypeScript adapter: "15 événements par profil et par appel", said to be read on
	 * https://doc.batch.com/developer/api/cep/profiles/update). Enforced per profile across the request's operations
	 * (the stricter of the two readings); see checkEventsPerProfile.
	 */
	profileEventsPerRequest: 15,
} as const;

/**
 * Text values cannot be empty or blank — Batch's SDKs: Android `ProfileDataHelper.java` ("String attributes can't be
 * null, empty or longer than 300 characters"), `EventAttributesValidator.java` ("string attribute cannot be empty or
 * made of whitespace", "tag cannot be empty or made of whitespace", label "cannot be empty or only made of
 * whitespace"); the Web SDK page ("can't be empty", https://doc.batch.com/web/custom-data/custom-attributes/); a third
 * party quotes https://doc.batch.com/developer/api/cep/profiles/update: "cannot be empty or over 300 characters". The
 * older install-based SDK pages said strings "can be empty" (e.g. https://doc.batch.com/react-native/custom-data/custom-attributes/):
 * the simulator follows the stricter, current sources, on both APIs (the MEP SDK limit is "can't be null, empty or
 * longer than 64 characters").
 */
export function isEmptyText(value: string): boolean {
	return value.trim() === '';
}

// Quoted so that the source of each pattern stays next to it.
/** reference (SDK limit); names are matched case-insensitively (the SDKs lower-case attribute names and upper-case event names on the wire; nothing says the server lower-cases them), Segment sends [a-z0-9_] (https://github.com/segmentio/action-destinations/blob/main/packages/destination-actions/src/destinations/batch/updateProfile/utils.ts). */
export const PROFILE_NAME_PATTERN = /^[a-zA-Z0-9_]{1,30}$/;
/** "letters, numbers or underscores ([a-z0-9_]) and can't be longer than 30 characters" — https://doc.batch.com/developer/api/mep/trigger-events-api/parameters. */
export const TRIGGER_ATTRIBUTE_NAME_PATTERN = /^[a-z0-9_]{1,30}$/;
/** Trigger Events event names: the doc's example is `ue.added_to_cart` (https://doc.batch.com/developer/api/mep/trigger-events-api/parameters), so an optional `ue.` prefix is accepted. */
export const TRIGGER_EVENT_NAME_PATTERN = /^(ue\.)?[a-zA-Z0-9_]{1,30}$/;
/** "It has to respect YYYY-MM-ddTHH:mm:ss format" — https://doc.batch.com/developer/api/mep/trigger-events-api/parameters. Fractions / a trailing Z tolerated (the doc's own date() example has `.000`). */
export const TRIGGER_TIME_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?Z?$/;
/** ISO 8601 date-time with a time zone or Z (https://doc.batch.com/developer/api/cep/profiles/mass-update-profile example `1989-07-20T00:00:00Z`; Segment's regex in https://github.com/segmentio/action-destinations/blob/main/packages/destination-actions/src/destinations/batch/updateProfile/utils.ts). Date-only accepted too. */
export const ISO_8601_PATTERN =
	/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
// Groups: 1 = the time part, 4 = the zone.

/** Native profile attributes documented on https://doc.batch.com/developer/api/cep/profiles/update / https://doc.batch.com/developer/api/cep/profiles/mass-update-profile example. */
export const NATIVE_PROFILE_ATTRIBUTES = new Set([
	'$email_address',
	'$email_marketing',
	'$phone_number',
	'$sms_marketing',
	'$language',
	'$region',
	'$timezone',
]);

/** Per-operation error, reported in `SUCCESS_WITH_PARTIAL_ERRORS` (shape per https://github.com/segmentio/action-destinations/blob/main/packages/destination-actions/src/destinations/batch/updateProfile/type.ts). */
export interface OperationError {
	category: 'identifiers' | 'attributes' | 'events' | 'operation';
	reason: string;
	attribute?: string;
}

export interface AttributeWrite {
	name: string;
	type: AttributeType;
	/** `null` deletes the attribute. */
	value: Json;
}
export interface ArrayMutation {
	name: string;
	add: string[];
	remove: string[];
}
export interface NormalizedEvent {
	name: string;
	/** As sent; undefined → arrival time. */
	time?: string;
	attributes: Record<string, Json>;
	attributeTypes: Record<string, AttributeType>;
	label?: string;
	tags?: string[];
}
export interface NormalizedOperation {
	kind: ProfileKind;
	id: string;
	attributes: AttributeWrite[];
	mutations: ArrayMutation[];
	events: NormalizedEvent[];
}

export function isPlainObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `date(x)` → { name: 'x', typed: 'date' }; `x` → { name: 'x' }. */
export function parseTypedKey(key: string): { name: string; typed?: 'date' | 'url' } {
	const m = /^(date|url)\((.*)\)$/.exec(key);
	if (m) return { name: m[2], typed: m[1] as 'date' | 'url' };
	return { name: key };
}

export function isValidIso8601(value: string): boolean {
	return !Number.isNaN(parseIso8601(value));
}

/** Epoch ms of an ISO 8601 value (NaN when invalid); a date-time without zone is read as UTC, not local time. */
export function parseIso8601(value: string): number {
	const m = ISO_8601_PATTERN.exec(value);
	if (!m) return Number.NaN;
	const zoned = m[1] === undefined || m[4] !== undefined;
	const ms = Date.parse(zoned ? value : `${value}Z`);
	if (Number.isNaN(ms)) return ms;
	// Reject overflowing dates such as 2026-02-30 that Date.parse would roll over.
	const [y, mo, d] = value.slice(0, 10).split('-').map(Number);
	const day = new Date(Date.UTC(y, mo - 1, d));
	if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return Number.NaN;
	return ms;
}

/** A URL Batch would accept: parseable, with a scheme and a host, ≤ 2048 chars. */
export function isValidUrl(value: string): boolean {
	if (value.length > LIMITS.urlLength) return false;
	try {
		const u = new URL(value);
		return /^[a-z][a-z0-9+.-]*:$/i.test(u.protocol) && u.host.length > 0;
	} catch {
		return false;
	}
}

/**
 * Event time rule: within the last 24 h and not in the future.
 * Documented for the Trigger Events API (https://doc.batch.com/developer/api/mep/trigger-events-api/parameters); assumed for the Profile API.
 */
export function checkEventTime(timeMs: number, nowMs: number): string | undefined {
	if (Number.isNaN(timeMs)) return 'invalid time';
	if (timeMs > nowMs) return 'event time is in the future';
	if (nowMs - timeMs > LIMITS.eventWindowMs) return 'event time is older than 24 hours';
	return undefined;
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	return typeof value;
}

function scalarType(value: number | boolean | string): AttributeType {
	if (typeof value === 'boolean') return 'boolean';
	if (typeof value === 'string') return 'string';
	return Number.isInteger(value) ? 'integer' : 'float';
}

/** A typed (date/url) or plain scalar value; returns an error reason, or the type. */
function checkTypedScalar(
	typed: 'date' | 'url' | undefined,
	value: Json,
	maxString: number,
): { type: AttributeType } | { reason: string } {
	if (typed === 'date') {
		// date(key) takes an ISO 8601 string — https://doc.batch.com/developer/api/cep/profiles/mass-update-profile (`date(birthdate)`), https://github.com/segmentio/action-destinations/blob/main/packages/destination-actions/src/destinations/batch/updateProfile/utils.ts.
		if (typeof value !== 'string' || !isValidIso8601(value)) return { reason: 'date() value must be an ISO 8601 date' };
		return { type: 'date' };
	}
	if (typed === 'url') {
		// url(key) takes a URL — https://doc.batch.com/developer/api/cep/profiles/update (event example `url(item_url)`); 2048 chars (reference).
		if (typeof value !== 'string' || !isValidUrl(value)) return { reason: 'url() value must be a valid URL of at most 2048 characters' };
		return { type: 'url' };
	}
	if (typeof value === 'string') {
		if (isEmptyText(value)) return { reason: 'string value cannot be empty or blank' };
		if (value.length > maxString) return { reason: `string value longer than ${maxString} characters` };
		return { type: 'string' };
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return { reason: 'number must be finite' };
		return { type: scalarType(value) };
	}
	if (typeof value === 'boolean') return { type: 'boolean' };
	return { reason: `unsupported value type ${describe(value)}` };
}

function checkStringArray(value: Json[], maxString: number): string | undefined {
	if (value.length > LIMITS.stringArrayItems) return `array longer than ${LIMITS.stringArrayItems} items`;
	for (const item of value) {
		if (typeof item !== 'string') return 'arrays may only hold strings';
		if (isEmptyText(item)) return 'array items cannot be empty or blank';
		if (item.length > maxString) return `array item longer than ${maxString} characters`;
	}
	return undefined;
}

function checkIdentifiers(op: JsonObject, errors: OperationError[]): { kind: ProfileKind; id: string } | undefined {
	const identifiers = op.identifiers;
	if (!isPlainObject(identifiers)) {
		errors.push({ category: 'identifiers', reason: 'identifiers must be an object' });
		return undefined;
	}
	// "Exactly one of custom_id or installation must be provided." — https://doc.batch.com/developer/api/cep/profiles/update
	const kinds = Object.keys(identifiers);
	const hasCustom = 'custom_id' in identifiers;
	const hasInstall = 'installation' in identifiers;
	if (hasCustom === hasInstall || kinds.length !== 1) {
		errors.push({ category: 'identifiers', reason: 'exactly one of custom_id or installation must be provided' });
		return undefined;
	}
	if (hasCustom) {
		const id = identifiers.custom_id;
		if (typeof id !== 'string' || id.length === 0) {
			errors.push({ category: 'identifiers', reason: 'custom_id must be a non-empty string' });
			return undefined;
		}
		if (id.length > LIMITS.customIdLength) {
			errors.push({ category: 'identifiers', reason: `custom_id longer than ${LIMITS.customIdLength} characters` });
			return undefined;
		}
		return { kind: 'custom_id', id };
	}
	// Installation identifier — shape UNCONFIRMED: Batch's page says only "Exactly one of custom_id or installation
	// must be provided" (https://doc.batch.com/developer/api/cep/profiles/update). The node sends
	// `{"installation_id"}`; one third-party client sends `{"apikey", "installation_id"}`. Both are accepted, anything
	// else is refused (docs/batch-api-notes.md §2, "What we chose").
	const inst = identifiers.installation;
	const extra = isPlainObject(inst) ? Object.keys(inst).filter((k) => k !== 'installation_id' && k !== 'apikey') : [];
	if (
		!isPlainObject(inst) ||
		typeof inst.installation_id !== 'string' ||
		isEmptyText(inst.installation_id) ||
		('apikey' in inst && (typeof inst.apikey !== 'string' || isEmptyText(inst.apikey))) ||
		extra.length > 0
	) {
		errors.push({
			category: 'identifiers',
			reason: 'installation must be an object with a non-empty string installation_id (and optionally a non-empty string apikey), nothing else',
		});
		return undefined;
	}
	return { kind: 'installation', id: inst.installation_id };
}

function checkNativeAttribute(key: string, value: Json): string | undefined {
	if (value === null) return undefined; // null deletes / resets — https://doc.batch.com/developer/api/cep/profiles/update ("Deleting an attribute")
	if (typeof value !== 'string') return `${key} must be a string or null`;
	if (isEmptyText(value)) return `${key} cannot be empty or blank (null deletes it)`;
	if (key === '$email_marketing' || key === '$sms_marketing') {
		if (value !== 'subscribed' && value !== 'unsubscribed') return `${key} must be "subscribed", "unsubscribed" or null`;
	}
	if (value.length > LIMITS.profileStringLength) return `${key} longer than ${LIMITS.profileStringLength} characters`;
	return undefined;
}

function checkProfileAttributes(
	attributes: Json | undefined,
	errors: OperationError[],
): { writes: AttributeWrite[]; mutations: ArrayMutation[] } {
	const writes: AttributeWrite[] = [];
	const mutations: ArrayMutation[] = [];
	if (attributes === undefined) return { writes, mutations };
	if (!isPlainObject(attributes)) {
		errors.push({ category: 'attributes', reason: 'attributes must be an object' });
		return { writes, mutations };
	}
	for (const [key, value] of Object.entries(attributes)) {
		if (key.startsWith('$')) {
			if (!NATIVE_PROFILE_ATTRIBUTES.has(key)) {
				errors.push({ category: 'attributes', attribute: key, reason: 'unknown native attribute' });
				continue;
			}
			const reason = checkNativeAttribute(key, value);
			if (reason) errors.push({ category: 'attributes', attribute: key, reason });
			else writes.push({ name: key, type: 'string', value });
			continue;
		}
		const { name, typed } = parseTypedKey(key);
		if (!PROFILE_NAME_PATTERN.test(name)) {
			errors.push({ category: 'attributes', attribute: key, reason: 'attribute name must match ^[a-zA-Z0-9_]{1,30}$' });
			continue;
		}
		if (value === null) {
			writes.push({ name, type: typed ?? 'string', value: null });
			continue;
		}
		if (Array.isArray(value)) {
			if (typed) {
				errors.push({ category: 'attributes', attribute: key, reason: `${typed}() cannot hold an array` });
				continue;
			}
			const reason = checkStringArray(value, LIMITS.profileStringLength);
			if (reason) errors.push({ category: 'attributes', attribute: key, reason });
			else writes.push({ name, type: 'array', value });
			continue;
		}
		if (isPlainObject(value)) {
			// Array mutation `{"$add": [...], "$remove": [...]}` — https://doc.batch.com/developer/api/cep/profiles/mass-update-profile example (`reward_programs`).
			const extra = Object.keys(value).filter((k) => k !== '$add' && k !== '$remove');
			if (typed || extra.length > 0 || Object.keys(value).length === 0) {
				errors.push({ category: 'attributes', attribute: key, reason: 'profile attributes cannot be objects (only {"$add"|"$remove": [...]})' });
				continue;
			}
			const add = value.$add ?? [];
			const remove = value.$remove ?? [];
			if (!Array.isArray(add) || !Array.isArray(remove)) {
				errors.push({ category: 'attributes', attribute: key, reason: '$add / $remove must be arrays of strings' });
				continue;
			}
			const reason = checkStringArray(add, LIMITS.profileStringLength) ?? checkStringArray(remove, LIMITS.profileStringLength);
			if (reason) errors.push({ category: 'attributes', attribute: key, reason });
			else mutations.push({ name, add: add as string[], remove: remove as string[] });
			continue;
		}
		const checked = checkTypedScalar(typed, value, LIMITS.profileStringLength);
		if ('reason' in checked) errors.push({ category: 'attributes', attribute: key, reason: checked.reason });
		else writes.push({ name, type: checked.type, value });
	}
	return { writes, mutations };
}

/** One event attribute value (Profile API): scalars, typed scalars, string arrays, objects, arrays of objects — https://doc.batch.com/developer/api/cep/profiles/update ("Object", "Array"). */
function checkEventAttributeValue(typed: 'date' | 'url' | undefined, value: Json, depth: number): { type: AttributeType; value: Json } | { reason: string } {
	if (value === null) return { reason: 'null is not a valid event attribute value' };
	if (Array.isArray(value)) {
		if (typed) return { reason: `${typed}() cannot hold an array` };
		if (value.every((v) => typeof v === 'string')) {
			const reason = checkStringArray(value, LIMITS.profileStringLength);
			return reason ? { reason } : { type: 'array', value };
		}
		if (depth > 0 || !value.every(isPlainObject)) return { reason: 'arrays must hold only strings or only objects' };
		const out: Json[] = [];
		for (const item of value as JsonObject[]) {
			const obj = checkEventObject(item, depth + 1);
			if ('reason' in obj) return obj;
			out.push(obj.value);
		}
		return { type: 'array', value: out };
	}
	if (isPlainObject(value)) {
		if (typed) return { reason: `${typed}() cannot hold an object` };
		if (depth > 0) return { reason: 'objects cannot be nested more than once' };
		const obj = checkEventObject(value, depth + 1);
		return 'reason' in obj ? obj : { type: 'object', value: obj.value };
	}
	const checked = checkTypedScalar(typed, value, LIMITS.profileStringLength);
	return 'reason' in checked ? checked : { type: checked.type, value };
}

function checkEventObject(obj: JsonObject, depth: number): { value: JsonObject } | { reason: string } {
	const out: JsonObject = {};
	for (const [k, v] of Object.entries(obj)) {
		const { name, typed } = parseTypedKey(k);
		if (!PROFILE_NAME_PATTERN.test(name)) return { reason: `object key "${k}" must match ^[a-zA-Z0-9_]{1,30}$` };
		const checked = checkEventAttributeValue(typed, v, depth);
		if ('reason' in checked) return { reason: `${k}: ${checked.reason}` };
		out[k] = checked.value;
	}
	return { value: out };
}

/** Profile API event (https://doc.batch.com/developer/api/cep/profiles/update "The events object"), validated against `nowMs`. */
export function checkProfileEvent(event: Json, nowMs: number): { event: NormalizedEvent } | { error: OperationError } {
	if (!isPlainObject(event)) return { error: { category: 'events', reason: 'event must be an object' } };
	const name = event.name;
	if (typeof name !== 'string' || !PROFILE_NAME_PATTERN.test(name)) {
		return { error: { category: 'events', reason: 'event name must match ^[a-zA-Z0-9_]{1,30}$' } };
	}
	const out: NormalizedEvent = { name, attributes: {}, attributeTypes: {} };
	if (event.time !== undefined) {
		if (typeof event.time !== 'string' || !isValidIso8601(event.time)) {
			return { error: { category: 'events', reason: `${name}: time must be an ISO 8601 date` } };
		}
		const reason = checkEventTime(parseIso8601(event.time), nowMs);
		if (reason) return { error: { category: 'events', reason: `${name}: ${reason}` } };
		out.time = event.time;
	}
	const attrs = event.attributes;
	if (attrs !== undefined) {
		if (!isPlainObject(attrs)) return { error: { category: 'events', reason: `${name}: attributes must be an object` } };
		let count = 0;
		for (const [key, value] of Object.entries(attrs)) {
			if (key === '$label') {
				// Reserved event attribute `$label` — https://doc.batch.com/developer/api/cep/profiles/mass-update-profile example; ≤ 200 chars (reference).
				if (typeof value !== 'string' || isEmptyText(value) || value.length > LIMITS.labelLength) {
					return { error: { category: 'events', attribute: key, reason: `${name}: $label must be a non-blank string of at most ${LIMITS.labelLength} characters` } };
				}
				out.label = value;
				continue;
			}
			if (key === '$tags') {
				// Reserved event attribute `$tags` — https://doc.batch.com/developer/api/cep/profiles/mass-update-profile example; 10 × 64 (reference).
				if (!Array.isArray(value) || value.length > LIMITS.tagsCount || !value.every((t) => typeof t === 'string' && !isEmptyText(t) && t.length <= LIMITS.tagLength)) {
					return { error: { category: 'events', attribute: key, reason: `${name}: $tags must be at most ${LIMITS.tagsCount} non-blank strings of at most ${LIMITS.tagLength} characters` } };
				}
				out.tags = value as string[];
				continue;
			}
			if (key.startsWith('$')) return { error: { category: 'events', attribute: key, reason: `${name}: unknown reserved event attribute` } };
			count++;
			const { name: attrName, typed } = parseTypedKey(key);
			if (!PROFILE_NAME_PATTERN.test(attrName)) {
				return { error: { category: 'events', attribute: key, reason: `${name}: attribute name must match ^[a-zA-Z0-9_]{1,30}$` } };
			}
			const checked = checkEventAttributeValue(typed, value, 0);
			if ('reason' in checked) return { error: { category: 'events', attribute: key, reason: `${name}: ${checked.reason}` } };
			out.attributes[attrName] = checked.value;
			out.attributeTypes[attrName] = checked.type;
		}
		if (count > LIMITS.profileEventAttributes) {
			return { error: { category: 'events', reason: `${name}: more than ${LIMITS.profileEventAttributes} attributes` } };
		}
	}
	return { event: out };
}

/**
 * Operations that would take a profile above LIMITS.profileEventsPerRequest events in this request, each with the
 * error to report (the first 15 events of a profile go through, the operations after them are dropped). Profiles
 * are told apart by their identifier as sent (`custom_id`, or the installation id); malformed operations are left to
 * checkProfileOperation.
 */
export function checkEventsPerProfile(ops: readonly Json[]): Map<number, OperationError> {
	const counts = new Map<string, number>();
	const over = new Map<number, OperationError>();
	ops.forEach((op, index) => {
		if (!isPlainObject(op) || !Array.isArray(op.events) || op.events.length === 0 || !isPlainObject(op.identifiers)) return;
		const ids = op.identifiers;
		const inst = ids.installation;
		const key =
			typeof ids.custom_id === 'string'
				? `custom_id:${ids.custom_id}`
				: isPlainObject(inst) && typeof inst.installation_id === 'string'
					? `installation:${inst.installation_id}`
					: undefined;
		if (key === undefined) return;
		const total = (counts.get(key) ?? 0) + op.events.length;
		counts.set(key, total);
		if (total > LIMITS.profileEventsPerRequest) {
			over.set(index, {
				category: 'events',
				reason: `more than ${LIMITS.profileEventsPerRequest} events for this profile in one request (${total} so far)`,
			});
		}
	});
	return over;
}

/**
 * Validate one Profile API operation. Returns the normalized operation, or every error found.
 * An operation with any error is dropped whole (it is reported by its bulk_index).
 */
export function checkProfileOperation(op: Json, nowMs: number): { operation: NormalizedOperation } | { errors: OperationError[] } {
	if (!isPlainObject(op)) return { errors: [{ category: 'operation', reason: 'operation must be an object' }] };
	const errors: OperationError[] = [];
	const unknown = Object.keys(op).filter((k) => k !== 'identifiers' && k !== 'attributes' && k !== 'events');
	for (const k of unknown) errors.push({ category: 'operation', reason: `unknown field "${k}"` });
	const identity = checkIdentifiers(op, errors);
	const { writes, mutations } = checkProfileAttributes(op.attributes, errors);
	const events: NormalizedEvent[] = [];
	if (op.events !== undefined) {
		if (!Array.isArray(op.events)) errors.push({ category: 'events', reason: 'events must be an array' });
		else {
			for (const ev of op.events) {
				const checked = checkProfileEvent(ev, nowMs);
				if ('error' in checked) errors.push(checked.error);
				else events.push(checked.event);
			}
		}
	}
	if (errors.length > 0 || !identity) return { errors };
	return { operation: { kind: identity.kind, id: identity.id, attributes: writes, mutations, events } };
}

// ---------------------------------------------------------------------------------------------
// Trigger Events API (1.0) — https://doc.batch.com/developer/api/mep/trigger-events-api/parameters

/** `YYYY-MM-ddTHH:mm:ss` read as UTC ("we will interpret the date as UTC"). NaN when malformed. */
export function parseTriggerTime(value: string): number {
	const m = TRIGGER_TIME_PATTERN.exec(value);
	if (!m) return Number.NaN;
	const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0);
	// Reject overflowing fields (e.g. month 13) that Date.UTC would roll over.
	const d = new Date(ms);
	if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3] || d.getUTCHours() !== +m[4]) return Number.NaN;
	return ms;
}

export interface NormalizedTriggerEvent {
	name: string;
	time?: string;
	label?: string;
	tags?: string[];
	attributes: Record<string, Json>;
	attributeTypes: Record<string, AttributeType>;
}

/** One Trigger Events API event; returns a reason when it breaks a documented rule. */
export function checkTriggerEvent(event: Json, nowMs: number): { event: NormalizedTriggerEvent } | { reason: string } {
	if (!isPlainObject(event)) return { reason: 'event must be an object' };
	const unknown = Object.keys(event).filter((k) => !['name', 'time', 'label', 'attributes', 'tags'].includes(k));
	if (unknown.length > 0) return { reason: `unknown event field "${unknown[0]}"` };
	// name: string, required.
	if (typeof event.name !== 'string' || !TRIGGER_EVENT_NAME_PATTERN.test(event.name)) {
		return { reason: 'name is required and must match ^(ue\\.)?[a-zA-Z0-9_]{1,30}$' };
	}
	const out: NormalizedTriggerEvent = { name: event.name, attributes: {}, attributeTypes: {} };
	// time: "YYYY-MM-ddTHH:mm:ss", "events that happened in the last 24 hours, and no events in the future".
	if (event.time !== undefined) {
		if (typeof event.time !== 'string') return { reason: 'time must be a string YYYY-MM-ddTHH:mm:ss' };
		const ms = parseTriggerTime(event.time);
		if (Number.isNaN(ms)) return { reason: 'time must respect YYYY-MM-ddTHH:mm:ss' };
		const reason = checkEventTime(ms, nowMs);
		if (reason) return { reason };
		out.time = event.time;
	}
	// label: "up to 200 characters".
	if (event.label !== undefined) {
		if (typeof event.label !== 'string' || isEmptyText(event.label) || event.label.length > LIMITS.labelLength) {
			return { reason: `label must be a non-blank string of at most ${LIMITS.labelLength} characters` };
		}
		out.label = event.label;
	}
	// tags: "up to 10 tags, maximum 64 chars per tag".
	if (event.tags !== undefined) {
		if (
			!Array.isArray(event.tags) ||
			event.tags.length > LIMITS.tagsCount ||
			!event.tags.every((t) => typeof t === 'string' && !isEmptyText(t) && t.length <= LIMITS.tagLength)
		) {
			return { reason: `tags must be at most ${LIMITS.tagsCount} non-blank strings of at most ${LIMITS.tagLength} characters` };
		}
		out.tags = event.tags as string[];
	}
	// attributes: "up to 15 attributes", names [a-z0-9_] ≤ 30, values string ≤ 64 / integer / boolean / float, date().
	if (event.attributes !== undefined) {
		if (!isPlainObject(event.attributes)) return { reason: 'attributes must be an object' };
		const entries = Object.entries(event.attributes);
		if (entries.length > LIMITS.triggerEventAttributes) return { reason: `more than ${LIMITS.triggerEventAttributes} attributes` };
		for (const [key, value] of entries) {
			const { name, typed } = parseTypedKey(key);
			if (typed === 'url') return { reason: `attribute ${key}: url() is not supported by the Trigger Events API` };
			if (!TRIGGER_ATTRIBUTE_NAME_PATTERN.test(name)) return { reason: `attribute ${key}: name must match [a-z0-9_]{1,30}` };
			if (typed === 'date') {
				// "date(promo_starts)": 1451642400 (epoch seconds) or "YYYY-MM-ddTHH:mm:ss" (UTC).
				const ok =
					(typeof value === 'number' && Number.isFinite(value)) ||
					(typeof value === 'string' && !Number.isNaN(parseTriggerTime(value)));
				if (!ok) return { reason: `attribute ${key}: date() takes epoch seconds or YYYY-MM-ddTHH:mm:ss` };
				out.attributes[name] = value;
				out.attributeTypes[name] = 'date';
				continue;
			}
			if (typeof value === 'string') {
				if (isEmptyText(value)) return { reason: `attribute ${key}: string value cannot be empty or blank` };
				if (value.length > LIMITS.triggerStringLength) return { reason: `attribute ${key}: string longer than ${LIMITS.triggerStringLength} characters` };
			} else if (typeof value === 'number') {
				if (!Number.isFinite(value)) return { reason: `attribute ${key}: number must be finite` };
			} else if (typeof value !== 'boolean') {
				return { reason: `attribute ${key}: values must be string, integer, float or boolean` };
			}
			out.attributes[name] = value;
			out.attributeTypes[name] = scalarType(value);
		}
	}
	return { event: out };
}
