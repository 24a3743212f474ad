'use strict';
// One run of bench/nodeMemory.js in its own process (so that its peak RSS is its own). Prints one JSON line.
// Usage: node --expose-gc bench/nodeMemoryRun.js <mode> <simulatorUrl> <items>
//   mode batch:      the Batch node v2 (Profile → Update Attributes, Endpoint Automatic = mass update, default
//                    options: the bench --real massUpdate row's node) runs through a genuine n8n-core ExecuteContext;
//   mode summary:    the same node with Options → Output: One Summary Item (one output item for the run);
//                    BENCH_MEMORY_OPTIONS (JSON, e.g. '{"batchSize":1000}') adds options to it, to try other requests;
//   mode outputOnly: the same output items, built directly from the input (no node, nothing sent): what n8n holds
//                    and saves for the node's output alone;
//   mode noOp:       the input items passed through (n8n's No Operation node: the output is the input).
// Then the execution is saved as n8n 2.x saves it: flatted.stringify of the run data (both nodes' items), the same
// flatted version as n8n 2.41.1's. Measured (Linux /proc/self/status): VmRSS before, VmHWM after the node and after
// the save, live heap after gc. Diagnostic, not a test: nothing is asserted about time or size.
const flatted = require('flatted');
const { loadBatchNode, buildContext, stopN8nCoreBackgroundTimers } = require('./executeContext');
const { KEYS, makeItems } = require('./benchData');
const { statusBytes } = require('./procStatus');
const { batchNode } = require('./realWorkflows');

const [mode, baseUrl, countText] = process.argv.slice(2);
const count = Number(countText);
const NODE_NAME = 'Node under test';
// What `npm run bench -- --real` runs in its mass update row.
const PARAMETERS = batchNode({}).parameters;
const SUMMARY_PARAMETERS = batchNode({ output: 'summary', ...JSON.parse(process.env.BENCH_MEMORY_OPTIONS || '{}') }).parameters;

if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc');
const liveHeap = () => {
	global.gc();
	global.gc();
	return process.memoryUsage().heapUsed;
};
const rss = () => statusBytes(process.pid, 'VmRSS');
const hwm = () => statusBytes(process.pid, 'VmHWM');

/** The output item the node gives for one input item here (every item accepted by one mass update call). */
function outputItem(item, index) {
	const { body, meta } = item.json;
	return {
		json: {
			accepted: true,
			api: 'profile',
			operation: 'updateAttributes',
			identifierType: 'customId',
			identifier: meta.userId,
			batch: { status: 202, code: 'SUCCESS', attempts: 1, endpoint: 'massUpdate' },
			sent: {
				identifiers: { custom_id: meta.userId },
				attributes: { plan: body.plan, price: body.price, renews: body.renews, 'date(expires_at)': body.expires_at },
			},
		},
		pairedItem: { item: index },
	};
}

async function main() {
	const nodeType = loadBatchNode(2);
	const credentials = { ...KEYS, baseUrl };
	// Warm-up (code loaded, connection pool code compiled), as the real bench runs 10 items first.
	await nodeType.execute.call(buildContext(nodeType, PARAMETERS, credentials, makeItems(10)));
	const context = buildContext(nodeType, mode === 'summary' ? SUMMARY_PARAMETERS : PARAMETERS, credentials, makeItems(count));
	const input = context.getInputData();

	const heapBefore = liveHeap();
	const rssBefore = rss();
	let output;
	if (mode === 'batch' || mode === 'summary') [output] = await nodeType.execute.call(context);
	else if (mode === 'outputOnly') output = input.map(outputItem);
	else if (mode === 'noOp') output = input;
	else throw new Error(`unknown mode ${mode}`);
	const hwmAfterNode = hwm();
	if (mode === 'summary' && (output.length !== 1 || output[0].json.accepted !== count)) {
		throw new Error(`Output One Summary Item: expected one item with ${count} accepted, got ${JSON.stringify(output[0]?.json).slice(0, 300)}`);
	}

	// outputOnly stands for the node's output only while it is the same JSON: checked on the node's own output.
	if (mode === 'batch') {
		const differing = output.findIndex((item, index) => JSON.stringify(item) !== JSON.stringify(outputItem(input[index], index)));
		if (output.length !== input.length || differing >= 0) {
			throw new Error(`the node's output differs from bench/nodeMemoryRun.js's outputItem() (item ${differing}): update outputItem()`);
		}
	}

	// No collection between the node and the save: n8n forces none, so whatever garbage the node left in old space is
	// still there when n8n serialises the run (a forced gc here hid it: the node's share looked flat in-process and
	// grew in a real n8n). The output's live size is read after the save.
	const runData = { resultData: { runData: { Items: [{ data: { main: [input] } }], [NODE_NAME]: [{ data: { main: [output] } }] } } };
	const savedLength = flatted.stringify(runData).length;
	const hwmAfterSave = hwm();
	const retained = liveHeap() - heapBefore;
	stopN8nCoreBackgroundTimers();
	return {
		mode,
		items: count,
		itemsBytes: Buffer.byteLength(JSON.stringify(input.map((item) => item.json))),
		outputItemBytes: Buffer.byteLength(JSON.stringify(output[0].json)),
		outputRetainedBytes: retained,
		nodePeakGrowthBytes: hwmAfterNode - rssBefore,
		savedLength,
		peakGrowthBytes: hwmAfterSave - rssBefore,
	};
}

main()
	.then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
	.catch((error) => {
		process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
		process.exit(1);
	});
