#!/usr/bin/env node
// Inbound benchmark in a real n8n 2.41.1 (`npm run bench -- --inbound`, or `node bench/inbound.js`).
//
// Starts n8n with this package installed from its `npm pack` tarball (scripts/n8n/harness.js), imports
// "Purchasely Trigger (acknowledge immediately, events: ACTIVATE) → No Operation", and sends it, from this
// process (node:http, keep-alive agent, 127.0.0.1 only), REQUESTS requests per run at CONCURRENCY:
//   valid     signed ACTIVATE events           → 200, one stored execution each
//   forged    ACTIVATE signed with a wrong key → 401, refused inside the trigger, no execution
//   filtered  signed RENEWAL_DISABLED events   → 200 "ignored", no execution
// plus a baseline on the same n8n: n8n's core Webhook node ("respond immediately") → No Operation, which
// checks nothing. Each scenario runs RUNS times (interleaved); medians are reported. Measured per run:
// accepted req/s (status as expected / wall time of the load), p50/p99 latency, n8n CPU per request
// (utime+stime from /proc of the n8n main process and all its descendants, i.e. the task runner, read
// before the load and after n8n has gone quiet again, so executions finishing after their 200 are
// counted), executions stored (public API). Peak RSS = VmHWM of the n8n main process at the end.
// Trigger versions: 1 and 1.1 side by side (BENCH_INBOUND_TRIGGER_VERSIONS=1,1.1), each with its own two
// workflows. Engine work per request: scripts/n8n/expressionEngineCounter.js is loaded into n8n (NODE_OPTIONS)
// and counts expression evaluations, isolate acquisitions and isolates built; read before and after each run.
// Engines: n8n's default expression engine, the same with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, and
// N8N_EXPRESSION_ENGINE=legacy (BENCH_INBOUND_ENGINES, default "default,lazy,legacy"). Writes its section of
// bench/RESULTS.md (from "## Inbound" to the end) and test-results/bench-inbound.json; with --no-write (a check
// that the benchmark runs, e.g. BENCH_INBOUND_REQUESTS=20 BENCH_RUNS=1) it prints the section instead and keeps
// its figures in test-results/bench-inbound-check.json.
// A benchmark, not a test: it asserts nothing about time. Everything is bounded in time; n8n is stopped by PID.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const crypto = require('node:crypto');

const root = path.resolve(__dirname, '..');
const harness = require(path.join(root, 'scripts/n8n/harness.js'));
const { sleep } = require(path.join(root, 'scripts/n8n/processes.js'));

const REQUESTS = Number(process.env.BENCH_INBOUND_REQUESTS || 2000);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const CONCURRENCY = Number(process.env.BENCH_INBOUND_CONCURRENCY || 20);
// "default,legacy" or with per-engine request counts: "default,legacy,lazy:400".
const ENGINES = (process.env.BENCH_INBOUND_ENGINES || 'default,lazy,legacy')
	.split(',')
	.map((s) => s.trim())
	.filter(Boolean)
	.map((s) => {
		const [name, n] = s.split(':');
		return { name, requests: n ? Number(n) : REQUESTS };
	});
const TRIGGER_VERSIONS = (process.env.BENCH_INBOUND_TRIGGER_VERSIONS || '1,1.1')
	.split(',')
	.map((s) => Number(s.trim()))
	.filter((v) => Number.isFinite(v));
const WRITE = !process.argv.includes('--no-write');
const HARD_LIMIT_MS = Number(process.env.BENCH_INBOUND_TIMEOUT_MS || 40 * 60_000);
const RESULTS_FILE = path.join(root, 'bench/RESULTS.md');
const SECTION_MARKER = '## Inbound';
// Expression-engine settings measured: n8n's default (vm, isolated-vm), the legacy engine, and vm with
// N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true (an isolate only once an expression is evaluated).
const ENGINE_ENV = { default: {}, legacy: { N8N_EXPRESSION_ENGINE: 'legacy' }, lazy: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true' } };
const ENGINE_LABEL = { default: 'default (`vm`)', legacy: '`legacy`', lazy: '`vm` + lazy acquire' };
const CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64

const KINDS = {
	valid: ['valid signed events', 200],
	forged: ['forged signatures', 401],
	filtered: ['valid signature, event not selected', 200],
	coreWebhook: ['baseline: core Webhook node ("respond immediately") → No Operation, no check', 200],
};
/** Scenario keys: "<kind>@<trigger version>" for the trigger, "coreWebhook" for the baseline. */
const scenarioKeys = (versions) => [...versions.flatMap((v) => ['valid', 'forged', 'filtered'].map((k) => `${k}@${v}`)), 'coreWebhook'];
/** { kind, version } of a key; keys of results saved before versions were compared ("valid") were version 1. */
function parseKey(key) {
	const [kind, version] = key.split('@');
	return { kind, version: kind === 'coreWebhook' ? null : version === undefined ? 1 : Number(version) };
}
function scenarioLabel(key) {
	const { kind, version } = parseKey(key);
	return version === null ? KINDS[kind][0] : `Purchasely Trigger ${version === 1 ? '1' : version} → No Operation, ${KINDS[kind][0]}`;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const log = (...a) => console.log(`[inbound ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ---------------------------------------------------------------------------------------------
// /proc readings

function procStat(pid) {
	try {
		const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] = field 3 (state)
		return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) }; // fields 14 utime, 15 stime
	} catch {
		return undefined;
	}
}

/** The pid and every live descendant of it (n8n main + task runner launcher/runner). */
function processTree(pid) {
	const children = new Map();
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		const st = procStat(d);
		if (!st) continue;
		if (!children.has(st.ppid)) children.set(st.ppid, []);
		children.get(st.ppid).push(Number(d));
	}
	const out = [];
	const stack = [pid];
	while (stack.length) {
		const p = stack.pop();
		out.push(p);
		stack.push(...(children.get(p) || []));
	}
	return out;
}

/** CPU ms used so far by n8n main and its descendants: {main, children, total}. */
function cpuMs(pid) {
	let main = 0;
	let children = 0;
	for (const p of processTree(pid)) {
		const st = procStat(p);
		if (!st) continue;
		if (p === pid) main += st.ticks;
		else children += st.ticks;
	}
	const k = 1000 / CLK_TCK;
	return { main: main * k, children: children * k, total: (main + children) * k };
}

function statusKiB(pid, field) {
	try {
		const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
		return m ? Number(m[1]) : undefined;
	} catch {
		return undefined;
	}
}

/** Waits until n8n's CPU use stays under 30 ms per second for a full second (bounded). */
async function waitQuiet(pid, { maxMs = 90_000 } = {}) {
	const start = Date.now();
	const samples = [cpuMs(pid).total];
	while (Date.now() - start < maxMs) {
		await sleep(250);
		samples.push(cpuMs(pid).total);
		if (samples.length >= 5 && samples[samples.length - 1] - samples[samples.length - 5] < 30) return Date.now() - start;
	}
	return Date.now() - start;
}

// ---------------------------------------------------------------------------------------------
// Load generator

/** Sends `count` POSTs to `url` from `concurrency` workers over one keep-alive agent. */
async function load(url, count, concurrency, makeRequest) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const target = new URL(url);
	if (!['127.0.0.1', 'localhost'].includes(target.hostname)) throw new Error(`refusing non-loopback target ${url}`);
	const latencies = [];
	const statuses = {};
	let errors = 0;
	let next = 0;
	const one = (i) =>
		new Promise((resolve) => {
			const { body, headers } = makeRequest(i);
			const t0 = process.hrtime.bigint();
			const req = http.request(
				{
					host: target.hostname,
					port: target.port,
					path: target.pathname,
					method: 'POST',
					agent,
					headers: { 'content-type': 'application/json', 'content-length': body.length, ...headers },
					timeout: 60_000,
				},
				(res) => {
					res.resume();
					res.on('end', () => {
						latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
						statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
						resolve();
					});
					res.on('error', () => {
						errors++;
						resolve();
					});
				},
			);
			req.on('timeout', () => req.destroy(new Error('timeout')));
			req.on('error', () => {
				errors++;
				resolve();
			});
			req.end(body);
		});
	const t0 = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < count) await one(next++);
		}),
	);
	const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
	agent.destroy();
	latencies.sort((a, b) => a - b);
	return { wallMs, statuses, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

// ---------------------------------------------------------------------------------------------
// One n8n per expression engine

function workflows() {
	const trigger = (name, typeVersion) => ({
		name,
		nodes: [
			{
				name: 'Purchasely Trigger',
				type: `${harness.PACKAGE_NAME}.purchaselyTrigger`,
				typeVersion,
				position: [0, 0],
				parameters: { events: ['ACTIVATE'], acknowledge: 'immediately', options: {} },
			},
			{ name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [320, 0], parameters: {} },
		],
		connections: { 'Purchasely Trigger': { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	});
	const core = {
		name: 'bench: core Webhook → No Operation',
		nodes: [
			{
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				parameters: { httpMethod: 'POST', path: `bench-${crypto.randomUUID()}`, responseMode: 'onReceived', options: {} },
			},
			{ name: 'No Operation', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [320, 0], parameters: {} },
		],
		connections: { Webhook: { main: [[{ node: 'No Operation', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	// Per trigger version, valid events go to their own workflow; forged/filtered to an identical one, so that
	// its execution count (which must stay 0) is not read out of thousands of valid executions.
	const defs = { core };
	for (const v of TRIGGER_VERSIONS) {
		defs[`valid@${v}`] = trigger(`bench: trigger ${v} → noop (valid)`, v);
		defs[`refused@${v}`] = trigger(`bench: trigger ${v} → noop (refused)`, v);
	}
	return defs;
}

async function runEngine(engine, REQUESTS, tarball, stopRef) {
	const env = ENGINE_ENV[engine];
	if (!env) throw new Error(`unknown engine setting ${engine} (known: ${Object.keys(ENGINE_ENV).join(', ')})`);
	log(`starting n8n (${engine} expression engine)`);
	const counterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-engine-counter-'));
	const n8n = await harness.startN8n({ tarball, env: { ...env, ...harness.expressionEngineCounterEnv(counterDir) } });
	stopRef.n8n = n8n;
	try {
		const pid = n8n.pid;
		const installDir = n8n.packageInstall.packageDir;
		const { sign } = require(path.join(installDir, 'dist/nodes/PurchaselyTrigger/signature.js'));
		const { buildTestEvent, serializeTestEvent } = require(path.join(installDir, 'dist/nodes/PurchaselyTrigger/testEvent.js'));
		const secret = `bench_${crypto.randomBytes(16).toString('hex')}`;
		const wrongSecret = `forged_${crypto.randomBytes(16).toString('hex')}`;
		const cred = await n8n.createCredential({ name: 'Purchasely (bench)', type: 'purchaselyWebhookApi', data: { sharedSecret: secret } });
		const defs = workflows();
		const wf = {};
		for (const [k, def] of Object.entries(defs)) {
			wf[k] = await n8n.importWorkflow(def, { credentials: { purchaselyWebhookApi: cred } });
			await n8n.activate(wf[k]);
		}
		const url = Object.fromEntries(Object.entries(wf).map(([k, w]) => [k, k === 'core' ? n8n.webhookUrl(w, 'Webhook') : n8n.webhookUrl(w)]));
		for (const u of Object.values(url)) await n8n.waitForWebhook(u);

		const bodies = (eventName) =>
			Array.from({ length: REQUESTS }, (_, i) => serializeTestEvent(buildTestEvent({ eventName, userId: `bench-user-${i}` })));
		const activate = bodies('ACTIVATE');
		const renewalDisabled = bodies('RENEWAL_DISABLED');
		const at = (list, i) => list[i % list.length];
		const signed = (body, key) => sign({ secret: key, timestamp: String(Math.floor(Date.now() / 1000)), rawBody: body });
		const makers = {
			valid: (i) => ((b) => ({ body: b, headers: signed(b, secret) }))(at(activate, i)),
			forged: (i) => ((b) => ({ body: b, headers: signed(b, wrongSecret) }))(at(activate, i)),
			filtered: (i) => ((b) => ({ body: b, headers: signed(b, secret) }))(at(renewalDisabled, i)),
		};
		const plan = { coreWebhook: { url: url.core, wfId: wf.core.id, make: (i) => ({ body: at(activate, i), headers: {} }) } };
		for (const v of TRIGGER_VERSIONS) {
			plan[`valid@${v}`] = { url: url[`valid@${v}`], wfId: wf[`valid@${v}`].id, make: makers.valid };
			plan[`forged@${v}`] = { url: url[`refused@${v}`], wfId: wf[`refused@${v}`].id, make: makers.forged };
			plan[`filtered@${v}`] = { url: url[`refused@${v}`], wfId: wf[`refused@${v}`].id, make: makers.filtered };
		}
		const SCENARIOS = scenarioKeys(TRIGGER_VERSIONS);

		// Warm-up (not measured): 100 valid events per trigger version, 100 to the core Webhook, then let n8n settle.
		const countOf = async (wfId) => (await n8n.listExecutions({ workflowId: wfId })).length;
		for (const v of TRIGGER_VERSIONS) await load(url[`valid@${v}`], 100, CONCURRENCY, makers.valid);
		await load(url.core, 100, CONCURRENCY, plan.coreWebhook.make);
		await waitQuiet(pid);
		const counts = {};
		for (const w of Object.values(wf)) counts[w.id] = await countOf(w.id);
		const engineCounts = async () => {
			await sleep(250); // the counter writes every 100 ms
			return harness.readEngineCounts(counterDir, pid) || { evaluations: NaN, acquisitions: NaN, isolates: NaN, hooked: [] };
		};
		log(`expression-engine counter in n8n main: ${(await engineCounts()).hooked.join(', ') || 'not loaded'}`);
		await waitQuiet(pid);
		const idleBefore = cpuMs(pid).total;
		await sleep(3000);
		const idleCpuMsPerS = (cpuMs(pid).total - idleBefore) / 3;
		log(`n8n ready (pid ${pid}), idle CPU ${idleCpuMsPerS.toFixed(1)} ms/s, RSS ${(statusKiB(pid, 'VmRSS') / 1024).toFixed(0)} MiB`);

		const loadSamples = [];
		const runsByScenario = Object.fromEntries(SCENARIOS.map((k) => [k, []]));
		const runs = runsByScenario;
		for (let run = 0; run < RUNS; run++) {
			for (const key of SCENARIOS) {
				const { kind } = parseKey(key);
				const expectedStatus = KINDS[kind][1];
				const p = plan[key];
				loadSamples.push(Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]));
				const e0 = await engineCounts();
				const cpu0 = cpuMs(pid);
				const r = await load(p.url, REQUESTS, CONCURRENCY, p.make);
				const settleMs = await waitQuiet(pid);
				const cpu1 = cpuMs(pid);
				const e1 = await engineCounts();
				const ok = r.statuses[expectedStatus] || 0;
				const expectedExecutions = kind === 'valid' || kind === 'coreWebhook' ? ok : 0;
				let stored;
				try {
					const execs =
						expectedExecutions > 0
							? await n8n.waitForExecutions(p.wfId, counts[p.wfId] + expectedExecutions, { timeoutMs: 180_000 })
							: await n8n.listExecutions({ workflowId: p.wfId });
					stored = execs.length - counts[p.wfId];
					counts[p.wfId] = execs.length;
				} catch (e) {
					const execs = await n8n.listExecutions({ workflowId: p.wfId });
					stored = execs.length - counts[p.wfId];
					counts[p.wfId] = execs.length;
					log(`  executions not all finished: ${String(e.message).slice(0, 200)}`);
				}
				const res = {
					engine,
					scenario: key,
					requests: REQUESTS,
					statuses: r.statuses,
					errors: r.errors,
					accepted: ok,
					wallMs: r.wallMs,
					reqPerS: (ok / r.wallMs) * 1000,
					p50: r.p50,
					p99: r.p99,
					cpuMsPerReq: (cpu1.total - cpu0.total) / REQUESTS,
					cpuMainMsPerReq: (cpu1.main - cpu0.main) / REQUESTS,
					cpuChildrenMsPerReq: (cpu1.children - cpu0.children) / REQUESTS,
					settleMs,
					stored,
					// Expression-engine work per request (counter in n8n main; the pool's own refills included).
					evaluationsPerReq: (e1.evaluations - e0.evaluations) / REQUESTS,
					acquisitionsPerReq: (e1.acquisitions - e0.acquisitions) / REQUESTS,
					isolatesPerReq: (e1.isolates - e0.isolates) / REQUESTS,
				};
				runs[key].push(res);
				log(
					`${engine} ${key} run ${run + 1}: ${res.reqPerS.toFixed(1)} req/s, p50 ${res.p50.toFixed(0)} ms, p99 ${res.p99.toFixed(0)} ms, CPU ${res.cpuMsPerReq.toFixed(2)} ms/req (main ${res.cpuMainMsPerReq.toFixed(2)}, runner ${res.cpuChildrenMsPerReq.toFixed(2)}), statuses ${JSON.stringify(r.statuses)}, errors ${r.errors}, settle ${settleMs} ms, executions stored ${stored}, per request: ${res.evaluationsPerReq.toFixed(2)} evaluations, ${res.acquisitionsPerReq.toFixed(2)} acquisitions, ${res.isolatesPerReq.toFixed(2)} isolates built`,
				);
			}
		}
		const peakRssMiB = statusKiB(pid, 'VmHWM') / 1024;
		const children = processTree(pid).filter((p) => p !== pid);
		const runnerPeakMiB = Math.max(0, ...children.map((p) => (statusKiB(p, 'VmHWM') || 0) / 1024));
		const dbFile = path.join(n8n.userFolder, '.n8n', 'database.sqlite');
		const dbMiB = fs.existsSync(dbFile) ? fs.statSync(dbFile).size / 1024 / 1024 : undefined;
		log(`${engine}: peak RSS main ${peakRssMiB.toFixed(0)} MiB, task runner ${runnerPeakMiB.toFixed(0)} MiB, database ${dbMiB?.toFixed(1)} MiB`);
		return { engine, requests: REQUESTS, runCount: RUNS, concurrency: CONCURRENCY, idleCpuMsPerS, peakRssMiB, runnerPeakMiB, dbMiB, loadSamples, runs: runsByScenario };
	} finally {
		log(`stopping n8n (pid ${n8n.pid})`);
		await n8n.stop();
		stopRef.n8n = undefined;
		fs.rmSync(counterDir, { recursive: true, force: true });
	}
}

function summarize(engineResult) {
	return Object.keys(engineResult.runs).map((key) => {
		const rs = engineResult.runs[key];
		const { kind, version } = parseKey(key);
		const perReq = (field) => (rs.every((r) => typeof r[field] === 'number' && !Number.isNaN(r[field])) ? median(rs.map((r) => r[field])) : undefined);
		return {
			engine: engineResult.engine,
			key,
			kind,
			version,
			label: scenarioLabel(key),
			evaluationsPerReq: perReq('evaluationsPerReq'),
			acquisitionsPerReq: perReq('acquisitionsPerReq'),
			isolatesPerReq: perReq('isolatesPerReq'),
			reqPerS: median(rs.map((r) => r.reqPerS)),
			p50: median(rs.map((r) => r.p50)),
			p99: median(rs.map((r) => r.p99)),
			cpuMsPerReq: median(rs.map((r) => r.cpuMsPerReq)),
			stored: rs.map((r) => r.stored),
			accepted: rs.map((r) => r.accepted),
			statuses: rs.map((r) => r.statuses),
			errors: rs.reduce((a, r) => a + r.errors, 0),
			runsReqPerS: rs.map((r) => r.reqPerS),
		};
	});
}

function loadRange(results, meta) {
	const all = results.flatMap((e) => e.loadSamples || []);
	if (!all.length && meta.loadAvg) return meta.loadAvg;
	return all.length ? `${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)}` : 'not recorded';
}

function section(results, meta) {
	const rows = results.flatMap((e) => summarize(e).map((s) => ({ ...s, requests: e.requests, peakRssMiB: e.peakRssMiB })));
	const statusText = (st) => Object.entries(st).map(([c, n]) => `${n}×${c}`).join(' + ');
	const work = (s) => (s.evaluationsPerReq === undefined ? '–' : `${fixed(s.evaluationsPerReq, 2)} / ${fixed(s.isolatesPerReq, 2)}`);
	const table = rows
		.map(
			(s) =>
				`| ${ENGINE_LABEL[s.engine]} | ${s.label} | ${s.requests.toLocaleString('en')} | ${s.reqPerS.toFixed(1)} | ${s.p50.toFixed(0)} / ${s.p99.toFixed(0)} | ${s.cpuMsPerReq.toFixed(1)} ms | ${work(s)} | ${s.stored.join(' / ')} | ${statusText(s.statuses[0])}${s.errors ? `, ${s.errors} errors` : ''} | ${s.runsReqPerS.map((v) => v.toFixed(1)).join(', ')} |`,
		)
		.join('\n');
	const mem = results
		.map((e) => `${ENGINE_LABEL[e.engine]}: main ${e.peakRssMiB.toFixed(0)} MiB, task runner ${e.runnerPeakMiB.toFixed(0)} MiB (idle CPU before the runs ${e.idleCpuMsPerS.toFixed(1)} ms/s)`)
		.join('; ');
	const get = (engine, kind, version) => rows.find((r) => r.engine === engine && r.kind === kind && (kind === 'coreWebhook' || r.version === version));
	const versions = [...new Set(rows.filter((r) => r.version !== null).map((r) => r.version))].sort((a, b) => a - b);
	const newest = versions[versions.length - 1];
	const n = (r) => (r ? r.reqPerS.toFixed(1) : '–');
	const lat = (r) => (r ? `${r.p50.toFixed(0)} / ${r.p99.toFixed(0)}` : '–');
	const cpu = (r) => (r ? `${r.cpuMsPerReq.toFixed(1)} ms` : '–');
	const ratio = (a, b) => (a && b ? `${(a.cpuMsPerReq / b.cpuMsPerReq).toFixed(2)}×` : '–');
	const isolates = (r) => (r && r.isolatesPerReq !== undefined ? r.isolatesPerReq.toFixed(2) : '–');
	const storedSum = (kind) => rows.filter((r) => r.kind === kind).reduce((a, r) => a + r.stored.reduce((x, y) => x + y, 0), 0);
	const sentSum = (kind) => rows.filter((r) => r.kind === kind).reduce((a, r) => a + r.requests * r.stored.length, 0);
	const engines = results.map((e) => e.engine);
	// One line per engine: each trigger version's forged / filtered / valid CPU and isolates, against the baseline.
	const perEngine = engines
		.map((engine) => {
			const cw = get(engine, 'coreWebhook');
			const parts = versions.map((v) => {
				const f = get(engine, 'forged', v);
				const fl = get(engine, 'filtered', v);
				const va = get(engine, 'valid', v);
				return `trigger ${v}: forged ${cpu(f)} (${isolates(f)} isolates built per request), filtered ${cpu(fl)} (${isolates(fl)}), valid ${cpu(va)} (${isolates(va)}; ${ratio(va, cw)} the baseline)`;
			});
			return `- ${ENGINE_LABEL[engine]}: baseline ${cpu(cw)} (${isolates(cw)} isolates built per request); ${parts.join('; ')}.`;
		})
		.join('\n');
	const cwD = get('default', 'coreWebhook');
	const vD = get('default', 'valid', newest);
	const fD = get('default', 'forged', newest);
	const flD = get('default', 'filtered', newest);
	return `${SECTION_MARKER}: Purchasely Trigger in a real n8n (webhooks)

Command: \`${meta.command}\` (\`npm run bench -- --inbound\` runs this part after the build, \`-- --outbound\` only
the outbound one, plain \`npm run bench\` both). Environment variables: \`BENCH_INBOUND_REQUESTS\` (default 2000),
\`BENCH_RUNS\` (default 3), \`BENCH_INBOUND_CONCURRENCY\` (default 20), \`BENCH_INBOUND_ENGINES\` (default
\`default,lazy,legacy\`; \`name:requests\` sets a size per engine, e.g. \`default,legacy,lazy:500\`),
\`BENCH_INBOUND_TRIGGER_VERSIONS\` (default \`1,1.1\`). \`node bench/inbound.js --render\` rewrites this section from
\`test-results/bench-inbound.json\` without n8n; \`--no-write\` runs without writing either (a check that it works).

Date ${meta.date}. Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}; 1-minute load average ${loadRange(results, meta)} during the runs
(state here whether the machine was otherwise quiet: single runs vary, last column). n8n ${meta.n8nVersion} on Node ${meta.nodeVersion}, SQLite,
regular mode, the harness's settings (\`scripts/n8n/harness.js\`), this package installed from its \`npm pack\` tarball. Load generator:
this benchmark's own process (Node ${process.version}, \`node:http\`, keep-alive agent, ${meta.concurrency} concurrent, 127.0.0.1 only),
${meta.runs} runs per scenario, interleaved, medians; 100 valid warm-up requests per trigger version and 100 to the baseline per n8n,
not counted. One n8n per engine setting: "default" sets no \`N8N_EXPRESSION_ENGINE\` (n8n's default, \`vm\` = isolated-vm, eager
acquisition); "lazy acquire" = default engine with \`N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true\`; \`legacy\` = \`N8N_EXPRESSION_ENGINE=legacy\`.

- Workflows: Purchasely Trigger (events: ACTIVATE; Respond: Immediately) → No Operation, once per trigger version (1: saved
  workflows; 1.1: new nodes and the templates). Valid events go to one copy, forged and filtered ones to an identical
  second copy, so that its count (which must stay 0) is read alone. Forged = signed with another secret (→ 401);
  filtered = correctly signed RENEWAL_DISABLED (→ 200 "ignored").
- accepted req/s = answers with the expected status (200; 401 for forged) ÷ wall time of the load.
- n8n CPU per request = utime + stime of the n8n main process and all its descendants (the JS task runner) from
  \`/proc/<pid>/stat\`, read before the load and again once n8n has gone quiet (< 30 ms CPU per second), so
  executions finishing after their 200 are included; ÷ requests sent. Idle CPU is not subtracted (it is small).
- evaluations / isolates built per request: from \`scripts/n8n/expressionEngineCounter.js\`, loaded into n8n with
  \`NODE_OPTIONS=--require\`: calls of n8n-workflow's \`Expression.renderExpression\` (every expression, any engine) and of
  the expression runtime's \`IsolatedVmBridge.initialize\`/\`initializeSync\` (isolates built, the pool's refills
  included), n8n main process only, same before/after readings ÷ requests sent.
- executions stored = new executions of that workflow in n8n's public API after each run (one figure per run).
- Baseline = n8n's core Webhook node ("respond immediately", no check) → No Operation, on the same n8n, in the
  same runs.

| engine | scenario | requests per run | accepted req/s | p50 / p99 ms (${meta.concurrency} concurrent) | n8n CPU per request | evaluations / isolates built per request | executions stored (per run) | answers (run 1) | runs (req/s) |
|---|---|---|---|---|---|---|---|---|---|
${table}

Peak RSS (VmHWM, whole life of each n8n): ${mem}. n8n-performance.md: main about 720 MiB idle.

What this run shows:
- **Nothing is stored for a refused or filtered request**: ${storedSum('forged')} executions for ${sentSum('forged').toLocaleString('en')} forged and
  ${storedSum('filtered')} for ${sentSum('filtered').toLocaleString('en')} filtered requests (all engines and versions), where a core-node
  workflow (Webhook → Code → If) stores one per forged request and answers it 200 (n8n-performance.md).
${perEngine}
- Where the cost is n8n's, not the node's (read in n8n 2.41.1's code): every production webhook request to a start node
  other than the core Webhook node acquires an expression isolate (\`webhookPhaseNeedsIsolate\`,
  \`dist/webhooks/live-webhooks.js\`), and \`getCredentials()\` in a webhook acquires another for a throw-away workflow
  (\`dist/credentials-helper.js\`). Under the default (eager) engine each acquisition takes a pooled isolate and the pool
  builds a replacement, whatever the trigger version; under lazy acquire an acquisition only opens a scope and an
  isolate is built when an expression is evaluated. At trigger version 1, n8n evaluates
  \`$parameter["options"]["binaryData"]\` on each request (\`parseRequestBody\`, \`dist/webhooks/webhook-helpers.js\`,
  typeVersion exactly 1); at 1.1 it does not, and it reads the trigger's response mode through the node's native
  resolvers (n8n-workflow \`webhookDescriptionFields\`), so a refused or filtered request at 1.1 evaluates no expression.
- Default engine, trigger ${newest ?? '–'} against the baseline on the same n8n: forged ${ratio(fD, cwD)}, filtered ${ratio(flD, cwD)}, valid ${ratio(vD, cwD)}
  of its CPU (${cpu(cwD)}); ${n(fD)} forged req/s vs ${n(cwD)} for the baseline; p50 / p99 forged ${lat(fD)} ms.
`;
}

function writeSection(text) {
	const current = fs.existsSync(RESULTS_FILE) ? fs.readFileSync(RESULTS_FILE, 'utf8') : '';
	const at = current.indexOf(`\n${SECTION_MARKER}`);
	const head = (at >= 0 ? current.slice(0, at) : current).replace(/\s*$/, '');
	fs.writeFileSync(RESULTS_FILE, `${head}\n\n${text}`);
	log(`wrote the inbound section of ${path.relative(root, RESULTS_FILE)}`);
}

const JSON_FILE = path.join(harness.RESULTS_DIR, 'bench-inbound.json');
const CHECK_FILE = path.join(harness.RESULTS_DIR, 'bench-inbound-check.json');

const fixed = (v, digits) => (v === undefined ? '–' : v.toFixed(digits));

function printSummary(saved) {
	for (const e of saved.results)
		for (const s of summarize(e))
			console.log(
				`${e.engine.padEnd(8)} ${s.key.padEnd(14)} ${s.reqPerS.toFixed(1).padStart(7)} req/s  p50 ${s.p50.toFixed(0).padStart(5)} ms  p99 ${s.p99.toFixed(0).padStart(5)} ms  CPU ${s.cpuMsPerReq.toFixed(2).padStart(6)} ms/req  per request: ${fixed(s.evaluationsPerReq, 2)} evaluations, ${fixed(s.isolatesPerReq, 2)} isolates built  stored ${s.stored.join('/')}`,
			);
}

function render(saved) {
	printSummary(saved);
	const text = section(saved.results, saved.meta);
	if (WRITE) writeSection(text);
	else console.log(`\n${text}`);
}

async function main() {
	// `node bench/inbound.js --render [file]`: rewrite the RESULTS.md section from saved results, no n8n
	// (with --no-write: print it).
	const ri = process.argv.indexOf('--render');
	if (ri >= 0) {
		const file = process.argv[ri + 1] && !process.argv[ri + 1].startsWith('--') ? process.argv[ri + 1] : JSON_FILE;
		render(JSON.parse(fs.readFileSync(file, 'utf8')));
		return;
	}
	const stopRef = {};
	// Stopped from outside (Ctrl-C, scripts/bench.js's time limit): stop n8n by its PID first.
	for (const signal of ['SIGINT', 'SIGTERM']) {
		process.once(signal, () => {
			harness.stopAll().finally(() => process.exit(130));
		});
	}
	const hard = setTimeout(async () => {
		console.error(`inbound benchmark: hard time limit (${HARD_LIMIT_MS / 60000} min) reached, stopping n8n`);
		if (stopRef.n8n) await stopRef.n8n.stop().catch(() => {});
		process.exit(2);
	}, HARD_LIMIT_MS);
	hard.unref();
	const tarball = await harness.packPackage({ build: 'ifMissing' });
	const install = await harness.ensureN8n('n8n2');
	const meta = {
		command: process.env.BENCH_INBOUND_COMMAND || `${process.env.BENCH_INBOUND_ENGINES ? `BENCH_INBOUND_ENGINES=${process.env.BENCH_INBOUND_ENGINES} ` : ''}node bench/inbound.js`,
		date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
		n8nVersion: install.n8nVersion,
		nodeVersion: require('node:child_process').execFileSync(install.nodeBin, ['--version'], { encoding: 'utf8' }).trim(),
		runs: RUNS,
		concurrency: CONCURRENCY,
	};
	const results = [];
	fs.mkdirSync(harness.RESULTS_DIR, { recursive: true });
	for (const { name, requests } of ENGINES) {
		results.push(await runEngine(name, requests, tarball, stopRef));
		// After each engine, so that a later failure or time-out keeps what was measured. A --no-write run
		// keeps its figures apart (CHECK_FILE) and prints the section instead of writing RESULTS.md.
		fs.writeFileSync(WRITE ? JSON_FILE : CHECK_FILE, JSON.stringify({ meta, results }, null, 2));
		render({ meta, results });
	}
	clearTimeout(hard);
}

main().catch(async (error) => {
	console.error(error);
	await harness.stopAll().catch(() => {});
	process.exit(1);
});
