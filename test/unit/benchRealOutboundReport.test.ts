/**
 * bench/realOutboundReport.js: issue 9's goals and the ratios computed from a real-n8n run's JSON, and where its
 * section goes in bench/RESULTS.md. The figures below are made up to sit on each side of each threshold.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const report = require('../../bench/realOutboundReport.js') as {
	goals(run: unknown): Array<{ goal: string; measured: string; met: boolean | undefined }>;
	ratios(run: unknown): Array<Record<string, number | undefined>>;
	memoryShares(run: unknown): Array<Record<string, number | undefined>>;
	combineRuns(runs: unknown[]): Record<string, unknown>;
	section(run: unknown): string;
	replaceSection(current: string, text: string): string;
	SECTION_MARKER: string;
};

const MiB = 1024 * 1024;

interface CaseInput {
	scenario: string;
	items: number;
	nodeMs?: number;
	rateLimited?: number;
	accepted?: number;
	growthMiB?: number;
	itemsMiB?: number;
	limited?: boolean;
	skipped?: string;
}

function makeCase(c: CaseInput) {
	const itemsBytes = (c.itemsMiB ?? 0) * MiB;
	if (c.skipped) return { scenario: c.scenario, items: c.items, itemsBytes, skipped: c.skipped };
	return {
		scenario: c.scenario,
		items: c.items,
		itemsBytes,
		status: 'success',
		nodeMs: c.nodeMs,
		executionMs: (c.nodeMs ?? 0) + 500,
		output: c.items,
		accepted: c.accepted ?? c.items,
		simulator: {
			limited: c.limited ?? true,
			requests: 10,
			connections: 4,
			peakOpenConnections: 4,
			rateLimited: c.rateLimited ?? 0,
			acceptedOperations: c.accepted ?? c.items,
			rejectedOperations: 0,
			endpoints: {},
		},
		rss: { peakGrowthBytes: (c.growthMiB ?? 0) * MiB },
	};
}

function makeRun(cases: CaseInput[]) {
	return {
		meta: {
			command: 'npm run bench -- --real',
			date: '2026-01-01 00:00 UTC',
			jsonFile: 'bench/results/real-2026-01-01.json',
			machine: { cores: 2, cpuModel: 'CPU', memGiB: 8 },
			loadBefore: [0.1, 0.2, 0.3],
			loadAfter: [1, 1, 1],
			n8nVersion: '2.41.1',
			n8nNodeVersion: 'v24.0.0',
			sizes: [10_000, 100_000],
			scenarios: [
				{ key: 'httpRequest', label: 'HTTP Request', how: 'one POST per item', limited: false },
				{ key: 'batchUpdate', label: 'Batch /update', how: '/update', limited: true },
				{ key: 'batchMassUpdate', label: 'Batch mass update', how: 'mass update', limited: true },
				{ key: 'batchLimitsOff', label: 'Batch limits off', how: 'off', limited: false },
			],
		},
		cases: cases.map(makeCase),
	};
}

const passing: CaseInput[] = [
	{ scenario: 'httpRequest', items: 10_000, nodeMs: 17_000, limited: false, growthMiB: 368, itemsMiB: 2 },
	{ scenario: 'batchUpdate', items: 10_000, nodeMs: 33_000 },
	{ scenario: 'batchMassUpdate', items: 10_000, nodeMs: 1_500, growthMiB: 62, itemsMiB: 2 },
	{ scenario: 'batchLimitsOff', items: 10_000, nodeMs: 1_000, limited: false },
	{ scenario: 'httpRequest', items: 100_000, skipped: 'one connection per item' },
	{ scenario: 'batchMassUpdate', items: 100_000, nodeMs: 11_000, growthMiB: 140, itemsMiB: 20 },
	{ scenario: 'batchMassSummary', items: 10_000, nodeMs: 1_400, growthMiB: 50, itemsMiB: 2 },
	{ scenario: 'noOp', items: 10_000, nodeMs: 10, growthMiB: 40, itemsMiB: 2 },
	{ scenario: 'batchMassSummary', items: 100_000, nodeMs: 11_000, growthMiB: 120, itemsMiB: 20 },
	{ scenario: 'noOp', items: 100_000, nodeMs: 30, growthMiB: 100, itemsMiB: 20 },
];

describe('goals', () => {
	it('are met when each figure is within its bound', () => {
		const g = report.goals(makeRun(passing));
		expect(g.map((x) => x.met)).toEqual([true, true, true, true, true]);
		// One Summary Item: (120 − 100) vs (50 − 40) MiB beyond No Operation: 2.0×.
		expect(g[4].measured).toBe('+20 MiB vs +10 MiB: 2.0×');
		// A share at 10,000 at or below No Operation's (measurement noise) cannot pass: nothing to compare with.
		const noisy = makeRun(passing.map((c) => (c.scenario === 'batchMassSummary' && c.items === 10_000 ? { ...c, growthMiB: 35 } : c)));
		expect(report.goals(noisy)[4]).toMatchObject({ met: false, measured: '+20 MiB vs −5 MiB' });
		// 10,000 ÷ 300/s = 33.3 s against 1.5 s.
		expect(g[1].measured).toBe('22×');
		// (140 − 20) vs (62 − 2) MiB beyond the items: 2.0×.
		expect(g[3].measured).toBe("+120 MiB vs +60 MiB: 2.0×; n8n's No Operation node alone: +80 MiB vs +38 MiB, 2.1×");
	});

	it('fail on time, on answers 429 (not within Batch\'s limits), on items not accepted, and on memory', () => {
		const slow = passing.map((c) => (c.scenario === 'batchMassUpdate' && c.items === 10_000 ? { ...c, nodeMs: 2_400 } : c));
		expect(report.goals(makeRun(slow)).map((x) => x.met)).toEqual([false, false, true, true, true]);
		const throttled = passing.map((c) => (c.scenario === 'batchMassUpdate' && c.items === 100_000 ? { ...c, rateLimited: 3 } : c));
		expect(report.goals(makeRun(throttled))[2].met).toBe(false);
		const lost = passing.map((c) => (c.scenario === 'batchMassUpdate' && c.items === 10_000 ? { ...c, accepted: 9_999 } : c));
		expect(report.goals(makeRun(lost))[0].met).toBe(false);
		const hungry = passing.map((c) => (c.scenario === 'batchMassUpdate' && c.items === 100_000 ? { ...c, growthMiB: 141 } : c));
		expect(report.goals(makeRun(hungry))[3].met).toBe(false);
		const hungrySummary = passing.map((c) => (c.scenario === 'batchMassSummary' && c.items === 100_000 ? { ...c, growthMiB: 121 } : c));
		expect(report.goals(makeRun(hungrySummary))[4].met).toBe(false);
	});

	it('the node\'s share of the memory: each output against No Operation, per size', () => {
		const shares = report.memoryShares(makeRun(passing));
		expect(shares).toEqual([
			{ items: 10_000, eachItem: 22 * MiB, summary: 10 * MiB },
			{ items: 100_000, eachItem: 40 * MiB, summary: 20 * MiB },
		]);
	});

	it('are "not measured" when the sizes they need did not run', () => {
		const g = report.goals(makeRun([{ scenario: 'batchMassUpdate', items: 2_000, nodeMs: 300 }]));
		expect(g.map((x) => x.met)).toEqual([undefined, undefined, undefined, undefined, undefined]);
		expect(g.map((x) => x.measured)).toEqual(['not run', 'not run', 'not run', 'not run', 'not run']);
	});
});

describe('repeated runs of a row', () => {
	it('show the run of median RSS growth, the median times and each range', () => {
		const runs = [300, 100, 200].map((growthMiB, index) => makeCase({ scenario: 'noOp', items: 10_000, nodeMs: [30, 10, 20][index], growthMiB }));
		const row = report.combineRuns(runs);
		expect(row).toMatchObject({ nodeMs: 20, repeats: 3, rss: { peakGrowthBytes: 200 * MiB }, ranges: { nodeMs: [10, 30], peakGrowthBytes: [100 * MiB, 300 * MiB] } });
		expect(report.section({ ...makeRun([]), cases: [row] })).toContain('| noOp | 10,000 | 0.02 s (0.01 s…0.03 s) |');
		expect(report.combineRuns([runs[0]])).toBe(runs[0]);
		const failed = { scenario: 'noOp', items: 10_000, itemsBytes: 0, error: 'boom' };
		expect(report.combineRuns([failed, { ...failed }])).toBe(failed);
		const oneFailed = report.combineRuns([runs[0], failed, runs[1]]);
		expect(oneFailed).toMatchObject({ repeats: 2, failedRuns: 1, failedRunErrors: ['boom'] });
		expect(report.section({ ...makeRun([]), cases: [oneFailed] })).toContain('| noOp (1 more run failed: boom) | 10,000 |');
	});
});

describe('ratios', () => {
	it('compare each path with the anchor and mass update with /update, per size', () => {
		const [r10, r100] = report.ratios(makeRun(passing));
		expect(r10).toMatchObject({ items: 10_000, anchorOverLimitsOff: 17, updateOverMassUpdate: 22 });
		expect(r10.anchorOverMassUpdate).toBeCloseTo(17_000 / 1_500);
		expect(r10.updateFloorOverMassUpdate).toBeCloseTo(33_333.33 / 1_500, 1);
		// Skipped or missing rows give no ratio.
		expect(r100).toMatchObject({ items: 100_000, anchorOverMassUpdate: undefined, updateOverMassUpdate: undefined });
	});
});

describe('section', () => {
	it('lists every row, a skipped one with its reason, and the goals', () => {
		const text = report.section(makeRun(passing));
		expect(text.startsWith(report.SECTION_MARKER)).toBe(true);
		expect(text).toContain('| HTTP Request | 100,000 | not run: one connection per item |');
		expect(text).toContain('| Batch mass update | 10,000 | 1.50 s | 2.00 s |');
		expect(text).toContain('load average (1, 5, 15 min) before 0.10, 0.20, 0.30, after 1.00, 1.00, 1.00');
		expect(text).not.toContain('**no**');
	});

	it('says whether each row\'s peak was its own (VmHWM reset before every measured row) or the peak since n8n started', () => {
		const run = makeRun(passing);
		const withReset = (reset: (index: number) => boolean) => ({
			...run,
			cases: run.cases.map((c, index) => ('rss' in c && c.rss ? { ...c, rss: { ...c.rss, peakReset: reset(index) } } : c)),
		});
		expect(report.section(withReset(() => true))).toContain("`VmHWM` reset to the current RSS just before (`5` written to `/proc/<pid>/clear_refs`), so the peak is the row's own");
		const oneNot = report.section(withReset((index) => index !== 1));
		expect(oneNot).toContain('`VmHWM` being the peak since n8n started (not reset before the row in this run)');
		expect(oneNot).not.toContain('clear_refs');
		expect(report.section(run)).toContain('not reset before the row in this run');
	});

	it('replaces its own section, else goes before "## Inbound", else at the end', () => {
		const text = `${report.SECTION_MARKER}\n\nnew\n`;
		const withIt = `# R\n\n## Mass update\nm\n\n${report.SECTION_MARKER}\n\nold\n\n## Inbound: x\ni\n`;
		expect(report.replaceSection(withIt, text)).toBe(`# R\n\n## Mass update\nm\n\n${report.SECTION_MARKER}\n\nnew\n\n## Inbound: x\ni\n`);
		expect(report.replaceSection('# R\n\n## Inbound: x\ni\n', text)).toBe(`# R\n\n${report.SECTION_MARKER}\n\nnew\n\n## Inbound: x\ni\n`);
		expect(report.replaceSection('# R\n', text)).toBe(`# R\n\n${text}`);
	});
});
