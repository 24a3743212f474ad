/**
 * Plain field references: a stored parameter value that is exactly one n8n expression reading a field of the
 * current item, such as `={{ $json.meta.userId }}` (what dragging a field from the input panel writes),
 * `={{ $json["a b"].c }}` or `={{ $json['x'][0] }}`. Such a value can be resolved from `item.json` without n8n's
 * expression engine (about 1.4 ms per item and expression in n8n 2.x, see n8n-performance.md).
 *
 * Pure: parsing a stored string into path segments, and reading those segments from a JSON value. The read only
 * answers where it gives exactly what n8n's evaluator gives (checked against n8n's own evaluator by
 * test/unit/batchPlainFieldReference.test.ts); everywhere else it says "ask n8n" and the caller evaluates that
 * item through n8n.
 *
 * n8n 2.x's default `vm` engine (@n8n/expression-runtime 0.32.0 in n8n 2.41.1, read in its dist/cjs) evaluates in
 * an isolate: the host's `getValueAtPath` walks `value?.[key]` (stopping at undefined/null), hands arrays and objects
 * over lazily (length, `Object.keys`), turns functions into undefined, and the result comes back by structured
 * clone (`evalClosureSync(…, { result: { copy: true } })`; Dates survive, undefined is kept, luxon values are
 * rebuilt). So for what the native read answers — own enumerable keys of plain objects, in-range indexes, a missing
 * last key (undefined), JSON data as the value — both engines give the same value; the in-process evaluator the
 * tests run (n8n-workflow 2.11.1) is the one checked. What the engines treat differently (inherited properties such
 * as `toString`: an error in one, undefined in the other; properties of primitives; missing intermediates) is
 * exactly what the read leaves to n8n. One difference remains by design: the vm engine returns a copy of an object
 * value, the native read (like the in-process evaluator) the item's own object: callers must not mutate it.
 */

/** One step of a field path: an object key, or an array index. */
export type FieldSegment = string | number;

/** The outcome of a native read: the value n8n would give, or `native: false` (evaluate through n8n). */
export type NativeRead = { native: true; value: unknown } | { native: false };

const ASK_N8N: NativeRead = { native: false };

/**
 * Property names n8n's expression sandbox refuses (it throws "Cannot access … due to security concerns"), the
 * union of n8n-workflow 2.11.1's and 2.41.0's `unsafeObjectProperties` (utils.js). A reference naming one of them
 * is not plain: n8n evaluates it (and throws).
 */
const SANDBOX_BLOCKED = new Set([
	'__proto__',
	'prototype',
	'constructor',
	'getPrototypeOf',
	'setPrototypeOf',
	'getOwnPropertyDescriptor',
	'getOwnPropertyDescriptors',
	'defineProperty',
	'defineProperties',
	'mainModule',
	'binding',
	'_linkedBinding',
	'_load',
	'prepareStackTrace',
	'__lookupGetter__',
	'__lookupSetter__',
	'__defineGetter__',
	'__defineSetter__',
	'caller',
	'callee',
	'arguments',
	'getBuiltinModule',
	'dlopen',
	'execve',
	'loadEnvFile',
]);

/** n8n rejects any expression whose text matches this (n8n-workflow expression.js, `constructorValidation`). */
const CONSTRUCTOR_TEXT = /\.\s*constructor/;

const WHOLE = /^=\{\{\s*(\$json(?:[^{}]*?))\s*\}\}$/s;
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200C\u200D]*/u;
const INDEX = /^\[(0|[1-9][0-9]{0,8})\]/;
const QUOTED = /^\[(?:"((?:[^"\\\r\n]|\\["'\\])*)"|'((?:[^'\\\r\n]|\\["'\\])*)')\]/;

/**
 * The path of a stored value that is exactly `={{ $json<accessors> }}` (whitespace allowed inside the braces),
 * where each accessor is `.name`, `[0]` (a non-negative integer) or `["key"]` / `['key']` (escapes `\"`, `\'`, `\\`
 * only). Anything else — text around the braces, two expressions, calls, operators, optional chaining,
 * `$input.item.json…`, no leading "=", a key n8n's sandbox refuses — is not plain: undefined.
 */
export function parsePlainFieldReference(stored: unknown): FieldSegment[] | undefined {
	if (typeof stored !== 'string' || CONSTRUCTOR_TEXT.test(stored)) return undefined;
	const whole = WHOLE.exec(stored);
	if (!whole) return undefined;
	let rest = whole[1].slice('$json'.length);
	const segments: FieldSegment[] = [];
	while (rest !== '') {
		let match: RegExpExecArray | null;
		if (rest.startsWith('.')) {
			match = IDENTIFIER.exec(rest.slice(1));
			if (!match) return undefined;
			segments.push(match[0]);
			rest = rest.slice(1 + match[0].length);
		} else if ((match = INDEX.exec(rest))) {
			segments.push(Number(match[1]));
			rest = rest.slice(match[0].length);
		} else if ((match = QUOTED.exec(rest))) {
			segments.push((match[1] ?? match[2]).replace(/\\(["'\\])/g, '$1'));
			rest = rest.slice(match[0].length);
		} else {
			return undefined;
		}
	}
	// `$json.$` is refused by n8n's DollarSignValidator ("Cannot access "$" without calling it as a function").
	if (segments.some((segment) => typeof segment === 'string' && (segment === '$' || SANDBOX_BLOCKED.has(segment)))) return undefined;
	return segments;
}

const hasOwn = (value: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(value, key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/** Whether `value` is JSON data only (plain objects, arrays, strings, finite numbers, booleans, null), acyclic. */
function isJsonData(value: unknown, depth = 0): boolean {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
	if (typeof value === 'number') return Number.isFinite(value);
	if (depth > 64) return false; // deeper than any sensible item (and a guard against cycles)
	if (Array.isArray(value)) {
		if (Object.getPrototypeOf(value) !== Array.prototype) return false;
		for (let i = 0; i < value.length; i++) if (!hasOwn(value, i) || !isJsonData(value[i], depth + 1)) return false;
		return true;
	}
	if (!isPlainObject(value)) return false;
	// for…in over own keys, not Object.keys: no array of keys per object read (every item's attributes object).
	for (const key in value) if (hasOwn(value, key) && !isJsonData(value[key], depth + 1)) return false;
	return true;
}

function isArrayIndex(key: FieldSegment): key is number | string {
	return typeof key === 'number' || /^(0|[1-9][0-9]{0,8})$/.test(key);
}

/**
 * Reads `segments` from `json` (an item's `json`) natively where that gives exactly n8n's result:
 * - every step is an own enumerable property of a plain object, or an in-range index of an array;
 * - a missing last key of a plain object, or an index past the end of an array, gives undefined (as n8n);
 * - the value found is JSON data (no Date, class instance, function, undefined inside, NaN…).
 * Anything else (a missing or null intermediate, a primitive's property such as `"abc".length`, an inherited
 * property such as `toString`, a non-plain object) is left to n8n: `{ native: false }`.
 */
export function readPlainField(json: unknown, segments: readonly FieldSegment[]): NativeRead {
	let current: unknown = json;
	for (let step = 0; step < segments.length; step++) {
		const key = segments[step];
		const last = step === segments.length - 1;
		if (Array.isArray(current)) {
			if (Object.getPrototypeOf(current) !== Array.prototype || !isArrayIndex(key)) return ASK_N8N;
			const index = Number(key);
			if (index >= current.length) {
				if (!last) return ASK_N8N;
				return { native: true, value: undefined };
			}
			if (!hasOwn(current, index)) return ASK_N8N;
			current = current[index];
		} else if (isPlainObject(current)) {
			const name = String(key);
			if (!hasOwn(current, name)) {
				// Absent: n8n gives undefined, unless the name is inherited (toString, valueOf…): leave that to n8n.
				if (!last || name in current) return ASK_N8N;
				return { native: true, value: undefined };
			}
			if (!Object.prototype.propertyIsEnumerable.call(current, name)) return ASK_N8N;
			current = current[name];
		} else {
			return ASK_N8N;
		}
	}
	return isJsonData(current) ? { native: true, value: current } : ASK_N8N;
}
