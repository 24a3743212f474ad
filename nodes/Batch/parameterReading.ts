/**
 * Reading node parameters cheaply. n8n resolves a parameter per item through its expression engine
 * (about 1.4 ms per item and parameter with the default engine, see n8n-performance.md). A parameter whose
 * stored value holds no expression (no string starting with "=" anywhere inside it) is the same for every
 * item, so it is read once; only expression parameters are read per item.
 *
 * With `nativeFieldReferences` (Batch node version 2; version 1 keeps the behaviour above exactly), the stored
 * value is read once raw and handled leaf by leaf (a leaf is the parameter itself when it is a string, or each
 * string inside a collection / fixedCollection, e.g. `eventOptions.time`, `attributes.attribute[0].value`):
 * - a leaf without expression is constant;
 * - a leaf that is exactly a plain field reference (`={{ $json.meta.userId }}`, plainFieldReference.ts) is read
 *   from the item's `json` natively, or through n8n for an item where the native read cannot promise n8n's result;
 * - any other expression leaf is evaluated by n8n per item, for that leaf only
 *   (`getNodeParameter('attributes.attribute[0].value', i)`: n8n-core reads the path with lodash `get`).
 * Not replicated on the native path: n8n's execution-time `validateType` checks (validate-value-against-schema in
 * n8n-core). Parameters read through this reader must not declare `validateType` (a unit test checks version 2's
 * description), so on the native path the reads n8n does per item also pass `skipValidation`: n8n-core would otherwise
 * search the node's properties, checking each one's display conditions, for every item and leaf, only to find no
 * `validateType` (about 15% of a ternary's cost per item, counted with callgrind). An n8n without the option
 * ignores it and validates, with the same result.
 */
import type { IExecuteFunctions, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

import { parsePlainFieldReference, readPlainField, type FieldSegment } from './plainFieldReference';

/** True when the stored value is, or contains, an n8n expression (a string starting with "="). */
export function containsExpression(raw: unknown): boolean {
	if (typeof raw === 'string') return raw.startsWith('=');
	if (Array.isArray(raw)) return raw.some(containsExpression);
	if (raw && typeof raw === 'object') return Object.values(raw).some(containsExpression);
	return false;
}

export interface ParameterReaderOptions {
	/** Resolve plain field references (`={{ $json.a.b }}`) natively, leaf by leaf (Batch node version 2). */
	nativeFieldReferences?: boolean;
}

/** One expression leaf of a parameter: where it sits, its n8n path, and its field path when plain. */
interface ExpressionLeaf {
	/** Keys from the parameter's value down to the leaf (empty: the parameter itself is the leaf). */
	keys: Array<string | number>;
	/** The leaf's path for getNodeParameter, e.g. `attributes.attribute[0].value`. */
	path: string;
	/** Set when the leaf is exactly a plain field reference of the current item. */
	field?: FieldSegment[];
}

/** How a parameter is read per item on the native path. */
type ReadPlan =
	| { kind: 'once' }
	| { kind: 'n8n' }
	| { kind: 'leaves'; skeleton: unknown; leaves: ExpressionLeaf[] };

export class ParameterReader {
	private readonly once = new Map<string, unknown>();
	private readonly perItem = new Set<string>();
	private readonly plans = new Map<string, ReadPlan>();
	private inputJson?: unknown[];

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly stored: INodeParameters,
		private readonly options: ParameterReaderOptions = {},
	) {}

	/** Whether `name` must be read per item (its stored value holds an expression). */
	variesByItem(name: string): boolean {
		return containsExpression(readPath(this.stored, name));
	}

	/** The parameter's value for `itemIndex`: evaluated once when it cannot vary by item. */
	get<T>(name: string, itemIndex: number, fallback: T): T {
		if (this.options.nativeFieldReferences) return this.getNative(name, itemIndex, fallback);
		if (this.perItem.has(name)) return this.read(name, itemIndex, fallback);
		if (this.once.has(name)) return this.once.get(name) as T;
		if (this.variesByItem(name)) {
			this.perItem.add(name);
			return this.read(name, itemIndex, fallback);
		}
		const value = this.read(name, itemIndex, fallback);
		this.once.set(name, value);
		return value;
	}

	private getNative<T>(name: string, itemIndex: number, fallback: T): T {
		let plan = this.plans.get(name);
		if (!plan) {
			// The stored value as n8n-core reads it (defaults filled in by the Workflow, `fallback` when absent).
			const raw = this.context.getNodeParameter(name, 0, fallback as unknown as NodeParameterValueType, { rawExpressions: true });
			// A fallback given in code is not in the node's parameters, so its leaves have no path there: n8n whole.
			plan = raw === (fallback as unknown) && containsExpression(raw) ? { kind: 'n8n' } : planFor(name, raw);
			this.plans.set(name, plan);
		}
		if (plan.kind === 'once') {
			if (!this.once.has(name)) this.once.set(name, this.read(name, 0, fallback));
			return this.once.get(name) as T;
		}
		if (plan.kind === 'n8n') return this.read(name, itemIndex, fallback, true);
		if (plan.leaves.length === 1 && plan.leaves[0].keys.length === 0) {
			return this.readLeaf(plan.leaves[0], name, itemIndex, fallback, false) as T;
		}
		const value = copyJson(plan.skeleton);
		for (const leaf of plan.leaves) setAt(value, leaf.keys, this.readLeaf(leaf, name, itemIndex, fallback, true));
		return value as T;
	}

	private readLeaf(leaf: ExpressionLeaf, name: string, itemIndex: number, fallback: unknown, nested: boolean): unknown {
		if (leaf.field) {
			const read = readPlainField(this.itemJson(itemIndex), leaf.field);
			if (read.native) return read.value;
		}
		if (!nested) return this.read(name, itemIndex, fallback, true);
		// Read alone, a nested leaf misses n8n-core's cleanupParameterData of the whole parameter (which turns luxon
		// DateTimes inside the parameter's value into strings): apply it the same way.
		// The leaf sits in an array (a multi-value list) or in an object: box it the same way.
		const value = this.read(leaf.path, itemIndex, undefined, true);
		const inArray = typeof leaf.keys[leaf.keys.length - 1] === 'number';
		const box: unknown[] | Record<string, unknown> = inArray ? [value] : { value };
		cleanupLikeN8n(box);
		return inArray ? (box as unknown[])[0] : (box as Record<string, unknown>).value;
	}

	/** `$json` of the item as n8n's expressions see it (the node's input items). */
	private itemJson(itemIndex: number): unknown {
		this.inputJson ??= this.context.getInputData().map((item) => item.json);
		return this.inputJson[itemIndex];
	}

	private read<T>(name: string, itemIndex: number, fallback: T, skipValidation = false): T {
		const value = skipValidation
			? this.context.getNodeParameter(name, itemIndex, fallback as unknown as NodeParameterValueType, { skipValidation })
			: this.context.getNodeParameter(name, itemIndex, fallback as unknown as NodeParameterValueType);
		return value as unknown as T;
	}
}

function planFor(name: string, raw: unknown): ReadPlan {
	if (!containsExpression(raw)) return { kind: 'once' };
	const leaves: ExpressionLeaf[] = [];
	collectLeaves(raw, [], name, leaves);
	// `$parameter["&sibling"]` reads the leaf's siblings, which n8n only passes when it resolves the whole
	// parameter: such a parameter goes through n8n whole.
	const needsWhole = leaves.some((leaf) => leaf.keys.length > 0 && !leaf.field && /\$parameter\b/.test(readLeafText(raw, leaf.keys)));
	if (needsWhole) return { kind: 'n8n' };
	return { kind: 'leaves', skeleton: raw, leaves };
}

function collectLeaves(value: unknown, keys: Array<string | number>, path: string, into: ExpressionLeaf[]): void {
	if (typeof value === 'string') {
		if (value.startsWith('=')) into.push({ keys, path, field: parsePlainFieldReference(value) });
	} else if (Array.isArray(value)) {
		value.forEach((entry, index) => collectLeaves(entry, [...keys, index], `${path}[${index}]`, into));
	} else if (value && typeof value === 'object') {
		for (const [key, entry] of Object.entries(value)) {
			const step = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
			collectLeaves(entry, [...keys, key], `${path}${step}`, into);
		}
	}
}

function readLeafText(raw: unknown, keys: Array<string | number>): string {
	let current: unknown = raw;
	for (const key of keys) current = (current as Record<string | number, unknown>)[key];
	return String(current);
}

/** A fresh copy of a stored parameter value (JSON data: objects, arrays, primitives). */
function copyJson(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(copyJson);
	if (value && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) copy[key] = copyJson(entry);
		return copy;
	}
	return value;
}

function setAt(target: unknown, keys: Array<string | number>, value: unknown): void {
	let current = target as Record<string | number, unknown>;
	for (let i = 0; i < keys.length - 1; i++) current = current[keys[i]] as Record<string | number, unknown>;
	current[keys[keys.length - 1]] = value;
}

/**
 * The same walk as n8n-core's cleanupParameterData (n8n-core 2.x, node-execution-context/utils): every luxon
 * DateTime found as an object's property becomes its `toString()`; arrays are walked, not rewritten.
 */
function cleanupLikeN8n(data: unknown): void {
	if (typeof data !== 'object' || data === null) return;
	if (Array.isArray(data)) {
		data.forEach(cleanupLikeN8n);
		return;
	}
	const record = data as Record<string, unknown>;
	for (const key of Object.keys(record)) {
		const value = record[key];
		if (typeof value !== 'object') continue;
		if (value !== null && (value as { isLuxonDateTime?: unknown }).isLuxonDateTime) record[key] = (value as object).toString();
		else cleanupLikeN8n(value);
	}
}

function readPath(source: INodeParameters, path: string): unknown {
	let current: unknown = source;
	for (const key of path.split('.')) {
		if (!current || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}
