'use strict';
// Micro-benchmark of reading one parameter for 10,000 items (part of `npm run bench`; alone:
// `npm run bench -- --parameters`, or `node bench/parameterReading.js` after `npm run build`):
// n8n-core's getNodeParameter per item (what every node does, and what ParameterReader does for an expression
// parameter without `nativeFieldReferences`) against ParameterReader's native path for plain field references
// (Batch node version 2), in a genuine n8n-core 2.11.1 ExecuteContext. Checks that both give the same values,
// then writes the "## Parameter reading" section of bench/RESULTS.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { buildContext, stopN8nCoreBackgroundTimers } = require('./executeContext');
const { makeItems } = require('./benchData');
const { writeSection } = require('./resultsSection');

const root = path.resolve(__dirname, '..');
const { ParameterReader } = require(path.join(root, 'dist/nodes/Batch/parameterReading.js'));
const { compileFieldPath } = require(path.join(root, 'dist/nodes/Batch/fieldPath.js'));

const ITEMS = Number(process.env.BENCH_ITEMS || 10000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const RESULTS_FILE = path.join(root, 'bench/RESULTS.md');
const SECTION = '## Parameter reading';

// A node type with the parameter shapes the Batch node uses: a string and a collection.
const nodeType = {
	description: {
		displayName: 'Parameter Bench',
		name: 'parameterBench',
		group: ['output'],
		version: 1,
		description: 'parameters for the reading benchmark',
		defaults: { name: 'Parameter Bench' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Custom User ID', name: 'customUserId', type: 'string', default: '' },
			{
				displayName: 'Event Options',
				name: 'eventOptions',
				type: 'collection',
				default: {},
				options: [
					{ displayName: 'Label', name: 'label', type: 'string', default: '' },
					{ displayName: 'Tags', name: 'tags', type: 'string', default: '' },
				],
			},
		],
	},
};

const CASES = [
	{
		label: 'plain field reference `={{ $json.meta.userId }}`',
		name: 'customUserId',
		parameters: { customUserId: '={{ $json.meta.userId }}' },
		fallback: '',
		fieldPath: 'meta.userId',
	},
	{
		label: 'collection: label `={{ $json.body.plan }}`, tags fixed',
		name: 'eventOptions',
		parameters: { eventOptions: { label: '={{ $json.body.plan }}', tags: 'n8n, bench' } },
		fallback: {},
	},
	{
		label: 'non-trivial expression (ternary) `={{ $json.meta.userId ? $json.meta.userId : "anonymous" }}`',
		name: 'customUserId',
		parameters: { customUserId: '={{ $json.meta.userId ? $json.meta.userId : "anonymous" }}' },
		fallback: '',
	},
];

const loadBefore = os.loadavg()[0].toFixed(1);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs the readers in turn, run after run (interleaved, so that a change of load on the shared machine hits both). */
function timeInTurn(reads) {
	const runs = reads.map(() => []);
	const values = [];
	for (let run = 0; run < RUNS; run++) {
		reads.forEach((read, index) => {
			const startedAt = performance.now();
			values[index] = read();
			runs[index].push(performance.now() - startedAt);
		});
	}
	return runs.map((r, index) => ({ ms: median(r), runs: r, values: values[index] }));
}

function measure(testCase) {
	const items = makeItems(ITEMS);
	const context = buildContext(nodeType, testCase.parameters, {}, items);
	const indexes = items.map((_, index) => index);
	// Warm-up (JIT, n8n's expression caches), not counted.
	for (let i = 0; i < Math.min(500, ITEMS); i++) context.getNodeParameter(testCase.name, i, testCase.fallback);
	const readN8n = () => indexes.map((i) => context.getNodeParameter(testCase.name, i, testCase.fallback));
	const readNative = () => {
		const reader = new ParameterReader(context, context.getNode().parameters, { nativeFieldReferences: true });
		return indexes.map((i) => reader.get(testCase.name, i, testCase.fallback));
	};
	const readFieldPath = () => {
		const get = compileFieldPath(testCase.fieldPath);
		return items.map((item) => get(item.json));
	};
	if (testCase.fieldPath) readNative(); // warm-up of the native path (it only calls n8n for other expressions)
	const [n8n, native, fieldPath] = timeInTurn(testCase.fieldPath ? [readN8n, readNative, readFieldPath] : [readN8n, readNative]);
	const same = JSON.stringify(native.values) === JSON.stringify(n8n.values);
	if (!same) throw new Error(`${testCase.label}: the native path and n8n gave different values`);
	return { label: testCase.label, n8n, native, fieldPath };
}

function fmt(result) {
	return result ? `${result.ms.toFixed(1)} ms (${((result.ms * 1000) / ITEMS).toFixed(2)} µs/item; runs ${result.runs.map((r) => Math.round(r)).join(', ')})` : '–';
}

function write(rows) {
	const table = rows
		.map((r) => `| ${r.label} | ${fmt(r.n8n)} | ${fmt(r.native)} | ${(r.n8n.ms / r.native.ms).toFixed(1)}× | ${fmt(r.fieldPath)} |`)
		.join('\n');
	const text = `${SECTION}: n8n's per-item getNodeParameter vs ParameterReader's native path

Command: \`npm run bench -- --parameters\` (after the build; \`npm run bench\` runs it with the other parts), i.e.
\`node bench/parameterReading.js\`. ${ITEMS.toLocaleString('en')} items shaped like the Purchasely Trigger's output, one
genuine n8n-core 2.11.1 \`ExecuteContext\`, median of ${RUNS} runs in one process after a warm-up, the paths measured in turn run after run; the values of both
paths are checked equal before the figures are written. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'},
Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, **shared**: 1-minute load average
${loadBefore} before and ${os.loadavg()[0].toFixed(1)} after (other work on the machine), so single runs vary (see the runs).

| parameter | n8n getNodeParameter per item | ParameterReader, \`nativeFieldReferences\` | speed-up | version 1 field path (\`compileFieldPath\`) |
|---|---|---|---|---|
${table}

- n8n's evaluator here is n8n-workflow 2.11.1's in-process one (\`legacy\`-like, the isolated-vm engine cannot be
  built on this Node 20); inside a real n8n 2.x the default \`vm\` engine costs about 1.4 ms per item and expression
  (n8n-performance.md). The native column does not call the engine for plain references, whatever the engine.
- The ternary row is not a plain reference: the reader hands it to n8n per item, so both columns should be the
  same (its only extra cost is one raw read per execution).
`;
	writeSection(RESULTS_FILE, SECTION, text, ['## Inbound']);
	console.log(`wrote the "${SECTION}" section of bench/RESULTS.md`);
}

try {
	const rows = CASES.map(measure);
	for (const r of rows) console.log(`${r.label}: n8n ${fmt(r.n8n)}; native ${fmt(r.native)}; field path ${fmt(r.fieldPath)}`);
	write(rows);
} finally {
	stopN8nCoreBackgroundTimers();
}
