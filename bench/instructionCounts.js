'use strict';
// `npm run bench -- --instructions`: what the Batch node costs per item in CPU instructions, counted by valgrind's
// callgrind, so that the figures do not depend on what else the machine is doing (wall-clock figures on a shared
// 2-core machine do). Each scenario of bench/benchScenario.js (the node's execute() in a genuine n8n-core
// ExecuteContext, against the compiled simulator in this process, rate limit off) runs under callgrind twice, with
// SMALL and LARGE items; (instructions(LARGE) - instructions(SMALL)) / (LARGE - SMALL) is its cost per item, without
// the process's start (loading n8n-core, building the expression engine) that both runs share.
// Answers issue 7's goals in instructions: version 2 with plain field references against version 1's field paths
// (goal: at most 1.2x), and what a ternary adds to version 2 against n8n's own getNodeParameter per item for that
// ternary (goal: at most 1.0x). Writes the "## Instruction counts" section of bench/RESULTS.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile, execFileSync } = require('node:child_process');
const { writeSection } = require('./resultsSection');

const root = path.resolve(__dirname, '..');
const RESULTS_FILE = path.join(root, 'bench/RESULTS.md');
const SECTION = '## Instruction counts';
const SMALL = Number(process.env.BENCH_INSTRUCTIONS_SMALL || 200);
const LARGE = Number(process.env.BENCH_INSTRUCTIONS_LARGE || 2000);
const PARALLEL = Math.max(1, Math.min(2, os.cpus().length));
const TIMEOUT_MS = 20 * 60_000;

const SCENARIOS = [
	['nodeProfile', 'version 1, field paths (parameters read once)'],
	['nodeV2Plain', 'version 2, plain field references (`{{ $json.a.b }}`, as dragged)'],
	['nodeV2Ternary', 'version 2, plain references + the event name from a ternary'],
	['n8nTernary', "n8n's own getNodeParameter per item for that ternary (no node, no network)"],
];

function valgrindVersion() {
	try {
		return execFileSync('valgrind', ['--version'], { encoding: 'utf8' }).trim();
	} catch {
		return undefined;
	}
}

/** Instructions of one scenario run under callgrind (its "Collected" total). */
function countInstructions(scenario, baseUrl, items) {
	return new Promise((resolve, reject) => {
		execFile(
			'valgrind',
			// --single-threaded: V8 compiles and collects garbage on the main thread, so that the count depends less on
			// how valgrind happened to schedule V8's helper threads.
			['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath, '--single-threaded', path.join(root, 'bench/benchScenario.js'), scenario, baseUrl, String(items)],
			{ cwd: root, timeout: TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 },
			(error, stdout, stderr) => {
				if (error) return reject(new Error(`${scenario} × ${items} under callgrind failed: ${error.message}\n${stderr.slice(-2000)}`));
				const collected = /Collected\s*:\s*(\d+)/.exec(stderr);
				const result = JSON.parse(stdout.trim().split('\n').pop());
				if (!collected) return reject(new Error(`${scenario} × ${items}: no "Collected" line from callgrind`));
				resolve({ instructions: Number(collected[1]), accepted: result.accepted });
			},
		);
	});
}

async function runAll(jobs) {
	const results = new Array(jobs.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: PARALLEL }, async () => {
			while (next < jobs.length) {
				const index = next++;
				results[index] = await jobs[index]();
			}
		}),
	);
	return results;
}

const thousands = (n) => `${Math.round(n / 1000).toLocaleString('en')}k`;

async function main() {
	const valgrind = valgrindVersion();
	if (!valgrind) {
		console.log('bench --instructions: valgrind is not installed (Debian: apt-get install valgrind); skipped');
		return;
	}
	execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { stdio: 'inherit', cwd: root });
	const { startBatchSimulator } = require(path.join(root, 'dist/simulator/batchSimulator.js'));
	const { KEYS } = require(path.join(root, 'bench/benchData.js'));
	const sim = await startBatchSimulator({
		restApiKey: KEYS.restApiKey,
		projectKey: KEYS.projectKey,
		appApiKeys: { ios: KEYS.iosApiKey, android: KEYS.androidApiKey },
		rateLimit: false,
	});
	const loadBefore = os.loadavg()[0].toFixed(1);
	let rows;
	try {
		const jobs = SCENARIOS.flatMap(([scenario]) => [SMALL, LARGE].map((items) => () => countInstructions(scenario, sim.url, items)));
		const counts = await runAll(jobs);
		rows = SCENARIOS.map(([scenario, label], index) => {
			const [small, large] = [counts[2 * index], counts[2 * index + 1]];
			if (scenario !== 'n8nTernary' && large.accepted !== LARGE) throw new Error(`${scenario}: ${large.accepted} of ${LARGE} items accepted`);
			return { scenario, label, small: small.instructions, large: large.instructions, perItem: (large.instructions - small.instructions) / (LARGE - SMALL) };
		});
	} finally {
		await sim.close();
	}
	const by = Object.fromEntries(rows.map((row) => [row.scenario, row]));
	const plainRatio = by.nodeV2Plain.perItem / by.nodeProfile.perItem;
	const ternaryAdded = by.nodeV2Ternary.perItem - by.nodeV2Plain.perItem;
	const ternaryRatio = ternaryAdded / by.n8nTernary.perItem;
	const table = rows.map((r) => `| ${r.label} | ${thousands(r.small)} | ${thousands(r.large)} | ${thousands(r.perItem)} |`).join('\n');
	const text = `${SECTION} (callgrind: independent of the machine's load)

Command: \`npm run bench -- --instructions\` (\`node bench/instructionCounts.js\`). Each scenario of
bench/benchScenario.js under \`valgrind --tool=callgrind\` with ${SMALL.toLocaleString('en')} and ${LARGE.toLocaleString('en')} items; cost per item =
difference of the two totals / ${(LARGE - SMALL).toLocaleString('en')} (the process's start, shared by both runs, cancels out); Node runs
with \`--single-threaded\` (V8's compiler and garbage collector on the main thread: fewer sources of variation between runs). The node's
execute() in a genuine n8n-core ExecuteContext, the compiled simulator in the parent process (rate limit off).
${valgrind}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC
(1-minute load average ${loadBefore} before, ${os.loadavg()[0].toFixed(1)} after: it does not change the counts).

| scenario | instructions, ${SMALL.toLocaleString('en')} items | instructions, ${LARGE.toLocaleString('en')} items | per item |
|---|---|---|---|
${table}

- Version 2 with plain field references: **${plainRatio.toFixed(2)}×** version 1's field paths per item (goal ≤ 1.2×).
- The ternary adds ${thousands(ternaryAdded)} instructions per item to version 2: **${ternaryRatio.toFixed(2)}×** n8n's own
  getNodeParameter for it (${thousands(by.n8nTernary.perItem)}; goal ≤ 1.0×). Version 2 hands such a leaf to n8n per item with
  \`skipValidation\` (no version-2 parameter declares \`validateType\`), which spares n8n-core's search of the node's properties.
`;
	writeSection(RESULTS_FILE, SECTION, text, ['## Mass update']);
	for (const r of rows) console.log(`${r.scenario}: ${thousands(r.perItem)} instructions per item`);
	console.log(`v2 plain / v1: ${plainRatio.toFixed(2)}x; ternary added / n8n's own: ${ternaryRatio.toFixed(2)}x`);
	console.log(`wrote the "${SECTION}" section of bench/RESULTS.md`);
}

main().catch((error) => {
	console.error(error.stack || String(error));
	process.exit(1);
});
