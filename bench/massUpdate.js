'use strict';
// `npm run bench -- --mass-update`: the Batch node's Profile API at Batch's documented limits, the simulator
// (compiled, in this process, on 127.0.0.1) enforcing them: /profiles/update 300 updates/s, bursts of 1,000;
// /profiles/mass-update 10,000 a call, 10,000/s, no burst. Each run is its own process (bench/benchScenario.js):
// the node's execute() in a genuine n8n-core ExecuteContext, default options, Endpoint Automatic (mass update)
// for 10,000 and 100,000 items, and forced /profiles/update for 10,000 items as the reference.
// Writes the "## Mass update" section of bench/RESULTS.md. BENCH_RUNS (default 3) runs of each mass-update size;
// the /profiles/update reference runs once (about 30 s by Batch's design).
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { writeSection } = require('./resultsSection');

const execFileAsync = promisify(execFile);
const root = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS || 3);
const RESULTS_FILE = path.join(root, 'bench/RESULTS.md');
const SECTION = '## Mass update';

const { startBatchSimulator } = require(path.join(root, 'dist/simulator/batchSimulator.js'));
const { KEYS } = require(path.join(root, 'bench/benchData.js'));

const CASES = [
	{ scenario: 'nodeMassUpdate', items: 10_000, runs: RUNS, label: 'Endpoint Automatic → mass update' },
	{ scenario: 'nodeMassUpdate', items: 100_000, runs: RUNS, label: 'Endpoint Automatic → mass update' },
	{ scenario: 'nodeUpdateDefaultLimits', items: 10_000, runs: 1, label: 'Endpoint Real-Time Update (/profiles/update)' },
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
	// Batch's limits (the simulator's defaults): no rateLimit option given.
	const sim = await startBatchSimulator({ restApiKey: KEYS.restApiKey, projectKey: KEYS.projectKey, appApiKeys: { ios: KEYS.iosApiKey, android: KEYS.androidApiKey } });
	const rows = [];
	try {
		for (const entry of CASES) {
			const runs = [];
			for (let run = 0; run < entry.runs; run++) {
				sim.reset();
				await new Promise((resolve) => setTimeout(resolve, 1100)); // each run starts with full budgets
				const { stdout } = await execFileAsync(process.execPath, [path.join(root, 'bench/benchScenario.js'), entry.scenario, sim.url, String(entry.items)], {
					cwd: root,
					encoding: 'utf8',
					maxBuffer: 16 * 1024 * 1024,
					timeout: 10 * 60_000,
				});
				const result = JSON.parse(stdout.trim().split('\n').pop());
				const endpoints = sim.endpoints();
				const used = entry.scenario === 'nodeMassUpdate' ? endpoints['profiles/mass-update'] : endpoints['profiles/update'];
				// The simulator's own time on these calls (parse, validate, record 10,000 operations: it shares the machine).
				const simMs = sim.requests.reduce((sum, request) => sum + (request.durationMs ?? 0), 0);
				runs.push({ ...result, requests: used.requests, rateLimited: used.rateLimited, recorded: used.acceptedOperations, simMs });
			}
			const wallMs = median(runs.map((r) => r.wallMs));
			const row = {
				...entry,
				wallMs,
				requests: median(runs.map((r) => r.requests)),
				rateLimited: runs.map((r) => r.rateLimited),
				accepted: Math.min(...runs.map((r) => r.accepted)),
				recorded: Math.min(...runs.map((r) => r.recorded)),
				itemsPerSecond: Math.round((entry.items / wallMs) * 1000),
				peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
				simMs: median(runs.map((r) => r.simMs)),
				runsMs: runs.map((r) => Math.round(r.wallMs)),
			};
			rows.push(row);
			console.log(`${row.label}, ${row.items} items: ${(wallMs / 1000).toFixed(2)} s, ${row.requests} requests (429s per run: ${row.rateLimited.join(', ')}), peak RSS ${row.peakRssMiB.toFixed(0)} MiB (runs: ${row.runsMs.join(', ')} ms)`);
		}
	} finally {
		await sim.close();
	}
	write(rows);
}

function write(rows) {
	const table = rows
		.map(
			(r) =>
				`| ${r.label} | ${r.items.toLocaleString('en')} | ${r.requests.toLocaleString('en')} | ${r.rateLimited.join(', ')} | ${(r.wallMs / 1000).toFixed(2)} s | ${(r.simMs / 1000).toFixed(2)} s | ${r.itemsPerSecond.toLocaleString('en')} | ${r.peakRssMiB.toFixed(0)} MiB | ${r.accepted.toLocaleString('en')} / ${r.recorded.toLocaleString('en')} | ${r.runsMs.join(', ')} |`,
		)
		.join('\n');
	const mass10k = rows.find((r) => r.scenario === 'nodeMassUpdate' && r.items === 10_000);
	const update10k = rows.find((r) => r.scenario === 'nodeUpdateDefaultLimits');
	const ratio = mass10k && update10k ? (update10k.wallMs / mass10k.wallMs).toFixed(1) : '?';
	const text = `${SECTION}

Command: \`npm run bench -- --mass-update\` (\`node bench/massUpdate.js\` after \`npm run build\`). \`BENCH_RUNS\`
(default 3) runs of each mass-update size, medians; the \`/profiles/update\` reference runs once.

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, load average ${os
		.loadavg()
		.map((value) => value.toFixed(1))
		.join(' / ')} at the end (the machine is shared), ${new Date().toISOString().slice(0, 10)}.
The Batch simulator (compiled, in the parent process, 127.0.0.1) enforces Batch's documented limits:
\`/profiles/update\` 200 operations a call, 300 updates/s, bursts of 1,000; \`/profiles/mass-update\` 10,000 a call,
10,000 updates/s, no burst (a bucket of one second's rate). The node runs in its own process through a genuine
n8n-core 2.11.1 \`ExecuteContext\`, default options (rate limits on), Profile API Track Event with the same
parameters as the outbound table's first row; only Endpoint changes. Not a real n8n instance (issue 9's
\`--real\` run is separate).

| endpoint | items | requests | 429s per run | wall time | simulator time | items/s | peak RSS (process) | accepted / recorded | runs (ms) |
|---|---|---|---|---|---|---|---|---|---|
${table}

- "simulator time" is the sum of the simulator's handling times of the calls (reading, validating and recording
  every operation, on the same shared machine): part of the wall time that Batch, not the node, would spend.
- 10,000 items: mass update is ${ratio}× faster than \`/profiles/update\`, whose 300 updates/s (after a burst of 1,000)
  bound any client to about 30 s.
- The node's mass-update budget is 90% of Batch's 10,000/s (one full call about every 1.11 s): with no burst, a
  call that arrives a few milliseconds early is refused whole; a 429 is retried (after at least 500 ms) and counted
  in "requests". 100,000 items cannot take less than about 10 s at Batch's rate.
`;
	// Before the parameter-reading and inbound sections (they are kept, in order, after the outbound table).
	writeSection(RESULTS_FILE, SECTION, text, ['## Parameter reading', '## Inbound']);
	console.log(`wrote the "${SECTION}" section of bench/RESULTS.md`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
