/**
 * Plain field references resolved natively (Batch node version 2) against n8n's own evaluator: a genuine
 * n8n-core ExecuteContext (real Workflow, real expression resolution of n8n-workflow 2.11.1) reads the same
 * parameter with getNodeParameter, over many item shapes; the value and the thrown/not-thrown outcome must match.
 */
import type { IDataObject, IExecuteFunctions, INodeParameters, INodeType } from 'n8n-workflow';

import { ParameterReader } from '../../nodes/Batch/parameterReading';
import { parsePlainFieldReference, readPlainField } from '../../nodes/Batch/plainFieldReference';
import { buildExecuteContext, stopN8nCoreBackgroundTimers } from '../helpers/n8nExecuteContext';

afterAll(() => stopN8nCoreBackgroundTimers());

const nodeType: INodeType = {
	description: {
		displayName: 'Reader Test',
		name: 'readerTest',
		group: ['output'],
		version: 1,
		description: 'parameters for the reader test',
		defaults: { name: 'Reader Test' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Value', name: 'value', type: 'string', default: '' },
			{ displayName: 'Custom User ID', name: 'customUserId', type: 'string', default: '={{ $json.meta.userId }}' },
			{
				displayName: 'Event Options',
				name: 'eventOptions',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Time', name: 'time', type: 'string', default: '' },
					{ displayName: 'Label', name: 'label', type: 'string', default: '' },
					{ displayName: 'Tags', name: 'tags', type: 'string', default: '' },
				],
			},
			{
				displayName: 'Attributes',
				name: 'attributes',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				default: {},
				options: [
					{
						displayName: 'Attribute',
						name: 'attribute',
						values: [
							{ displayName: 'Name', name: 'name', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			},
			{ displayName: 'Topics', name: 'topics', type: 'string', typeOptions: { multipleValues: true }, default: [] },
		],
	},
};

class Point {
	constructor(public x = 1) {}
}

/** Item shapes: what upstream nodes (Set, Code, webhooks) can hand to the node. */
const shapes: IDataObject[] = [
	{ meta: { userId: 'u1', eventName: 'ACTIVATE' }, a: { b: 'x' } },
	{},
	{ meta: {} },
	{ meta: null, a: null },
	{ meta: { userId: null }, a: { b: null } },
	{ meta: { userId: '' }, a: { b: '' } },
	{ meta: { userId: 0 }, a: { b: 0 } },
	{ meta: { userId: -1.5 }, a: { b: 1e21 } },
	{ meta: { userId: true }, a: { b: false } },
	{ meta: { userId: ['u1', 'u2'] }, a: { b: [1, [2, 3], { c: 4 }] } },
	{ meta: { userId: { nested: { deep: 'd' } } }, a: { b: {} } },
	{ meta: 'a string', a: 'abc' },
	{ meta: 42, a: 7 },
	{ meta: [{ userId: 'first' }], a: [] },
	{ meta: { userId: '2024-01-01T00:00:00.000Z' }, a: { b: '2024-05-06' } },
	{ meta: { userId: 'ü-ñ-漢字-🙂' }, ü: { é: 'accent', 漢字: 'kanji' } },
	{ 'a b': { c: 'spaced' }, 'q"k': 'dq', "s'k": 'sq', 'd.k': 'dotted', 'x y': { 'z.w': [{ 'v"': 'mixed' }] } },
	{ a: { length: 3, toString: 'own', valueOf: 1, hasOwnProperty: 'h' } },
	{ x: [['zero'], 'one'], a: { b: { c: { d: { e: 'deep' } } } } },
	{ meta: { userId: new Date(0) }, a: { b: { when: new Date(0) } } },
	{ meta: { userId: new Point() }, a: { b: [new Point()] } },
	{ meta: { userId: Number.NaN }, a: { b: [undefined] } },
	{ meta: { userId: 'u' }, constructorName: 'c', $: { x: 'dollar' }, _k: 'underscore', $k: 'dollarKey' },
];
shapes.push(Object.assign(Object.create(null) as IDataObject, { meta: { userId: 'null-proto' } }));
const withProto = JSON.parse('{"__proto__": {"userId": "polluted"}, "meta": {"userId": "p"}}') as IDataObject;
shapes.push(withProto);

/** Stored values: plain references (native) and others (n8n), all evaluated against every shape. */
const expressions = [
	'={{ $json.meta.userId }}',
	'={{$json.meta.userId}}',
	'={{   $json.meta.userId\t}}',
	'={{\n$json.meta.userId\n}}',
	'={{ $json.meta }}',
	'={{ $json.a.b }}',
	'={{ $json.a }}',
	'={{ $json }}',
	'={{ $json.missing }}',
	'={{ $json.missing.deeper }}',
	'={{ $json.a.b[0] }}',
	'={{ $json.a.b[1][0] }}',
	'={{ $json.a.b[2].c }}',
	'={{ $json.a.b[5] }}',
	'={{ $json.meta[0].userId }}',
	'={{ $json.x[0][0] }}',
	'={{ $json.x[1] }}',
	'={{ $json.a.b.c.d.e }}',
	'={{ $json["a b"].c }}',
	"={{ $json['a b']['c'] }}",
	'={{ $json["q\\"k"] }}',
	'={{ $json["s\'k"] }}',
	"={{ $json['s\\'k'] }}",
	'={{ $json["d.k"] }}',
	'={{ $json["x y"]["z.w"][0]["v\\""] }}',
	'={{ $json.ü.é }}',
	"={{ $json['ü']['漢字'] }}",
	'={{ $json.a.length }}',
	'={{ $json.a.toString }}',
	'={{ $json.a.valueOf }}',
	'={{ $json.a.hasOwnProperty }}',
	'={{ $json.toString }}',
	'={{ $json.meta.length }}',
	'={{ $json.a.b.length }}',
	'={{ $json.$.x }}',
	'={{ $json._k }}',
	'={{ $json.$k }}',
	'={{ $json.constructorName }}',
	'={{ $json.__proto__ }}',
	'={{ $json["__proto__"].userId }}',
	'={{ $json.constructor }}',
	'={{ $json["constructor"] }}',
	'={{ $json.prototype }}',
	'={{ $json.meta.userId.toLowerCase() }}',
	'={{ $json.meta.userId ? $json.meta.userId : "none" }}',
	'={{ $json.meta.userId }} x',
	'=id: {{ $json.meta.userId }}',
	'={{ $json.a.b }}{{ $json.meta.userId }}',
	'={{ $json.meta?.userId }}',
	'={{ $input.item.json.meta.userId }}',
	'{{ $json.meta.userId }}',
	'plain text',
];

type Outcome = { threw: false; value: unknown } | { threw: true; message: string };

function outcome(read: () => unknown): Outcome {
	try {
		return { threw: false, value: read() };
	} catch (error) {
		return { threw: true, message: (error as Error).message };
	}
}

function contextFor(parameters: IDataObject, items: IDataObject[] = shapes) {
	const { context, node } = buildExecuteContext({
		nodeType,
		typeName: 'test.readerTest',
		credentialType: 'none',
		credentialData: {},
		parameters: parameters as INodeParameters,
		items,
	});
	return { context: context as unknown as IExecuteFunctions, node };
}

describe('which stored values are plain field references', () => {
	it.each([
		['={{ $json.a.b }}', ['a', 'b']],
		['={{$json.a}}', ['a']],
		['={{ \n $json.a \t}}', ['a']],
		['={{ $json["a b"].c }}', ['a b', 'c']],
		["={{ $json['x'][0] }}", ['x', 0]],
		['={{ $json.list[12].id }}', ['list', 12, 'id']],
		['={{ $json["q\\"k"] }}', ['q"k']],
		["={{ $json['s\\'k'] }}", ["s'k"]],
		['={{ $json["d.k"] }}', ['d.k']],
		['={{ $json.ü.漢字 }}', ['ü', '漢字']],
		['={{ $json.$k._x }}', ['$k', '_x']],
		['={{ $json }}', []],
	])('%s is plain', (stored, segments) => {
		expect(parsePlainFieldReference(stored)).toEqual(segments);
	});

	it.each([
		'{{ $json.a }}',
		'={{ $json.a }} x',
		' ={{ $json.a }}',
		'= {{ $json.a }}',
		'={{ $json.a }}\n',
		'={{ $json.a }}{{ $json.b }}',
		'={{ $json.a() }}',
		'={{ $json.a.toLowerCase() }}',
		'={{ $json.a + 1 }}',
		'={{ $json.a || "x" }}',
		'={{ $json.a ? 1 : 2 }}',
		'={{ $json.a?.b }}',
		'={{ $json.a .b }}',
		'={{ $json[a] }}',
		'={{ $json[0.5] }}',
		'={{ $json[-1] }}',
		'={{ $json[01] }}',
		'={{ $json["a\\nb"] }}',
		'={{ $json["a}}b"] }}',
		'={{ $json.1a }}',
		'={{ $jsonx.a }}',
		'={{ $input.item.json.a }}',
		'={{ $("Node").item.json.a }}',
		'={{ $node["Node"].json.a }}',
		'={{ $item(0).$node.x.json.a }}',
		'={{ $json.__proto__ }}',
		'={{ $json["__proto__"] }}',
		'={{ $json.constructor }}',
		'={{ $json.constructorName }}',
		'={{ $json["a.constructor"] }}',
		'={{ $json.prototype }}',
		'={{ $json.__defineGetter__ }}',
		'={{ $json.a.caller }}',
		'={{ $json.$.x }}',
		'={{ $json["$"] }}',
		'=$json.a',
		'=',
		'',
		undefined,
		42,
		{ value: '={{ $json.a }}' },
	])('%p is not plain', (stored) => {
		expect(parsePlainFieldReference(stored)).toBeUndefined();
	});
});

describe('native reads give exactly what n8n gives (differential against a genuine n8n-core ExecuteContext)', () => {
	it('matches getNodeParameter for every reference and item shape, native where it can be', () => {
		const { context, node } = contextFor({ value: '' });
		let nativeHits = 0;
		const mismatches: string[] = [];
		for (const stored of expressions) {
			node.parameters.value = stored;
			const segments = parsePlainFieldReference(stored);
			const reader = new ParameterReader(context, node.parameters, { nativeFieldReferences: true });
			shapes.forEach((json, itemIndex) => {
				const expected = outcome(() => context.getNodeParameter('value', itemIndex, ''));
				const actual = outcome(() => reader.get('value', itemIndex, ''));
				const label = `${stored} on item ${itemIndex} ${JSON.stringify(json)}`;
				try {
					expect(actual).toEqual(expected);
					if (!actual.threw && !expected.threw) expect(Object.is(actual.value, expected.value) || typeof actual.value === 'object').toBe(true);
				} catch {
					mismatches.push(`${label}: native ${JSON.stringify(actual)} vs n8n ${JSON.stringify(expected)}`);
				}
				if (segments) {
					const read = readPlainField(json, segments);
					if (read.native) {
						nativeHits++;
						// The pure read alone agrees with n8n too (not only the reader with its fallback).
						if (expected.threw || !isDeepStrictEqual(read.value, expected.value)) {
							mismatches.push(`${label}: readPlainField ${JSON.stringify(read.value)} vs n8n ${JSON.stringify(expected)}`);
						}
					}
				}
			});
		}
		expect(mismatches).toEqual([]);
		// The native path is really taken for the common shapes (not everything falling back to n8n).
		expect(nativeHits).toBeGreaterThan(300);
	}, 180_000); // about 2,700 evaluations by n8n's evaluator: some 35 s on a shared 2-core machine

	it('leaves to n8n what it cannot promise: prototype properties, primitives, missing intermediates, non-JSON values', () => {
		const askN8n = (json: unknown, segments: Array<string | number>) => readPlainField(json, segments).native === false;
		expect(askN8n({ a: { b: 1 } }, ['a', 'toString'])).toBe(true);
		expect(askN8n({ a: 'abc' }, ['a', 'length'])).toBe(true);
		expect(askN8n({ a: [1] }, ['a', 'length'])).toBe(true);
		expect(askN8n({}, ['missing', 'deeper'])).toBe(true);
		expect(askN8n({ a: null }, ['a', 'b'])).toBe(true);
		expect(askN8n({ a: new Date(0) }, ['a'])).toBe(true);
		expect(askN8n({ a: { b: [new Point()] } }, ['a'])).toBe(true);
		expect(askN8n({ a: Number.NaN }, ['a'])).toBe(true);
		expect(readPlainField({ a: { b: 1 } }, ['a', 'missing'])).toEqual({ native: true, value: undefined });
		expect(readPlainField({ a: [1] }, ['a', 3])).toEqual({ native: true, value: undefined });
		expect(readPlainField({ a: [1, { c: null }] }, ['a', 1, 'c'])).toEqual({ native: true, value: null });
	});

	it('calls n8n per item only for the items it cannot read natively', () => {
		const { context, node } = contextFor({ value: '={{ $json.meta.userId }}' });
		const spy = jest.spyOn(context, 'getNodeParameter');
		const reader = new ParameterReader(context, node.parameters, { nativeFieldReferences: true });
		const items = [{ meta: { userId: 'a' } }, { meta: { userId: 'b' } }, { meta: 'text' }];
		const { context: small, node: smallNode } = contextFor({ value: '={{ $json.meta.userId }}' }, items);
		const smallSpy = jest.spyOn(small, 'getNodeParameter');
		const smallReader = new ParameterReader(small, smallNode.parameters, { nativeFieldReferences: true });
		expect(items.map((_, i) => smallReader.get('value', i, ''))).toEqual(['a', 'b', undefined]);
		// One raw read, then n8n only for item 2 (a property of a string).
		expect(smallSpy.mock.calls.map(([name, index, , options]) => [name, index, options])).toEqual([
			['value', 0, { rawExpressions: true }],
			['value', 2, { skipValidation: true }],
		]);
		reader.get('value', 0, '');
		expect(spy).toHaveBeenCalledTimes(1);
	});

	it('reads a default that is missing from the stored parameters the way n8n-core fills it in', () => {
		const items = [{ meta: { userId: 'u1' } }, { meta: { userId: 'u2' } }, {}];
		const { context, node } = contextFor({}, items);
		expect(node.parameters.customUserId).toBe('={{ $json.meta.userId }}'); // filled in by the Workflow
		const spy = jest.spyOn(context, 'getNodeParameter');
		const reader = new ParameterReader(context, node.parameters, { nativeFieldReferences: true });
		const native = items.map((_, i) => reader.get('customUserId', i, ''));
		// The raw read, then n8n for item 2 only (its `meta` is missing: an intermediate is left to n8n).
		expect(spy.mock.calls.map(([, index, , options]) => [index, options])).toEqual([
			[0, { rawExpressions: true }],
			[2, { skipValidation: true }],
		]);
		spy.mockRestore();
		expect(native).toEqual(items.map((_, i) => context.getNodeParameter('customUserId', i, '')));
		expect(native).toEqual(['u1', 'u2', undefined]);
		// A fallback given in code (the parameter is absent) is evaluated by n8n, as getNodeParameter does.
		const fallback = '={{ $json.meta.userId }}';
		expect(items.map((_, i) => reader.get('absent', i, fallback))).toEqual(items.map((_, i) => context.getNodeParameter('absent', i, fallback)));
	});
});

describe('collections and fixedCollections, leaf by leaf', () => {
	const items: IDataObject[] = [
		{ meta: { userId: 'u1', time: '2024-01-01T00:00:00Z', tags: ['a', 'b'] }, plan: 'gold', price: 9.99 },
		{ meta: { userId: 'u2' }, plan: null, price: 0 },
		{ meta: 'text', plan: { tier: 1 } },
		{},
	];
	const parameters: IDataObject = {
		eventOptions: { time: '={{ $json.meta.time }}', label: 'fixed label', tags: '={{ ($json.meta.tags || []).join(", ") }}' },
		attributes: {
			attribute: [
				{ name: 'plan', value: '={{ $json.plan }}' },
				{ name: 'source', value: 'n8n' },
				{ name: 'price', value: '={{ $json["price"] }}' },
				{ name: 'now', value: '={{ DateTime.fromISO("2024-01-01T00:00:00Z") }}' },
				{ name: 'upper', value: '={{ $json.meta.userId?.toUpperCase() }}' },
			],
		},
		topics: ['fixed', '={{ $json.plan }}', '={{ DateTime.fromISO("2024-02-02T00:00:00Z") }}'],
	};

	it.each(['eventOptions', 'attributes', 'attributes.attribute', 'topics'])('%s equals getNodeParameter for every item', (name) => {
		const { context, node } = contextFor(parameters, items);
		const reader = new ParameterReader(context, node.parameters, { nativeFieldReferences: true });
		items.forEach((_, itemIndex) => {
			const expected = outcome(() => context.getNodeParameter(name, itemIndex, {}));
			const actual = outcome(() => reader.get(name, itemIndex, {}));
			expect(actual).toEqual(expected);
		});
		// luxon DateTimes inside a collection become strings in n8n (cleanupParameterData): so too leaf by leaf.
		if (name === 'attributes') {
			const value = reader.get(name, 0, {}) as { attribute: Array<{ value: unknown }> };
			expect(typeof value.attribute[3].value).toBe('string');
		}
	});

	it('evaluates through n8n only the leaves that are not plain references', () => {
		const { context, node } = contextFor(parameters, items);
		const spy = jest.spyOn(context, 'getNodeParameter');
		const reader = new ParameterReader(context, node.parameters, { nativeFieldReferences: true });
		reader.get('attributes.attribute', 0, []);
		reader.get('eventOptions', 0, {});
		expect(spy.mock.calls.map(([name]) => name)).toEqual([
			'attributes.attribute',
			'attributes.attribute[3].value',
			'attributes.attribute[4].value',
			'eventOptions',
			'eventOptions.tags',
		]);
		// Each read is a fresh value: changing one item's result does not leak into the next.
		const first = reader.get<IDataObject>('eventOptions', 0, {});
		first.label = 'changed';
		expect(reader.get<IDataObject>('eventOptions', 1, {}).label).toBe('fixed label');
	});

	it('reads parameters without expressions once, as version 1 does', () => {
		const { context, node } = contextFor({ eventOptions: { label: 'fixed' }, value: 'plain' }, items);
		const spy = jest.spyOn(context, 'getNodeParameter');
		const reader = new ParameterReader(context, node.parameters, { nativeFieldReferences: true });
		items.forEach((_, i) => {
			expect(reader.get('eventOptions', i, {})).toEqual({ label: 'fixed' });
			expect(reader.get('value', i, '')).toBe('plain');
		});
		expect(spy.mock.calls.map(([name, index, , options]) => [name, index, options])).toEqual([
			['eventOptions', 0, { rawExpressions: true }],
			['eventOptions', 0, undefined],
			['value', 0, { rawExpressions: true }],
			['value', 0, undefined],
		]);
	});
});

function isDeepStrictEqual(a: unknown, b: unknown): boolean {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return (require('node:util') as typeof import('node:util')).isDeepStrictEqual(a, b);
}
