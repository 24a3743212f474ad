/**
 * Attribute types: turning editor values (name, type, value) and plain objects from the input item
 * into typed attributes, before any API-specific formatting.
 *
 * Inference rules for objects read through `attributesField` (documented in the node's UI):
 * - number → number (must be finite); boolean → boolean;
 * - array whose items are all strings → stringList;
 * - string in ISO 8601 date-time form (`2024-05-01T10:00:00Z`, offset or fraction allowed; a time part is
 *   required so that plain strings like "2024" stay strings) → date;
 * - string of the form `scheme://…` (e.g. `https://…`, `myapp://ply/placements/RETENTION`) → url;
 * - any other string → string;
 * - null → null (Profile API attributes: removes the attribute; dropped from event attributes);
 * - undefined → skipped; objects and mixed arrays → an item error.
 */
import { issue, type ItemIssue } from './itemIssue';

export type AttributeType = 'string' | 'number' | 'boolean' | 'date' | 'url' | 'stringList';
export const ATTRIBUTE_TYPES: readonly AttributeType[] = ['string', 'number', 'boolean', 'date', 'url', 'stringList'];

export type TypedAttribute =
	| { name: string; field: string; type: 'string' | 'url'; value: string }
	| { name: string; field: string; type: 'number'; value: number }
	| { name: string; field: string; type: 'boolean'; value: boolean }
	/** Dates are kept as epoch milliseconds; each API formats them its own way. */
	| { name: string; field: string; type: 'date'; value: number }
	| { name: string; field: string; type: 'stringList'; value: string[] }
	| { name: string; field: string; type: 'null'; value: null };

export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;
export const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

type Result<T> = { ok: true; value: T } | { ok: false; problem: ItemIssue };

/**
 * Epoch milliseconds of a date given as an ISO 8601 string, a Date, a Luxon DateTime (what `{{ $now }}`
 * gives) or a number (Unix epoch: milliseconds, or seconds when below 100 000 000 000).
 * A string without zone is read as UTC. Returns undefined when it is not a date.
 */
export function toEpochMs(raw: unknown): number | undefined {
	if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? undefined : raw.getTime();
	if (typeof raw === 'number') {
		if (!Number.isFinite(raw)) return undefined;
		return Math.abs(raw) < 1e11 ? raw * 1000 : raw;
	}
	if (typeof raw === 'string') {
		const text = raw.trim();
		if (!ISO_DATE_TIME.test(text) && !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
		// Read digit by digit: this runs for every date attribute of every item, and split/map left arrays behind.
		const year = Number(text.substring(0, 4));
		const month = Number(text.substring(5, 7));
		const day = Number(text.substring(8, 10));
		const calendar = new Date(Date.UTC(year, month - 1, day));
		if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return undefined; // e.g. 2024-02-30
		let normalised = text.replace(' ', 'T');
		if (!/(?:Z|[+-]\d{2}(?::?\d{2})?)$/i.test(normalised.slice(10))) normalised += normalised.length === 10 ? 'T00:00:00Z' : 'Z';
		const ms = Date.parse(normalised);
		return Number.isNaN(ms) ? undefined : ms;
	}
	if (isLuxonLike(raw)) {
		const ms = raw.toMillis();
		return Number.isFinite(ms) ? ms : undefined;
	}
	return undefined;
}

function isLuxonLike(raw: unknown): raw is { toMillis: () => number } {
	return typeof raw === 'object' && raw !== null && typeof (raw as { toMillis?: unknown }).toMillis === 'function';
}

/** Converts an editor value to the type the user chose for it. `field` names it in messages. */
export function coerceToType(name: string, field: string, type: AttributeType, raw: unknown): Result<TypedAttribute> {
	const fail = (rule: string, message: string): Result<TypedAttribute> => ({ ok: false, problem: issue(field, rule, message) });
	switch (type) {
		case 'string': {
			if (raw === null || raw === undefined) return fail('required', `${field} has no value`);
			if (typeof raw === 'object' && !isLuxonLike(raw) && !(raw instanceof Date)) {
				return fail('type', `${field} is ${describe(raw)}; a string attribute needs text`);
			}
			return { ok: true, value: { name, field, type, value: String(isLuxonLike(raw) ? raw.toString() : raw) } };
		}
		case 'number': {
			const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw.trim()) : NaN;
			if (!Number.isFinite(value)) return fail('type', `${field} is ${describe(raw)}; a number attribute needs a finite number`);
			return { ok: true, value: { name, field, type, value } };
		}
		case 'boolean': {
			const value = toBoolean(raw);
			if (value === undefined) return fail('type', `${field} is ${describe(raw)}; a boolean attribute needs true or false`);
			return { ok: true, value: { name, field, type, value } };
		}
		case 'date': {
			const value = toEpochMs(raw);
			if (value === undefined) {
				return fail('type', `${field} is ${describe(raw)}; a date attribute needs an ISO 8601 date-time (e.g. 2024-05-01T10:00:00Z)`);
			}
			return { ok: true, value: { name, field, type, value } };
		}
		case 'url': {
			const text = typeof raw === 'string' ? raw.trim() : undefined;
			if (text === undefined || !URL_WITH_SCHEME.test(text)) {
				return fail('urlFormat', `${field} is ${describe(raw)}; a URL attribute needs the form scheme://… (e.g. myapp://ply/placements/RETENTION)`);
			}
			return { ok: true, value: { name, field, type, value: text } };
		}
		case 'stringList': {
			const list = toStringList(raw);
			if (list === undefined) return fail('type', `${field} is ${describe(raw)}; a list attribute needs strings (an array, or text separated by commas)`);
			return { ok: true, value: { name, field, type, value: list } };
		}
	}
}

/** Infers the type of one value of an object read from the input item (rules in the file comment). */
export function inferAttribute(name: string, field: string, raw: unknown): Result<TypedAttribute> | undefined {
	if (raw === undefined) return undefined;
	if (raw === null) return { ok: true, value: { name, field, type: 'null', value: null } };
	if (typeof raw === 'number') return coerceToType(name, field, 'number', raw);
	if (typeof raw === 'boolean') return { ok: true, value: { name, field, type: 'boolean', value: raw } };
	if (typeof raw === 'string') {
		const text = raw;
		if (ISO_DATE_TIME.test(text.trim())) {
			const ms = toEpochMs(text);
			if (ms !== undefined) return { ok: true, value: { name, field, type: 'date', value: ms } };
		}
		if (URL_WITH_SCHEME.test(text.trim())) return { ok: true, value: { name, field, type: 'url', value: text.trim() } };
		return { ok: true, value: { name, field, type: 'string', value: text } };
	}
	if (Array.isArray(raw)) {
		if (raw.every((entry) => typeof entry === 'string')) {
			return { ok: true, value: { name, field, type: 'stringList', value: raw as string[] } };
		}
		return { ok: false, problem: issue(field, 'type', `${field} is a list with non-string items; Batch accepts lists of strings only`) };
	}
	if (raw instanceof Date || isLuxonLike(raw)) return coerceToType(name, field, 'date', raw);
	return { ok: false, problem: issue(field, 'type', `${field} is ${describe(raw)}; attributes must be strings, numbers, booleans, dates, URLs or lists of strings`) };
}

export function toBoolean(raw: unknown): boolean | undefined {
	if (typeof raw === 'boolean') return raw;
	if (typeof raw === 'number') return raw === 1 ? true : raw === 0 ? false : undefined;
	if (typeof raw === 'string') {
		const text = raw.trim().toLowerCase();
		if (['true', '1', 'yes'].includes(text)) return true;
		if (['false', '0', 'no'].includes(text)) return false;
	}
	return undefined;
}

/** An array of strings, or text separated by commas (trimmed, empty entries dropped). */
export function toStringList(raw: unknown): string[] | undefined {
	if (Array.isArray(raw)) {
		if (!raw.every((entry) => typeof entry === 'string' || typeof entry === 'number')) return undefined;
		return raw.map((entry) => String(entry));
	}
	if (typeof raw === 'string') {
		return raw
			.split(',')
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
	}
	return undefined;
}

/** A short description of a value for error messages (never the whole value). */
export function describe(raw: unknown): string {
	if (raw === null) return 'null';
	if (raw === undefined) return 'empty';
	if (Array.isArray(raw)) return `a list of ${raw.length}`;
	if (typeof raw === 'string') return raw.length > 40 ? `"${raw.slice(0, 37)}…"` : `"${raw}"`;
	if (typeof raw === 'object') return 'an object';
	return String(raw);
}

/** Formats epoch ms as RFC 3339 UTC, without milliseconds when they are zero (Profile API dates). */
export function formatIsoUtc(ms: number): string {
	const iso = new Date(ms).toISOString();
	return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Formats epoch ms as `YYYY-MM-ddTHH:mm:ss` in UTC (Trigger Events API times and dates). */
export function formatTriggerTime(ms: number): string {
	return new Date(ms).toISOString().slice(0, 19);
}
