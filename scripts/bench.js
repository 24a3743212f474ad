#!/usr/bin/env node
// `npm run bench`: builds the package, starts the Batch simulator (compiled, 127.0.0.1, rate limit off so the
// node is what is measured), and runs each scenario of bench/benchScenario.js in its own process, 3 times:
// 10,000 items through the Batch node's execute() in a genuine n8n-core ExecuteContext, next to the same
// operations sent one request per item with plain undici. Prints requests made, wall time, items/s and peak RSS
// (medians of 3 runs), and writes them to bench/RESULTS.md.
// Then the inbound part (bench/inbound.js): the Purchasely Trigger in a real n8n 2.41.1, its section of
// bench/RESULTS.md ("## Inbound" to the end). Also bench/parameterReading.js: n8n's per-item getNodeParameter vs
// ParameterReader's native path (its "## Parameter reading" section), and bench/massUpdate.js: the Profile API at
// Batch's documented limits, mass update vs /profiles/update (its "## Mass update" section). `npm run bench --
// --outbound`, `-- --inbound`, `-- --parameters`, `-- --mass-update` or `-- --instructions` (per-item CPU instructions
// under valgrind's callgrind, independent of the machine's load: bench/instructionCounts.js) runs one part only.
// `npm run bench -- --real` (not part of the plain run: about 15 minutes): the outbound paths side by side in one
// real n8n 2.41.1 (bench/realOutbound.js, its "## Real n8n (outbound)" section), then the inbound part as above;
// `-- --real-outbound` runs the real outbound part alone. `npm run bench -- --memory` (not part of the plain run):
// where the Batch node's memory per item goes, in-process, at 10,000 and 100,000 items (bench/nodeMemory.js,
// its "## Batch node memory" section of RESULTS.md).
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFile, execFileSync } = require('node:child_process');
const { promisify } = require('node:util');

const execFileAsync = promisify(execFile);

const root = path.resolve(__dirname, '..');
const ITEMS = Number(process.env.BENCH_ITEMS || 10000);
const RUNS = Number(process.env.BENCH_RUNS || 3);

const args = process.argv.slice(2);
const ONLY = ['--outbound', '--inbound', '--parameters', '--mass-update', '--instructions', '--real', '--real-outbound', '--memory'].filter((part) => args.includes(part));
const OUTBOUND = ONLY.length === 0 || ONLY.includes('--outbound');
const REAL_OUTBOUND = ONLY.includes('--real') || ONLY.includes('--real-outbound');
const INBOUND = ONLY.length === 0 || ONLY.includes('--inbound') || ONLY.includes('--real');
const PARAMETERS = ONLY.length === 0 || ONLY.includes('--parameters');
const MASS_UPDATE = ONLY.length === 0 || ONLY.includes('--mass-update');
const INSTRUCTIONS = ONLY.length === 0 || ONLY.includes('--instructions');
const MEMORY = ONLY.includes('--memory');

execFileSync(process.execPath, [path.join(root, 'scripts/build.js')], { stdio: 'inherit', cwd: root });

const { startBatchSimulator } = require(path.join(root, 'dist/simulator/batchSimulator.js'));
const { KEYS } = require(path.join(root, 'bench/benchData.js'));

const SCENARIOS = [
	['nodeProfile', 'Batch node, Profile API, field paths (parameters read once)'],
	['nodeProfileExpressions', 'Batch node, Profile API, 3 parameters as per-item expressions'],
	['nodeTriggerEvents', 'Batch node, Trigger Events API, app from store (iOS/Android)'],
	['undiciSingle', 'plain undici, one POST per item, 20 keep-alive connections'],
	['nodeV2Plain', 'Batch node v2, Profile API, plain field references ({{ $json.a.b }}, as dragged)'],
	['nodeV2Ternary', 'Batch node v2, Profile API, plain references + the event name from a ternary'],
	['n8nTernary', "n8n's own getNodeParameter per item for the same ternary (reference, no node, no network)"],
].filter(([name]) => !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.split(',').includes(name));

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
	if (OUTBOUND) await outbound();
	if (REAL_OUTBOUND) {
		execFileSync(process.execPath, [path.join(root, 'bench/realOutbound.js')], {
			stdio: 'inherit',
			cwd: root,
			env: { ...process.env, BENCH_REAL_COMMAND: realCommand() },
			timeout: 90 * 60_000,
		});
	}
	if (MEMORY) {
		execFileSync(process.execPath, [path.join(root, 'bench/nodeMemory.js')], {
			stdio: 'inherit',
			cwd: root,
			env: { ...process.env, BENCH_MEMORY_COMMAND: `${process.env.BENCH_MEMORY_ITEMS ? `BENCH_MEMORY_ITEMS=${process.env.BENCH_MEMORY_ITEMS} ` : ''}npm run bench -- ${args.join(' ')}` },
			timeout: 30 * 60_000,
		});
	}
	if (MASS_UPDATE) {
		execFileSync(process.execPath, [path.join(root, 'bench/massUpdate.js')], { stdio: 'inherit', cwd: root, timeout: 30 * 60_000 });
	}
	if (INSTRUCTIONS) {
		execFileSync(process.execPath, [path.join(root, 'bench/instructionCounts.js')], { stdio: 'inherit', cwd: root, timeout: 60 * 60_000 });
	}
	if (PARAMETERS) {
		execFileSync(process.execPath, [path.join(root, 'bench/parameterReading.js')], { stdio: 'inherit', cwd: root, timeout: 30 * 60_000 });
	}
	if (INBOUND) {
		execFileSync(process.execPath, [path.join(root, 'bench/inbound.js')], {
			stdio: 'inherit',
			cwd: root,
			env: {
				...process.env,
				BENCH_INBOUND_COMMAND: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
				// --real: the three engine settings issue 9 compares (default, lazy acquire, legacy), unless chosen.
				...(ONLY.includes('--real') && !process.env.BENCH_INBOUND_ENGINES ? { BENCH_INBOUND_ENGINES: 'default,lazy,legacy' } : {}),
			},
			timeout: 60 * 60_000,
		});
	}
}

/** The command as typed, with the BENCH_REAL_* settings it ran with (for the results' "Command:" line). */
function realCommand() {
	const settings = Object.keys(process.env)
		.filter((k) => k.startsWith('BENCH_REAL_') && k !== 'BENCH_REAL_COMMAND')
		.sort()
		.map((k) => `${k}=${process.env[k]} `)
		.join('');
	return `${settings}npm run bench -- ${args.join(' ')}`;
}

async function outbound() {
	const sim = await startBatchSimulator({
		restApiKey: KEYS.restApiKey,
		projectKey: KEYS.projectKey,
		appApiKeys: { ios: KEYS.iosApiKey, android: KEYS.androidApiKey },
		rateLimit: false,
	});
	const rows = [];
	try {
		for (const [scenario, label] of SCENARIOS) {
			const runs = [];
			for (let run = 0; run < RUNS; run++) {
				sim.reset();
				// Asynchronous on purpose: the simulator answers from this process's event loop.
				const { stdout } = await execFileAsync(process.execPath, [path.join(root, 'bench/benchScenario.js'), scenario, sim.url, String(ITEMS)], {
					cwd: root,
					encoding: 'utf8',
					maxBuffer: 16 * 1024 * 1024,
				});
				const result = JSON.parse(stdout.trim().split('\n').pop());
				const stats = sim.stats();
				runs.push({ ...result, requests: stats.requests, recorded: stats.acceptedOperations + stats.acceptedTriggerEvents });
			}
			const wallMs = median(runs.map((r) => r.wallMs));
			const row = {
				scenario,
				label,
				items: ITEMS,
				requests: runs[0].requests,
				accepted: runs[0].accepted,
				recorded: runs[0].recorded,
				wallMs,
				itemsPerSecond: Math.round((ITEMS / wallMs) * 1000),
				peakRssMiB: median(runs.map((r) => r.peakRssMiB)),
				runsMs: runs.map((r) => Math.round(r.wallMs)),
			};
			rows.push(row);
			console.log(
				`${label}: ${row.requests} requests, ${(wallMs / 1000).toFixed(3)} s, ${row.itemsPerSecond} items/s, peak RSS ${row.peakRssMiB.toFixed(0)} MiB (runs: ${row.runsMs.join(', ')} ms; accepted ${row.accepted}, recorded ${row.recorded})`,
			);
		}
	} finally {
		await sim.close();
	}
	writeResults(rows);
}

function writeResults(rows) {
	const byName = Object.fromEntries(rows.map((r) => [r.scenario, r]));
	const ratio = (a, b) => (a && b ? `${(a.wallMs / b.wallMs).toFixed(2)}×` : 'not run');
	const ternaryShare = (by) =>
		by.nodeV2Ternary && by.nodeV2Plain && by.n8nTernary
			? ` (${((by.nodeV2Ternary.wallMs - by.nodeV2Plain.wallMs) / by.n8nTernary.wallMs).toFixed(2)}× n8n's own cost)`
			: '';
	const extra = (a, b) => (a && b ? `${((a.wallMs - b.wallMs) / 1000).toFixed(3)} s` : 'not run');
	const fmt = (r) => (r ? `${(r.wallMs / 1000).toFixed(3)} s, ${r.requests.toLocaleString('en')} requests, peak RSS ${r.peakRssMiB.toFixed(0)} MiB` : 'not run');
	const table = rows
		.map(
			(r) =>
				`| ${r.label} | ${r.items.toLocaleString('en')} | ${r.requests.toLocaleString('en')} | ${(r.wallMs / 1000).toFixed(3)} s | ${r.itemsPerSecond.toLocaleString('en')} | ${r.peakRssMiB.toFixed(0)} MiB | ${r.accepted.toLocaleString('en')} / ${r.recorded.toLocaleString('en')} | ${r.runsMs.join(', ')} |`,
		)
		.join('\n');
	const text = `# Benchmark results

Command: \`npm run bench\` (= \`node scripts/bench.js\`; it runs \`npm run build\` first). Environment variables
\`BENCH_ITEMS\` (default 10000) and \`BENCH_RUNS\` (default 3) change the size; \`BENCH_SCENARIOS\` (comma-separated
names) runs some scenarios only.

Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Batch simulator (compiled, in the parent process, rate limit off) on 127.0.0.1; each scenario runs in its own
process; figures are medians of ${RUNS} runs (the 2-core machine is shared with the simulator, and with
whatever else runs on it: see the spread in the last column). The node runs through a genuine n8n-core 2.11.1 \`ExecuteContext\`
(real \`Workflow\`, real parameter/expression resolution), with its client-side rate limit off
(\`rateLimitPerSecond: 0\`) and 4 concurrent requests, so that the node, not the limit, is measured.
At the default 300 updates/s, 10,000 Profile API updates take about 30 s by design (Batch's own limit).

| scenario | items | requests | wall time | items/s | peak RSS (process) | accepted / recorded by the simulator | runs (ms) |
|---|---|---|---|---|---|---|---|
${table}

## Compared with n8n-performance.md (real n8n 2.41.1, Node 24, same 2-core class of machine)

| how | 10,000 items |
|---|---|
| core HTTP Request node, one POST per item | 17.4 s, 10,000 connections opened at once, n8n main process 1,528 MiB |
| plain undici, single POSTs, 20 keep-alive connections | 0.56 s |
| this package's Batch node, field paths (row 1 above) | ${fmt(byName.nodeProfile)} |
| this package's Batch node, 3 per-item expressions (row 2 above) | ${fmt(byName.nodeProfileExpressions)} |
| plain undici, single POSTs, measured here (row 4 above) | ${fmt(byName.undiciSingle)} |

Against the core HTTP Request node's 17.4 s for 10,000 items, the Batch node (row 1) is about
${byName.nodeProfile ? Math.round(17400 / byName.nodeProfile.wallMs) : '?'}× faster and makes ${byName.nodeProfile ? byName.nodeProfile.requests : '?'} requests instead of 10,000; against one undici POST per
item on this machine (row 4) it is ${byName.nodeProfile && byName.undiciSingle ? (byName.undiciSingle.wallMs / byName.nodeProfile.wallMs).toFixed(1) : '?'}× faster while going through n8n-core, validating and typing every item.

- The node packs 200 Profile API operations (or 1000 Trigger Events) per request: 10,000 items → 50 requests (Trigger Events, half
  iOS and half Android: 5 + 5) over at most 4 keep-alive connections, instead of 10,000 requests and connections.
- Per-item expressions: n8n-performance.md measured about 1.4 ms per item and expression with real n8n's default
  \`vm\` engine (14 s of CPU for 10,000 items × 1 expression). The "per-item expressions" row shows what
  n8n-workflow's evaluator costs here (this harness does not use the isolated-vm engine, which cannot be built on
  this machine's Node 20); inside real n8n the gap between rows 1 and 2 would be larger. This is why the user id,
  event name and attributes can be read by field path (\`identifierField\`, \`eventNameField\`, \`attributesField\`),
  and why every parameter without an expression is read once per execution.
- Peak RSS is the whole benchmark process (Node + n8n-core + n8n-workflow + the items), not a real n8n instance.

## Version 2: expression parameters against version 1's field paths (issue 7)

Version 2 reads every value parameter as an ordinary n8n parameter; its defaults are what dragging a field from
the input panel writes (\`={{ $json.meta.userId }}\`). Same items, same requests, same simulator as above.

| how | ${ITEMS.toLocaleString('en')} items | against version 1's field paths (row 1) |
|---|---|---|
| version 1, field paths (row 1) | ${fmt(byName.nodeProfile)} | 1.00× |
| version 2, plain field references (user id, event name, attributes object) | ${fmt(byName.nodeV2Plain)} | ${ratio(byName.nodeV2Plain, byName.nodeProfile)} |
| version 2, plain references + event name from a ternary | ${fmt(byName.nodeV2Ternary)} | ${ratio(byName.nodeV2Ternary, byName.nodeProfile)} |
| n8n's own \`getNodeParameter\` per item for that ternary alone (reference) | ${fmt(byName.n8nTernary)} | |

- Goal: version 2 with plain references within 1.2× of version 1; with a ternary, version 2 costs version 1's
  time plus about n8n's own per-item cost for that one expression, no more. Measured here: version 2 with the
  ternary takes ${extra(byName.nodeV2Ternary, byName.nodeProfile)} more than version 1 and ${extra(byName.nodeV2Ternary, byName.nodeV2Plain)} more than
  version 2 with plain references${ternaryShare(byName)}; n8n alone takes ${byName.n8nTernary ? `${(byName.n8nTernary.wallMs / 1000).toFixed(3)} s` : 'not run'} to evaluate the ternary for every item.
  In CPU instructions, which do not depend on the machine's load, see "Instruction counts" (\`-- --instructions\`).
`;
	// Keep the parameter-reading and inbound sections (bench/parameterReading.js and bench/inbound.js write them;
	// they follow this part, the inbound one to the end).
	const file = path.join(root, 'bench/RESULTS.md');
	const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	const kept = ['\n## Mass update', '\n## Parameter reading', '\n## Real n8n', '\n## Inbound'].map((marker) => current.indexOf(marker)).filter((at) => at >= 0);
	const at = kept.length > 0 ? Math.min(...kept) : -1;
	fs.writeFileSync(file, at >= 0 ? `${text}${current.slice(at)}` : text);
	console.log('wrote bench/RESULTS.md');
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
