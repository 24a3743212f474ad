/**
 * `npm run backfill-sample` (scripts/generate-backfill-sample.js) as a user runs it: a real child process
 * writing into a private temporary folder.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startBatchSimulator } from '../../simulator/batchSimulator';
import * as sampleRows from '../../scripts/backfill/sampleRows';
import type { SampleRow } from '../../scripts/backfill/sampleRows';

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../scripts/generate-backfill-sample.js');
const COLUMNS = 'user_id,subscription_status,plan,product,store,offer_type,is_sandbox,next_renewal_at';

let dir: string;
beforeAll(() => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-sample-'));
});
afterAll(() => {
	fs.rmSync(dir, { recursive: true, force: true });
});

async function generate(args: string[]) {
	try {
		const r = await run(process.execPath, [SCRIPT, ...args], { cwd: dir, timeout: 60_000 });
		return { code: 0, stdout: r.stdout, stderr: r.stderr };
	} catch (err) {
		const e = err as { code?: number; stdout?: string; stderr?: string };
		return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
	}
}
const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

it('writes the header and exactly --rows rows; same options, same bytes; another seed, other bytes', async () => {
	const a = await generate(['--rows', '5000', '--out', 'a.csv', '--seed', '9', '--as-of', '2026-12-01']);
	expect(a).toMatchObject({ code: 0, stderr: '' });
	expect(a.stdout).toMatch(/^Wrote 5000 rows \(0 bad\) to .*a\.csv \(.* MiB; seed 9, as of 2026-12-01\)\n$/);
	const lines = fs.readFileSync(path.join(dir, 'a.csv'), 'utf8').split('\n');
	expect(lines[0]).toBe(COLUMNS);
	expect(lines.at(-1)).toBe(''); // ends with a newline
	expect(lines.length - 2).toBe(5000);
	expect(lines[1]).toMatch(/^user_0000001,[A-Z_]+,[a-z_]+,[a-z]+,[A-Z_]+,[A-Z_]+,(true|false),(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)?$/);

	expect((await generate(['--rows=5000', '--out=b.csv', '--seed=9', '--as-of=2026-12-01'])).code).toBe(0);
	expect(sha(path.join(dir, 'b.csv'))).toBe(sha(path.join(dir, 'a.csv')));
	expect((await generate(['--rows', '5000', '--out', 'c.csv', '--seed', '10', '--as-of', '2026-12-01'])).code).toBe(0);
	expect(sha(path.join(dir, 'c.csv'))).not.toBe(sha(path.join(dir, 'a.csv')));
	expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

it('defaults: backfill-subscribers.csv in the current folder, as of today; creates missing folders', async () => {
	const before = new Date().toISOString().slice(0, 10);
	const r = await generate(['--rows', '10']);
	const after = new Date().toISOString().slice(0, 10);
	expect(r.code).toBe(0);
	expect([before, after]).toContain(/as of (\S+)\)/.exec(r.stdout)?.[1]);
	expect(fs.readFileSync(path.join(dir, 'backfill-subscribers.csv'), 'utf8').split('\n')).toHaveLength(12);
	expect((await generate(['--rows', '3', '--out', 'sub/dir/x.csv'])).code).toBe(0);
	expect(fs.existsSync(path.join(dir, 'sub/dir/x.csv'))).toBe(true);
});

it('--bad-rows: the rows are in the file and listed on stderr by line', async () => {
	const r = await generate(['--rows', '400', '--out', 'bad.csv', '--bad-rows', '4', '--as-of', '2026-12-01']);
	expect(r.code).toBe(0);
	expect(r.stdout).toContain('Wrote 400 rows (4 bad)');
	const listed = r.stderr.trim().split('\n');
	expect(listed).toHaveLength(4);
	const lines = fs.readFileSync(path.join(dir, 'bad.csv'), 'utf8').split('\n');
	for (const entry of listed) {
		const m = /^bad row at line (\d+): (.+)$/.exec(entry);
		expect(m).not.toBeNull();
		const fields = lines[Number(m![1]) - 1].split(',');
		if (m![2].startsWith('user_id is empty')) expect(fields[0]).toBe('');
		if (m![2].startsWith('user_id is 1025')) expect(fields[0]).toHaveLength(1025);
		if (m![2].startsWith('next_renewal_at')) expect(fields[7]).toBe('next tuesday');
		if (m![2].startsWith('plan is 301')) expect(fields[2]).toHaveLength(301);
	}
});

it('--help, and bad arguments exit 2 with the rule and the usage', async () => {
	const help = await generate(['--help']);
	expect(help.code).toBe(0);
	expect(help.stdout).toContain('--bad-rows N');
	for (const [args, message] of [
		[['--rows', 'many'], '--rows must be a whole number'],
		[['--rows', '0'], 'rows must be an integer from 1'],
		[['--as-of', 'yesterday'], 'as-of must be a UTC date'],
		[['--rows', '5', '--bad-rows', '6'], 'bad rows must be'],
		[['--what'], 'Unknown argument: --what'],
		[['--out'], '--out needs a value'],
	] as Array<[string[], string]>) {
		const r = await generate(args);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain(message);
		expect(r.stderr).toContain('Usage: npm run backfill-sample');
	}
});

// The sample against Batch's rules as the simulator applies them: with a plain mapping to the attributes of the
// Sync subscription attributes template, every good row is accepted by /profiles/mass-update and every bad row
// is refused on its own (SUCCESS_WITH_PARTIAL_ERRORS, its bulk_index), so the bad rows exercise a failure summary.
it('sent as mass updates, good rows are accepted and each bad row is refused by index', async () => {
	const generated = [...sampleRows.generateRows({ rows: 10_000, asOf: '2026-12-01', badRows: 8 })];
	const ops = generated.map(({ row }) => ({
		identifiers: { custom_id: row.user_id },
		attributes: {
			subscription_status: row.subscription_status,
			subscription_plan: row.plan,
			subscription_product: row.product,
			subscription_store: row.store,
			subscription_offer_type: row.offer_type,
			subscription_sandbox: row.is_sandbox === 'true',
			'date(subscription_next_renewal_at)': row.next_renewal_at === '' ? null : row.next_renewal_at,
		},
	}));
	const sim = await startBatchSimulator({ restApiKey: 'rest', projectKey: 'project_backfill' });
	try {
		const res = await fetch(`${sim.url}/2.11/profiles/mass-update`, {
			method: 'POST',
			headers: { Authorization: 'Bearer rest', 'X-Batch-Project': 'project_backfill', 'Content-Type': 'application/json' },
			body: JSON.stringify(ops),
		});
		expect(res.status).toBe(202);
		const body = (await res.json()) as { code: string; errors: Array<{ bulk_index: number; category: string }> };
		expect(body.code).toBe('SUCCESS_WITH_PARTIAL_ERRORS');
		const badIndexes = generated.flatMap((g, i) => (g.defect ? [i] : []));
		expect(badIndexes).toHaveLength(8);
		expect(body.errors.map((e) => e.bulk_index)).toEqual(badIndexes);
		expect(body.errors.map((e) => e.category)).toEqual(
			badIndexes.map((i) => (generated[i].defect!.kind.startsWith('empty_user_id') || generated[i].defect!.kind.startsWith('user_id') ? 'identifiers' : 'attributes')),
		);
		expect(sim.stats()).toMatchObject({ acceptedOperations: 9_992, rejectedOperations: 8 });
		const first = generated.find((g) => !g.defect && g.row.next_renewal_at !== '')!.row;
		expect(sim.profile('custom_id', first.user_id)).toMatchObject({
			attributes: { subscription_status: first.subscription_status, subscription_next_renewal_at: first.next_renewal_at },
			attributeTypes: { subscription_next_renewal_at: 'date', subscription_sandbox: 'boolean' },
		});
	} finally {
		await sim.close();
	}
});
