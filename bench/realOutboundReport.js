'use strict';
// The real-n8n outbound benchmark's figures → ratios, issue 9's goals, and the "## Real n8n (outbound)" section of
// bench/RESULTS.md. Pure: takes the run's JSON (bench/realOutbound.js writes it), returns values and text.
const { replaceSection: replaceResultsSection } = require('./resultsSection');

const SECTION_MARKER = '## Real n8n (outbound)';
/** Batch's documented /profiles/update rate: no client delivers N updates there faster than N / 300 s. */
const UPDATE_RATE_PER_SECOND = 300;
const GOALS = { massUpdate10kMs: 2000, speedupOverUpdate: 15, massUpdate100kMs: 12000, rssGrowthRatio: 2 };

const MiB = 1024 * 1024;
const fmtInt = (n) => Math.round(n).toLocaleString('en');
const fmtS = (ms) => (ms === undefined || ms === null ? '–' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
const fmtMiB = (bytes) => (bytes === undefined || bytes === null ? '–' : `${bytes < 0 ? '−' : '+'}${Math.abs(bytes / MiB).toFixed(0)} MiB`);
const fmtSize = (bytes) => (bytes === undefined ? '–' : `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`);
const fmtRatio = (r) => (r === undefined || !Number.isFinite(r) ? '–' : `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`);

const median = (values) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * One row from its repeated runs (BENCH_REAL_REPEATS): the run of median peak RSS growth, with the median node and
 * execution times, and each figure's range over the runs that succeeded (a failed run is counted in `failedRuns`;
 * the row fails only when every run did).
 */
function combineRuns(all) {
	const runs = all.filter((c) => !c.error && !c.skipped);
	if (runs.length === 0) return all[0];
	if (all.length === 1) return runs[0];
	const failedRuns = all.length - runs.length;
	const byGrowth = [...runs].sort((a, b) => a.rss.peakGrowthBytes - b.rss.peakGrowthBytes);
	const chosen = byGrowth[Math.floor((byGrowth.length - 1) / 2)];
	const range = (pick) => [Math.min(...runs.map(pick)), Math.max(...runs.map(pick))];
	return {
		...chosen,
		nodeMs: median(runs.map((c) => c.nodeMs)),
		executionMs: median(runs.map((c) => c.executionMs)),
		repeats: runs.length,
		...(failedRuns > 0 ? { failedRuns, failedRunErrors: all.filter((c) => c.error).map((c) => c.error) } : {}),
		ranges: { nodeMs: range((c) => c.nodeMs), peakGrowthBytes: range((c) => c.rss.peakGrowthBytes) },
		// Every run's peak growth, in the order run (memory is bimodal between identical runs: the median alone hides it).
		peakGrowthBytesRuns: runs.map((c) => c.rss.peakGrowthBytes),
	};
}

/** The measured case of `scenario` at `items`, if it ran without error. */
function measured(run, scenario, items) {
	return run.cases.find((c) => c.scenario === scenario && c.items === items && !c.skipped && !c.error);
}

/** Peak RSS growth of n8n main beyond the items' own size (bytes), or undefined. */
function growthBeyondItems(c) {
	return c && c.rss ? c.rss.peakGrowthBytes - c.itemsBytes : undefined;
}

/** Issue 9's goals, each { goal, measured, met: true | false | undefined (not measured) }. */
function goals(run) {
	const m10 = measured(run, 'batchMassUpdate', 10_000);
	const m100 = measured(run, 'batchMassUpdate', 100_000);
	const withinLimits = (c) => c.simulator.limited && c.simulator.rateLimited === 0 && c.accepted === c.items;
	const out = [];
	const floorMs = (10_000 / UPDATE_RATE_PER_SECOND) * 1000;
	out.push({
		goal: `10,000 profile updates within Batch's limits in ≤ ${GOALS.massUpdate10kMs / 1000} s with mass update`,
		measured: m10 ? `${fmtS(m10.nodeMs)} (node), ${m10.simulator.rateLimited} answers 429, ${fmtInt(m10.accepted)} accepted` : 'not run',
		met: m10 ? m10.nodeMs <= GOALS.massUpdate10kMs && withinLimits(m10) : undefined,
	});
	out.push({
		goal: `≥ ${GOALS.speedupOverUpdate}× faster than any /update client at ${UPDATE_RATE_PER_SECOND}/s (10,000 ÷ ${UPDATE_RATE_PER_SECOND}/s = ${fmtS(floorMs)})`,
		measured: m10 ? fmtRatio(floorMs / m10.nodeMs) : 'not run',
		met: m10 ? floorMs / m10.nodeMs >= GOALS.speedupOverUpdate : undefined,
	});
	out.push({
		goal: `100,000 profile updates within Batch's limits in ≤ ${GOALS.massUpdate100kMs / 1000} s`,
		measured: m100 ? `${fmtS(m100.nodeMs)} (node), ${m100.simulator.rateLimited} answers 429, ${fmtInt(m100.accepted)} accepted` : 'not run',
		met: m100 ? m100.nodeMs <= GOALS.massUpdate100kMs && withinLimits(m100) : undefined,
	});
	const g10 = growthBeyondItems(m10);
	const g100 = growthBeyondItems(m100);
	const ratio = g10 !== undefined && g100 !== undefined ? (g10 > 0 ? g100 / g10 : Infinity) : undefined;
	// n8n's own growth for the same items with no node (No Operation), measured the same way: the bound no node can
	// go below when the items' own size is their JSON.
	const n10 = growthBeyondItems(measured(run, 'noOp', 10_000));
	const n100 = growthBeyondItems(measured(run, 'noOp', 100_000));
	const noOpText = n10 > 0 && n100 !== undefined ? `; n8n's No Operation node alone: ${fmtMiB(n100)} vs ${fmtMiB(n10)}, ${fmtRatio(n100 / n10)}` : '';
	out.push({
		goal: `n8n main RSS growth for 100,000 ≤ ${GOALS.rssGrowthRatio}× that for 10,000, beyond the items' own size taken as their JSON (mass update, One Item per Input Item)`,
		measured:
			ratio === undefined
				? 'not run'
				: `${fmtMiB(g100)} vs ${fmtMiB(g10)}: ${g10 > 0 ? fmtRatio(ratio) : 'the 10,000 run grew no more than its items'}${noOpText}`,
		met: ratio === undefined ? undefined : g100 <= GOALS.rssGrowthRatio * Math.max(g10, 0),
	});
	// The items' own size taken as what n8n needs for them: n8n holds and saves every item whatever the node does
	// (the No Operation row grows about 8× from 10,000 to 100,000), so the node's own share is what a node can bound:
	// its row's growth minus the No Operation row's at the same size. Output "One Summary Item" is the node's setting
	// for such runs (the backfill template's); with one output item per input item the node adds N items of its own.
	const s10 = nodeShare(run, 'batchMassSummary', 10_000);
	const s100 = nodeShare(run, 'batchMassSummary', 100_000);
	out.push({
		goal: `n8n main RSS growth for 100,000 ≤ ${GOALS.rssGrowthRatio}× that for 10,000, beyond the items' own size taken as n8n's growth for them with No Operation in place of the node (mass update, Output One Summary Item, as the backfill template runs it)`,
		measured:
			s10 === undefined || s100 === undefined
				? 'not run'
				: `${fmtMiB(s100)} vs ${fmtMiB(s10)}${s10 > 0 ? `: ${fmtRatio(s100 / s10)}` : ''}${meanShareText(run, 'batchMassSummary')}`,
		met: s10 === undefined || s100 === undefined ? undefined : s100 <= GOALS.rssGrowthRatio * Math.max(s10, 0),
	});
	return out;
}

/** A row's peak RSS growth minus the No Operation row's at the same size (bytes), or undefined. */
function nodeShare(run, scenario, items) {
	const c = measured(run, scenario, items);
	const noOp = measured(run, 'noOp', items);
	return c && noOp && c.rss && noOp.rss ? c.rss.peakGrowthBytes - noOp.rss.peakGrowthBytes : undefined;
}

/** The mean of a row's runs' peak growth (bytes), or undefined (one run: no list kept). */
function meanGrowth(c) {
	const runs = c && c.peakGrowthBytesRuns;
	return runs && runs.length > 0 ? runs.reduce((sum, value) => sum + value, 0) / runs.length : undefined;
}

/** "; by the mean of each row's runs: … vs …" for a scenario's share at 100,000 and 10,000, or "". */
function meanShareText(run, scenario) {
	const share = (items) => {
		const row = meanGrowth(measured(run, scenario, items));
		const noOp = meanGrowth(measured(run, 'noOp', items));
		return row === undefined || noOp === undefined ? undefined : row - noOp;
	};
	const m10 = share(10_000);
	const m100 = share(100_000);
	return m10 === undefined || m100 === undefined ? '' : ` (medians of ${measured(run, scenario, 100_000).repeats} runs; by the means of the same runs: ${fmtMiB(m100)} vs ${fmtMiB(m10)})`;
}

/** How the peak was read: reset before each row (every measured row), or the peak since n8n started. */
function peakResetText(run) {
	const rows = run.cases.filter((c) => c.rss);
	return rows.length > 0 && rows.every((c) => c.rss.peakReset)
		? "`VmHWM` reset to the current RSS just before (`5` written to `/proc/<pid>/clear_refs`), so the peak is the row's own"
		: '`VmHWM` being the peak since n8n started (not reset before the row in this run)';
}

/** "One Summary Item 10,000: +62, +64 … MiB; …": each run's peak growth of the rows the node's share is read from. */
function runsText(run) {
	const parts = [];
	for (const scenario of ['batchMassSummary', 'noOp']) {
		for (const c of run.cases.filter((x) => x.scenario === scenario && x.peakGrowthBytesRuns)) {
			parts.push(`${scenario === 'noOp' ? 'No Operation' : 'One Summary Item'} at ${fmtInt(c.items)}: ${c.peakGrowthBytesRuns.map((b) => Math.round(b / 2 ** 20)).join(', ')} MiB`);
		}
	}
	return parts.length > 0 ? `\nEach run's peak growth, in the order run: ${parts.join('; ')}.\n` : '';
}

/** Per size, the node's share of n8n main's RSS growth with each output (bytes), for the memory table. */
function memoryShares(run) {
	const sizes = [...new Set(run.cases.map((c) => c.items))].sort((a, b) => a - b);
	return sizes.map((items) => ({ items, eachItem: nodeShare(run, 'batchMassUpdate', items), summary: nodeShare(run, 'batchMassSummary', items) }));
}

/** Per size, each measured row against the anchor (HTTP Request) and mass update against /update. */
function ratios(run) {
	const sizes = [...new Set(run.cases.map((c) => c.items))].sort((a, b) => a - b);
	return sizes.map((items) => {
		const anchor = measured(run, 'httpRequest', items);
		const update = measured(run, 'batchUpdate', items);
		const mass = measured(run, 'batchMassUpdate', items);
		const off = measured(run, 'batchLimitsOff', items);
		const vs = (a, b) => (a && b ? a.nodeMs / b.nodeMs : undefined);
		return {
			items,
			anchorOverMassUpdate: vs(anchor, mass),
			anchorOverLimitsOff: vs(anchor, off),
			updateOverMassUpdate: vs(update, mass),
			updateFloorOverMassUpdate: mass ? ((items / UPDATE_RATE_PER_SECOND) * 1000) / mass.nodeMs : undefined,
			massUpdateOverLimitsOff: vs(mass, off),
		};
	});
}

function row(c, labels) {
	const label = labels[c.scenario] || c.scenario;
	if (c.skipped) return `| ${label} | ${fmtInt(c.items)} | not run: ${c.skipped} | | | | | | | |`;
	if (c.error) return `| ${label} | ${fmtInt(c.items)} | failed: ${c.error} | | | | | | | |`;
	const s = c.simulator;
	const spread = (value, range, fmt) => (range ? `${value} (${fmt(range[0])}…${fmt(range[1])})` : value);
	const nodeTime = spread(fmtS(c.nodeMs), c.ranges?.nodeMs, fmtS);
	const growth = spread(fmtMiB(c.rss.peakGrowthBytes), c.ranges?.peakGrowthBytes, fmtMiB);
	const failedNote = c.failedRuns ? ` (${c.failedRuns} more run${c.failedRuns > 1 ? 's' : ''} failed: ${c.failedRunErrors[0]})` : '';
	return `| ${label}${failedNote} | ${fmtInt(c.items)} | ${nodeTime} | ${fmtS(c.executionMs)} | ${fmtInt(s.requests)}${s.rateLimited ? ` (${fmtInt(s.rateLimited)} × 429)` : ''} | ${fmtInt(s.connections)} (${fmtInt(s.peakOpenConnections)}) | ${fmtInt(c.accepted)} / ${fmtInt(s.acceptedOperations)} | ${growth} | ${fmtSize(c.itemsBytes)} | ${fmtMiB(growthBeyondItems(c))} |`;
}

function section(run) {
	const { meta } = run;
	const labels = Object.fromEntries(meta.scenarios.map((s) => [s.key, s.label]));
	const table = run.cases.map((c) => row(c, labels)).join('\n');
	const ratioLines = ratios(run)
		.map(
			(r) =>
				`| ${fmtInt(r.items)} | ${fmtRatio(r.anchorOverMassUpdate)} | ${fmtRatio(r.anchorOverLimitsOff)} | ${fmtRatio(r.updateOverMassUpdate)} | ${fmtRatio(r.updateFloorOverMassUpdate)} | ${fmtRatio(r.massUpdateOverLimitsOff)} |`,
		)
		.join('\n');
	const shareLines = memoryShares(run)
		.map((m) => `| ${fmtInt(m.items)} | ${fmtMiB(m.eachItem)} | ${fmtMiB(m.summary)} | ${m.eachItem !== undefined && m.summary !== undefined && m.summary > 0 ? fmtRatio(m.eachItem / m.summary) : '–'} |`)
		.join('\n');
	const goalLines = goals(run)
		.map((g) => `| ${g.goal} | ${g.measured} | ${g.met === undefined ? 'not measured' : g.met ? 'yes' : '**no**'} |`)
		.join('\n');
	const load = (l) => (l ? l.map((v) => v.toFixed(2)).join(', ') : '–');
	const scenarioLines = meta.scenarios.map((s) => `- ${s.label}: ${s.how}`).join('\n');
	return `${SECTION_MARKER}

Command: \`${meta.command}\` (\`npm run bench -- --real\`; \`node bench/realOutbound.js --render ${meta.jsonFile}\`
rewrites this section from the run's JSON without n8n). Date ${meta.date}. Machine: ${meta.machine.cores} × ${meta.machine.cpuModel},
${meta.machine.memGiB.toFixed(0)} GiB; load average (1, 5, 15 min) before ${load(meta.loadBefore)}, after ${load(meta.loadAfter)}.
n8n ${meta.n8nVersion} on Node ${meta.n8nNodeVersion}, SQLite, regular mode, default settings (the e2e harness's
\`scripts/n8n/harness.js\`), this package installed from its \`npm pack\` tarball; ${meta.repeats > 1 ? `${meta.repeats} runs of each row (\`BENCH_REAL_REPEATS\`): the run of median RSS growth is shown, with the median node time and execution, and (min…max) over the runs` : 'one run of each row'}.
Workflow: Manual Trigger → Code (N items shaped like the Purchasely Trigger's output, \`bench/benchData.js\`) → the
node under test; run as the editor's "Execute workflow" does (\`POST /rest/workflows/:id/run\`). Batch simulator
(\`startBatchSimulator\`, in the benchmark's process, 127.0.0.1): "limits" = its defaults, Batch's documented
figures (/profiles/update 300 updates/s, bursts of 1,000; /profiles/mass-update 10,000 a call, 10,000/s, no burst);
"off" = \`rateLimit: false\`.

${scenarioLines}

How it is measured:
- node time = the node's \`executionTime\` in the execution's run data; execution = its \`startedAt\` → \`stoppedAt\`
  (Code node and n8n's saving of the execution included).
- requests, TCP connections (most open at once) and operations accepted: the simulator's own counters
  (\`stats()\`) for that row; "accepted" = items the node reported as accepted (HTTP Request: answers \`SUCCESS\`).
- n8n main RSS: n8n is **restarted before each row** (\`harness.restart()\`, same user folder), then runs the same
  workflow once with 10 items (warm-up: nodes loaded, task runner up), is left idle ${fmtS(meta.settleMs ?? 1100)}
  (\`BENCH_REAL_SETTLE_MS\`), then runs the row. Growth = \`VmHWM\` of the n8n main process after the row (read once
  n8n main is quiet again: n8n marks an execution stopped before it is done with it) − its \`VmRSS\` just before
  (\`/proc/<pid>/status\`), ${peakResetText(run)}; the
  task runner (Code node) is another process, not counted. Items' own size = \`JSON.stringify\` length of the N
  items' \`json\` objects.
- why the idle time and the reset (since 2026-12-06; before, the row started 1.1 s after the warm-up with n8n main at
  ~725 MiB): in the first seconds after n8n goes quiet V8 may still run a full collection and give memory back
  (~270 MiB), and whether that fell inside the measured run decided which of two peaks a 100,000-item row showed.
  Once V8 has given it back, n8n's start-up peak is above the RSS a 10,000-item row reaches: without the reset,
  such a row shows the start-up peak.
- the end of an execution: asked of n8n's public API (\`GET /api/v1/executions/:id\`) after 0.1 s, then at intervals
  doubling up to 2 s. Each question costs n8n main memory of its own; asked every 200 ms (this benchmark before
  2026-12-03), they left ~70 MB of n8n's old space behind during a 10-second row, billed to whichever row ran longest.
- 429s on the Real-Time Update row: the node's own budget (300/s, burst 1,000, this n8n process) and the
  simulator's are the same figures on two clocks; a request at the edge can be refused, and the node waits and
  retries it (every item still delivered, see "accepted").

| path | items | node time | execution | requests (429s) | TCP connections (most open at once) | accepted (node / simulator) | n8n main peak RSS growth | items' own size | growth beyond the items |
|---|---|---|---|---|---|---|---|---|---|
${table}

Ratios (node time; "floor" = items ÷ 300/s, the fastest any /update client can be within Batch's limits):

| items | HTTP Request ÷ mass update | HTTP Request ÷ limits off | /update ÷ mass update | /update floor ÷ mass update | mass update ÷ limits off |
|---|---|---|---|---|---|
${ratioLines}

The node's share of n8n main's peak RSS growth (its row's growth − the No Operation row's, mass update at default
limits): n8n holds and saves every item of an execution whatever the node does, so this is the part a node decides.

| items | One Item per Input Item | Output: One Summary Item | ratio |
|---|---|---|---|
${shareLines}
${runsText(run)}
What decides a 100,000-item row's peak is whether V8 completes a full collection of n8n main's heap between the
node's run and n8n's save of the execution (the save adds ~290 MiB to whatever is resident then). The node has no
say in when V8 collects. Diagnostics on 2026-12-06 (not part of this benchmark; \`bench/v8FlagsHook.js\` loads V8
flags into n8n main through \`BENCH_REAL_N8N_NODE_OPTIONS\`, \`bench/gcTraceSummary.js\` reads the trace):
- the same code gave One Summary Item shares at 100,000 of +29 MiB (2026-12-03, 5 runs), +74 and ~+75 MiB (same
  evening), and this day, in batches of 2 runs: +96 MiB (idle time, GC trace on), +63 MiB (idle time,
  \`MALLOC_ARENA_MAX=2\`), and **+1 MiB with the idle time and the reset** (both runs in the low mode: 427 and
  436 MiB against 426 and 429). This run, with the same settings, had One Summary Item in the high mode 5 times
  out of 5. The idle time and the reset make a row's reading its own; they do not decide V8's mode.
- \`--trace-gc-nvp\` of n8n main at 100,000 items, high mode: V8's heap peaked at the same size with the node and
  with No Operation (memory 930 vs 940 MB, live objects 826 vs 808 MB). The node's extra ~100 MiB of peak is not in
  what V8 reports as its heap; where it is (pages V8 pools for reuse, young-generation pages, the C allocator) is
  not established.
- \`/proc/<pid>/smaps\` sampled every 40 ms through a run (the sampling itself slowed n8n; that run came out in the
  low mode, +220 MiB in all): V8's heap pages held ~530 MB while the node ran; a full collection at the end of its
  run brought them to 343 MB, and the save then grew the process by ~290 MB, nearly all of it outside V8's regular
  pages (the save's large strings and buffers).
- neither a smaller young generation (\`--max-semi-space-size=8\`: 403 and 547 MiB against 366 and 371) nor a fixed
  C-allocator threshold (\`MALLOC_MMAP_THRESHOLD_=131072\`: 288 and 494 against 417 and 432) made the high mode go
  away (2 runs each).

Issue 9's goals (this run):

| goal | measured | met |
|---|---|---|
${goalLines}
`;
}

/** `current` with this section replaced (or inserted before "## Inbound", or at the end). */
function replaceSection(current, text) {
	return replaceResultsSection(current, SECTION_MARKER, text, ['## Inbound']);
}

module.exports = { SECTION_MARKER, GOALS, UPDATE_RATE_PER_SECOND, combineRuns, goals, ratios, memoryShares, section, replaceSection, growthBeyondItems };
