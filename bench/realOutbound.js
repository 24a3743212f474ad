#!/usr/bin/env node
// Outbound side by side in one real n8n 2.41.1 (`npm run bench -- --real`, or `node bench/realOutbound.js`).
//
// One n8n (scripts/n8n/harness.js, this package installed from its `npm pack` tarball) and two Batch simulators in
// this process on 127.0.0.1: one with Batch's documented limits (its defaults), one with its rate limit off. For
// each size (BENCH_REAL_ITEMS, default "10000,100000") and each path below, one workflow
// Manual Trigger → Code (N items, bench/realWorkflows.js) → the node under test, run as the editor runs it
// (POST /rest/workflows/:id/run). n8n is restarted before each row and warmed up with the same workflow at 10 items,
// so that each row's VmHWM is its own. Measured: the node's executionTime, the execution's startedAt → stoppedAt,
// requests / TCP connections / 429s / operations accepted at the simulator, n8n main VmHWM after − VmRSS before.
// Writes the run's JSON (BENCH_REAL_OUT, default bench/results/real-<date>.json) and the "## Real n8n (outbound)"
// section of bench/RESULTS.md (bench/realOutboundReport.js). `--render [file]` rewrites the section from a JSON file.
// A benchmark, not a test: it asserts nothing about time. Every wait is bounded; n8n is stopped by its PID.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const harness = require(path.join(root, 'scripts/n8n/harness.js'));
const { KEYS, makeItems } = require('./benchData');
const { statusBytes, cpuMs, openFileLimit, resetPeakRss } = require('./procStatus');
const { benchWorkflow, batchNode, httpRequestNode, TRIGGER, UNDER_TEST } = require('./realWorkflows');
const { combineRuns, section, replaceSection, goals, ratios } = require('./realOutboundReport');

const SIZES = (process.env.BENCH_REAL_ITEMS || '10000,100000').split(',').map(Number).filter((n) => n > 0);
// Rows not to run, e.g. "batchUpdate:100000" (key or key:items).
const SKIP = (process.env.BENCH_REAL_SKIP || '').split(',').map((s) => s.trim()).filter(Boolean);
// The HTTP Request node opens one connection per item, all at once: above this many items it is not run by default.
const ANCHOR_MAX = Number(process.env.BENCH_REAL_ANCHOR_MAX || 10_000);
const WARM_UP_ITEMS = 10;
// Runs of each row (n8n restarted before each): the row shows the run of median RSS growth (memory varies from run to run).
const REPEATS = Math.max(1, Number(process.env.BENCH_REAL_REPEATS || 1));
const HARD_LIMIT_MS = Number(process.env.BENCH_REAL_TIMEOUT_MS || 60 * 60_000);
// n8n left idle this long after the warm-up, before each measured run. In the first seconds after n8n went quiet,
// V8's memory reducer may still run a full collection and shrink the heap; whether it fell inside the measured run
// decided which of two peaks a 100,000-item row showed (summary and No Operation rows alike: +29 or +74 MiB share
// from one run to the next). The idle time makes a row's start its own; it does not decide V8's mode: with it, a
// 5-run batch came out high every time (2026-12-06) and a 2-run batch low (bench/RESULTS.md, diagnostics).
const SETTLE_MS = Number(process.env.BENCH_REAL_SETTLE_MS ?? 12_000);
// Diagnostics only: NODE_OPTIONS for n8n main (and its task runner), e.g.
// "--require bench/v8FlagsHook.js" with BENCH_V8_FLAGS="--trace-gc-nvp" (n8n's output: test-results/n8n-*.log).
const N8N_NODE_OPTIONS = process.env.BENCH_REAL_N8N_NODE_OPTIONS;
const RESULTS_FILE = path.join(root, 'bench/RESULTS.md');
const log = (...a) => console.log(`[real ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SCENARIOS = [
	{
		key: 'httpRequest',
		label: 'core HTTP Request node, one POST per item',
		how: 'HTTP Request 4.2, POST /2.11/profiles/update with one operation per item (the body from one expression), its defaults; simulator limits **off** (at Batch\'s 300/s all but the first 1,000 would be answered 429: the anchor measures n8n, as n8n-performance.md did)',
		limited: false,
		node: (sims) => httpRequestNode(sims.open.url),
	},
	{
		key: 'batchUpdate',
		label: 'Batch node, Real-Time Update (/profiles/update), default limits',
		how: 'Batch node v2, Profile → Update Attributes, Options → Endpoint: Real-Time Update; rate limit options at their defaults (300/s, burst 1,000); simulator limits on',
		limited: true,
		node: () => batchNode({ endpoint: 'update' }),
	},
	{
		key: 'batchMassUpdate',
		label: 'Batch node, mass update (Endpoint Automatic), default limits',
		how: 'Batch node v2, same parameters, no option set (Endpoint Automatic: mass update above 1,000 updates per execution, with its own rate share); simulator limits on',
		limited: true,
		node: () => batchNode({}),
	},
	{
		key: 'batchMassSummary',
		label: 'Batch node, mass update, Output: One Summary Item, default limits',
		how: 'Batch node v2, the mass update row\'s parameters plus Options → Output: One Summary Item (one output item for the run: counts and failed items); simulator limits on',
		limited: true,
		node: () => batchNode({ output: 'summary' }),
	},
	{
		key: 'batchLimitsOff',
		label: 'Batch node, limits off (Rate Limit 0, Endpoint Automatic)',
		how: 'Batch node v2, same parameters, Options → Rate Limit (Updates per Second): 0; simulator limits off',
		limited: false,
		node: () => batchNode({ rateLimitPerSecond: 0 }),
	},
	{
		// What n8n itself costs for the same items, without any node that sends them: the memory growth of the Batch
		// rows minus this row's is the Batch node's own share.
		key: 'noOp',
		label: "reference: n8n's No Operation node in place of the node under test (nothing sent)",
		how: 'n8n-nodes-base.noOp: the Code node\'s items pass through; no request',
		limited: false,
		node: () => ({ name: UNDER_TEST, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 0], parameters: {} }),
	},
];

/** Why a row is not run, or undefined. */
function skipReason(scenario, items) {
	if (SKIP.includes(scenario.key) || SKIP.includes(`${scenario.key}:${items}`)) return 'left out by BENCH_REAL_SKIP';
	if (scenario.key === 'httpRequest' && items > ANCHOR_MAX) {
		const limit = openFileLimit();
		return `one TCP connection per item, all opened at once (${items.toLocaleString('en')} sockets on each side, over the ${limit ? `open-file limit of ${limit.toLocaleString('en')} and the ` : ''}~28,000 ephemeral ports of 127.0.0.1); BENCH_REAL_ANCHOR_MAX=${items} runs it`;
	}
	return undefined;
}

/** Bound on one execution: /update at 300/s takes items/300 s by design. */
const executionBoundMs = (items) => Math.max(180_000, (items / 300) * 1000 * 2 + 120_000);

/**
 * How long to wait before asking n8n again whether the execution is done: 0.1 s, doubling up to 2 s. Each question
 * costs n8n main memory of its own (a REST call, an API-key check, a database read): asked every 200 ms through a
 * 10-second run, they left ~70 MB in n8n's old space that the run itself had not made (sampling heap profile of n8n
 * main while the node ran: 68 MB allocated outside any JavaScript frame, 2 MB when asked every 3 s), and the longer a
 * row runs the more it paid. The execution's own times come from n8n (startedAt → stoppedAt), not from these waits.
 */
const pollDelayMs = (attempt) => Math.min(2000, 100 * 2 ** attempt);

/** Runs workflow `wf` from its Manual Trigger; resolves the finished execution (no data) and when it was started. */
async function execute(n8n, wf, boundMs) {
	const res = await n8n.rest('POST', `/workflows/${wf.id}/run`, { workflowId: wf.id, startNodes: [], triggerToStartFrom: { name: TRIGGER } }, { timeoutMs: 60_000 });
	const id = res.json && res.json.data && res.json.data.executionId;
	if (res.status !== 200 || !id) throw new Error(`POST /rest/workflows/${wf.id}/run: ${res.status} ${res.text.slice(0, 300)}`);
	const deadline = Date.now() + boundMs;
	for (let attempt = 0; Date.now() < deadline; attempt++) {
		const r = await n8n.api('GET', `/executions/${id}?includeData=false`, undefined, { timeoutMs: 30_000 });
		const e = r.json;
		if (r.status === 200 && e && e.stoppedAt && !['running', 'new', 'waiting'].includes(e.status)) return e;
		await sleep(pollDelayMs(attempt));
	}
	throw new Error(`execution ${id} not finished after ${boundMs / 1000} s`);
}

/** Waits until n8n main uses under 30 ms CPU per second over a second (bounded). */
async function waitQuiet(pid, maxMs = 60_000) {
	const start = Date.now();
	const samples = [cpuMs(pid)];
	while (Date.now() - start < maxMs) {
		await sleep(250);
		samples.push(cpuMs(pid));
		if (samples.length >= 5 && samples[samples.length - 1] - samples[samples.length - 5] < 30) return;
	}
}

/** Items out of the node under test, and how many of them were accepted. */
function outcomes(execution, scenario) {
	const run = execution.data && execution.data.resultData.runData[UNDER_TEST];
	const first = run && run[0];
	const items = first ? (first.data?.main ?? []).flat().filter(Boolean) : [];
	// Output "One Summary Item": one item with the counts.
	const summary = items.length === 1 && typeof items[0].json?.items === 'number' ? items[0].json : undefined;
	const accepted = summary
		? summary.accepted
		: items.filter((item) => (scenario.key === 'httpRequest' ? item.json && item.json.code === 'SUCCESS' : item.json && item.json.accepted === true)).length;
	const endpoints = summary ? [summary.endpoint].filter(Boolean) : [...new Set(items.map((item) => item.json && item.json.batch && item.json.batch.endpoint).filter(Boolean))];
	return { nodeMs: first ? first.executionTime : undefined, output: items.length, accepted, endpoints, error: execution.data?.resultData?.error?.message };
}

async function runCase(n8n, sims, wfs, scenario, items) {
	const sim = scenario.limited ? sims.limited : sims.open;
	log(`${scenario.key} × ${items}: restarting n8n`);
	await n8n.restart();
	const pid = n8n.pid;
	await execute(n8n, wfs.warmUp, 120_000);
	await waitQuiet(pid);
	for (const s of Object.values(sims)) s.reset();
	// Full simulator budgets (the node's own shared budget refilled too), and V8 done reducing n8n's heap.
	await sleep(Math.max(1100, SETTLE_MS));
	// The peak from here on is the row's own: VmHWM is the process's peak since it started (n8n's start-up reaches
	// ~725 MiB; V8 then gives back ~270 MiB while n8n is idle, and a row that peaks lower would show that difference).
	const peakReset = resetPeakRss(pid);
	const before = { rss: statusBytes(pid, 'VmRSS'), hwm: statusBytes(pid, 'VmHWM') };
	const started = Date.now();
	const exec = await execute(n8n, wfs.measured, executionBoundMs(items));
	// n8n marks the execution stopped before it is done with it (its after-execution hooks, the execution's data
	// released): the peak is read once n8n main is quiet again, else it depends on when the poll saw "stopped".
	await waitQuiet(pid);
	const after = { rss: statusBytes(pid, 'VmRSS'), hwm: statusBytes(pid, 'VmHWM') };
	const stats = sim.stats();
	const endpoints = sim.endpoints();
	const requestLog = sim.requests;
	const span = requestLog.length
		? requestLog.reduce((last, r) => Math.max(last, Date.parse(r.at) + r.durationMs), -Infinity) - requestLog.reduce((first, r) => Math.min(first, Date.parse(r.at)), Infinity)
		: undefined;
	log(`${scenario.key} × ${items}: finished in ${Date.now() - started} ms (wall, as seen here); reading the execution`);
	const full = await n8n.api('GET', `/executions/${exec.id}?includeData=true`, undefined, { timeoutMs: 300_000 });
	if (full.status !== 200) throw new Error(`reading execution ${exec.id}: ${full.status}`);
	const o = outcomes(full.json, scenario);
	const usedEndpoints = Object.fromEntries(Object.entries(endpoints).filter(([, e]) => e.requests > 0).map(([name, e]) => [name, { requests: e.requests, operations: e.operations, rateLimited: e.rateLimited }]));
	return {
		scenario: scenario.key,
		items,
		itemsBytes: Buffer.byteLength(JSON.stringify(makeItems(items))),
		status: exec.status,
		error: o.error || (exec.status !== 'success' ? `execution ${exec.status}` : undefined),
		nodeMs: o.nodeMs,
		executionMs: Date.parse(exec.stoppedAt) - Date.parse(exec.startedAt),
		output: o.output,
		accepted: o.accepted,
		nodeEndpoints: o.endpoints,
		simulator: {
			limited: scenario.limited,
			requests: stats.requests,
			connections: stats.connections,
			peakOpenConnections: stats.peakOpenConnections,
			rateLimited: stats.rateLimited,
			acceptedOperations: stats.acceptedOperations,
			rejectedOperations: stats.rejectedOperations,
			firstToLastMs: span,
			requestLogComplete: requestLog.length === stats.requests,
			endpoints: usedEndpoints,
		},
		rss: { peakReset, beforeRss: before.rss, beforeHwm: before.hwm, afterRss: after.rss, afterHwm: after.hwm, peakGrowthBytes: after.hwm - before.rss, retainedBytes: after.rss - before.rss },
	};
}

function writeOutputs(run, jsonFile) {
	fs.mkdirSync(path.dirname(jsonFile), { recursive: true });
	fs.writeFileSync(jsonFile, `${JSON.stringify(run, null, 2)}\n`);
	log(`wrote ${path.relative(root, jsonFile)}`);
	const current = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, 'utf8') : '# Benchmark results\n';
	fs.writeFileSync(RESULTS_FILE, replaceSection(current, section(run)));
	log(`wrote the "## Real n8n (outbound)" section of ${path.relative(root, RESULTS_FILE)}`);
}

function printSummary(run) {
	for (const c of run.cases) {
		if (c.skipped || c.error) {
			log(`${c.scenario} × ${c.items}: ${c.skipped ? `not run: ${c.skipped}` : `failed: ${c.error}`}`);
			continue;
		}
		log(
			`${c.scenario} × ${c.items}: node ${c.nodeMs} ms, execution ${c.executionMs} ms, ${c.simulator.requests} requests (${c.simulator.rateLimited} × 429), ${c.simulator.connections} connections (${c.simulator.peakOpenConnections} open at once), accepted ${c.accepted}/${c.simulator.acceptedOperations}, RSS +${(c.rss.peakGrowthBytes / 1048576).toFixed(0)} MiB peak (items ${(c.itemsBytes / 1048576).toFixed(1)} MiB)`,
		);
	}
	for (const r of ratios(run)) log(`ratios at ${r.items}: ${JSON.stringify(r)}`);
	for (const g of goals(run)) log(`goal: ${g.goal}: ${g.measured} → ${g.met === undefined ? 'not measured' : g.met ? 'met' : 'NOT met'}`);
}

async function main() {
	const ri = process.argv.indexOf('--render');
	if (ri >= 0) {
		const file = path.resolve(process.argv[ri + 1] || '');
		const run = JSON.parse(fs.readFileSync(file, 'utf8'));
		printSummary(run);
		fs.writeFileSync(RESULTS_FILE, replaceSection(fs.readFileSync(RESULTS_FILE, 'utf8'), section(run)));
		log(`rewrote the section of ${path.relative(root, RESULTS_FILE)} from ${file}`);
		return;
	}
	for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => harness.stopAll().finally(() => process.exit(130)));
	const hard = setTimeout(() => {
		console.error(`real-n8n benchmark: hard time limit (${HARD_LIMIT_MS / 60000} min) reached, stopping n8n`);
		harness.stopAll().finally(() => process.exit(2));
	}, HARD_LIMIT_MS);
	hard.unref();

	const date = new Date().toISOString();
	const jsonFile = path.resolve(process.env.BENCH_REAL_OUT || path.join(root, 'bench/results', `real-${date.slice(0, 10)}.json`));
	const loadBefore = os.loadavg();
	const tarball = await harness.packPackage({ build: 'ifMissing' });
	const install = await harness.ensureN8n('n8n2');
	const { startBatchSimulator } = require(path.join(root, 'dist/simulator/batchSimulator.js'));
	const simOptions = { restApiKey: KEYS.restApiKey, projectKey: KEYS.projectKey, appApiKeys: { ios: KEYS.iosApiKey, android: KEYS.androidApiKey } };
	const sims = { limited: await startBatchSimulator(simOptions), open: await startBatchSimulator({ ...simOptions, rateLimit: false }) };
	let n8n;
	const cases = [];
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bench-real-'));
	try {
		log(`starting n8n ${install.n8nVersion}`);
		// A user folder of our own: the harness's restart() removes a temporary one it created (stop() deletes it
		// before restart() marks it kept), so n8n could not start again in it.
		n8n = await harness.startN8n({ tarball, userFolder, env: N8N_NODE_OPTIONS ? { NODE_OPTIONS: N8N_NODE_OPTIONS } : {} });
		const creds = {};
		for (const [name, sim] of Object.entries(sims)) {
			creds[name] = await n8n.createCredential({ name: `Batch (bench, ${name})`, type: 'batchApi', data: { restApiKey: KEYS.restApiKey, projectKey: KEYS.projectKey, iosApiKey: KEYS.iosApiKey, androidApiKey: KEYS.androidApiKey, baseUrl: sim.url } });
		}
		for (const items of SIZES) {
			for (const scenario of SCENARIOS) {
				const skipped = skipReason(scenario, items);
				if (skipped) {
					cases.push({ scenario: scenario.key, items, itemsBytes: Buffer.byteLength(JSON.stringify(makeItems(items))), skipped });
					continue;
				}
				const credentials = { batchApi: scenario.limited ? creds.limited : creds.open };
				const node = scenario.node(sims);
				const wfs = {
					warmUp: await n8n.importWorkflow(benchWorkflow(`bench real: ${scenario.key} warm-up`, WARM_UP_ITEMS, node), { credentials }),
					measured: await n8n.importWorkflow(benchWorkflow(`bench real: ${scenario.key} × ${items}`, items, node), { credentials }),
				};
				const runs = [];
				for (let repeat = 0; repeat < REPEATS; repeat++) {
					try {
						runs.push(await runCase(n8n, sims, wfs, scenario, items));
					} catch (error) {
						log(`${scenario.key} × ${items} failed: ${error.message}`);
						runs.push({ scenario: scenario.key, items, itemsBytes: Buffer.byteLength(JSON.stringify(makeItems(items))), error: String(error.message).slice(0, 300) });
					}
				}
				cases.push(combineRuns(runs));
			}
		}
	} finally {
		if (n8n) {
			log(`stopping n8n (pid ${n8n.pid})`);
			await n8n.stop();
		}
		for (const sim of Object.values(sims)) await sim.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	clearTimeout(hard);
	const run = {
		meta: {
			command:
				process.env.BENCH_REAL_COMMAND ||
				`${['BENCH_REAL_ITEMS', 'BENCH_REAL_SKIP', 'BENCH_REAL_REPEATS', 'BENCH_REAL_SETTLE_MS', 'BENCH_REAL_N8N_NODE_OPTIONS', 'BENCH_V8_FLAGS'].filter((name) => process.env[name]).map((name) => `${name}=${process.env[name]} `).join('')}node bench/realOutbound.js`,
			date: `${date.slice(0, 16).replace('T', ' ')} UTC`,
			jsonFile: path.relative(root, jsonFile),
			machine: { cores: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'CPU', memGiB: os.totalmem() / 1024 ** 3 },
			loadBefore,
			loadAfter: os.loadavg(),
			n8nVersion: install.n8nVersion,
			n8nNodeVersion: execFileSync(install.nodeBin, ['--version'], { encoding: 'utf8' }).trim(),
			sizes: SIZES,
			repeats: REPEATS,
			settleMs: SETTLE_MS,
			scenarios: SCENARIOS.map(({ key, label, how, limited }) => ({ key, label, how, limited })),
		},
		cases,
	};
	printSummary(run);
	writeOutputs(run, jsonFile);
}

main().catch(async (error) => {
	console.error(error);
	await harness.stopAll().catch(() => {});
	process.exit(1);
});
