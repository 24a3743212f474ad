'use strict';
// `npm run bench -- --memory` (or `node bench/nodeMemory.js` after `npm run build`): where the Batch node's memory per
// item goes, in-process, for issue 9's "RSS growth for 100,000 profile updates" goal. For each size
// (BENCH_MEMORY_ITEMS, default "10000,100000") four runs, each in its own process (bench/nodeMemoryRun.js), against
// the Batch simulator (compiled, in this process, 127.0.0.1, Batch's documented limits):
//   batch      the Batch node v2, mass update (the bench --real massUpdate row's parameters), then the save;
//   summary    the same with Options → Output: One Summary Item (one output item for the run), then the save;
//   outputOnly the same output items built without the node, then the save;
//   noOp       the input items passed through (n8n's No Operation), then the save.
// "the save" = flatted.stringify of the run data, as n8n 2.x saves an execution. Prints bytes per item:
// batch − noOp = the node's share; outputOnly − noOp = what its output items cost n8n (held in the run data and
// serialised); batch − outputOnly = the node's own working memory beyond its output. Not a real n8n (no database,
// no task runner; `npm run bench -- --real` measures that); memory figures barely depend on the machine's load,
// but they are diagnostics (nothing asserted). The table goes to bench/RESULTS.md, section "## Batch node memory".
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '..');
const SIZES = (process.env.BENCH_MEMORY_ITEMS || '10000,100000').split(',').map(Number).filter((n) => n > 0);
const MODES = ['batch', 'summary', 'outputOnly', 'noOp'];
const COMMAND =
	process.env.BENCH_MEMORY_COMMAND ||
	`${['BENCH_MEMORY_ITEMS', 'BENCH_MEMORY_OPTIONS'].filter((name) => process.env[name]).map((name) => `${name}='${process.env[name]}' `).join('')}node bench/nodeMemory.js`;

const { startBatchSimulator } = require(path.join(root, 'dist/simulator/batchSimulator.js'));
const { KEYS } = require(path.join(root, 'bench/benchData.js'));
const { writeSection } = require('./resultsSection');

const RESULTS_FILE = path.join(root, 'bench', 'RESULTS.md');
const SECTION = '## Batch node memory';

const perItem = (bytes, items) => `${Math.round(bytes / items).toLocaleString('en')} B`;
const mib = (bytes) => `${(bytes / 1048576).toFixed(0)} MiB`;

async function main() {
	const sim = await startBatchSimulator({ restApiKey: KEYS.restApiKey, projectKey: KEYS.projectKey, appApiKeys: { ios: KEYS.iosApiKey, android: KEYS.androidApiKey } });
	const rows = [];
	try {
		for (const items of SIZES) {
			const runs = {};
			for (const mode of MODES) {
				sim.reset();
				await new Promise((resolve) => setTimeout(resolve, 1100)); // full simulator budgets
				const { stdout } = await execFileAsync(process.execPath, ['--expose-gc', path.join(root, 'bench/nodeMemoryRun.js'), mode, sim.url, String(items)], {
					cwd: root,
					encoding: 'utf8',
					maxBuffer: 16 * 1024 * 1024,
					timeout: 10 * 60_000,
				});
				runs[mode] = JSON.parse(stdout.trim().split('\n').pop());
			}
			rows.push({ items, ...runs });
		}
	} finally {
		await sim.close();
	}
	print(rows);
}

function print(rows) {
	const out = [
		`${SECTION} per item, in-process (issue 9)`,
		'',
		`Command: \`${COMMAND}\` (after \`npm run build\`). Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
		'Each run in its own process: the Batch node v2 (mass update) against the simulator, the same with Options → Output: One Summary',
		"Item, the first run's output items built without the node, and n8n's No Operation (input passed through); each followed by",
		"n8n 2.x's save of the run data (flatted). Not a real n8n: no",
		'database, no task runner (`npm run bench -- --real` measures that).',
		'',
		'```',
	];
	const lines = [
		['', ...rows.map((r) => `${r.items.toLocaleString('en')} items`)],
		["input item's JSON", ...rows.map((r) => perItem(r.batch.itemsBytes, r.items))],
		["output item's JSON (node)", ...rows.map((r) => `${r.batch.outputItemBytes} B`)],
		['output items, live heap after the node (node)', ...rows.map((r) => perItem(r.batch.outputRetainedBytes, r.items))],
		['peak RSS growth while the node runs (node)', ...rows.map((r) => perItem(r.batch.nodePeakGrowthBytes, r.items))],
		['peak RSS growth, node + save: batch', ...rows.map((r) => `${perItem(r.batch.peakGrowthBytes, r.items)} (${mib(r.batch.peakGrowthBytes)})`)],
		['peak RSS growth, node + save: summary', ...rows.map((r) => `${perItem(r.summary.peakGrowthBytes, r.items)} (${mib(r.summary.peakGrowthBytes)})`)],
		['peak RSS growth, node + save: outputOnly', ...rows.map((r) => `${perItem(r.outputOnly.peakGrowthBytes, r.items)} (${mib(r.outputOnly.peakGrowthBytes)})`)],
		['peak RSS growth, node + save: noOp', ...rows.map((r) => `${perItem(r.noOp.peakGrowthBytes, r.items)} (${mib(r.noOp.peakGrowthBytes)})`)],
		["the node's share (batch − noOp)", ...rows.map((r) => perItem(r.batch.peakGrowthBytes - r.noOp.peakGrowthBytes, r.items))],
		['  of which its output items in n8n (outputOnly − noOp)', ...rows.map((r) => perItem(r.outputOnly.peakGrowthBytes - r.noOp.peakGrowthBytes, r.items))],
		['  of which its own working memory (batch − outputOnly)', ...rows.map((r) => perItem(r.batch.peakGrowthBytes - r.outputOnly.peakGrowthBytes, r.items))],
		["the node's share with One Summary Item (summary − noOp)", ...rows.map((r) => `${perItem(r.summary.peakGrowthBytes - r.noOp.peakGrowthBytes, r.items)} (${mib(r.summary.peakGrowthBytes - r.noOp.peakGrowthBytes)})`)],
		['saved run data (flatted), batch / summary / noOp', ...rows.map((r) => `${mib(r.batch.savedLength)} / ${mib(r.summary.savedLength)} / ${mib(r.noOp.savedLength)}`)],
	];
	const width = lines.map((line) => line.map((cell) => String(cell).length));
	const columns = lines[0].map((_, c) => Math.max(...width.map((w) => w[c])));
	for (const line of lines) out.push(line.map((cell, c) => (c === 0 ? String(cell).padEnd(columns[c]) : String(cell).padStart(columns[c]))).join('  '));
	out.push('```', '');
	for (const r of rows) {
		const ratio = r.batch.peakGrowthBytes / r.noOp.peakGrowthBytes;
		out.push(
			`- ${r.items.toLocaleString('en')} items: batch ${mib(r.batch.peakGrowthBytes)} = ${ratio.toFixed(2)}× noOp's ${mib(r.noOp.peakGrowthBytes)}; ` +
				`summary ${mib(r.summary.peakGrowthBytes)} = ${(r.summary.peakGrowthBytes / r.noOp.peakGrowthBytes).toFixed(2)}×`,
		);
	}
	const text = `${out.join('\n')}\n`;
	console.log(`\n${text}`);
	writeSection(RESULTS_FILE, SECTION, text, ['## Real n8n (outbound)', '## Inbound']);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
