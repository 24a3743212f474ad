/**
 * The simulator's CLI as a real child process: starts, prints its one ready line, serves, stops on SIGTERM
 * and SIGINT. The simulator is compiled into a private temp directory (not the shared dist/, which other
 * builds clean), with the same compiler the build uses.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
let outDir: string;
let cliPath: string;
const children = new Set<ChildProcess>();

beforeAll(() => {
	outDir = mkdtempSync(join(tmpdir(), 'batch-sim-cli-'));
	execFileSync(
		process.execPath,
		[
			require.resolve('typescript/bin/tsc'),
			join(root, 'simulator/cli.ts'),
			'--outDir', outDir,
			'--rootDir', root,
			'--module', 'commonjs',
			'--target', 'es2021',
			'--strict',
			'--esModuleInterop',
			'--skipLibCheck',
			'--types', 'node',
		],
		{ cwd: root, stdio: 'pipe' },
	);
	cliPath = join(outDir, 'simulator/cli.js');
}, 120_000);

afterAll(() => {
	for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
	rmSync(outDir, { recursive: true, force: true });
});

interface Started {
	child: ChildProcess;
	url: string;
	stdout: () => string;
	stderr: () => string;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(args: string[], env: Record<string, string> = {}): Promise<Started> {
	const child = spawn(process.execPath, [cliPath, ...args], {
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	children.add(child);
	let out = '';
	let err = '';
	child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
	child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
		child.on('exit', (code, signal) => r({ code, signal })),
	);
	return new Promise((resolvePromise, reject) => {
		const timer = setTimeout(() => reject(new Error(`no ready line; stdout=${out} stderr=${err}`)), 15_000);
		const onData = () => {
			const m = /Batch simulator listening on (http:\/\/\S+)\n/.exec(out);
			if (m) {
				clearTimeout(timer);
				child.stdout!.off('data', onData);
				resolvePromise({ child, url: m[1], stdout: () => out, stderr: () => err, exited });
			}
		};
		child.stdout!.on('data', onData);
		exited.then(({ code }) => {
			clearTimeout(timer);
			reject(new Error(`exited ${code} before ready; stdout=${out} stderr=${err}`));
		});
	});
}

function runToEnd(args: string[], env: Record<string, string> = {}) {
	return new Promise<{ code: number | null; stdout: string; stderr: string }>((r) => {
		const child = spawn(process.execPath, [cliPath, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
		children.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
		child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
		child.on('exit', (code) => r({ code, stdout, stderr }));
	});
}

it('starts with flags, prints one ready line, serves, and stops on SIGTERM', async () => {
	const s = await start([
		'--port', '0',
		'--rest-api-key', 'cli-rest',
		'--project-key', 'project_cli',
		'--ios-api-key', 'CLI_IOS',
		'--android-api-key', 'CLI_ANDROID',
		'--rate-limit', '2',
		'--rate-limit-burst', '2',
	]);
	expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	expect(s.stdout().trim().split('\n')).toHaveLength(1);

	const headers = { Authorization: 'Bearer cli-rest', 'X-Batch-Project': 'project_cli' };
	const body = JSON.stringify([{ identifiers: { custom_id: 'a' } }, { identifiers: { custom_id: 'b' } }]);
	expect((await fetch(`${s.url}/2.11/profiles/update`, { method: 'POST', headers, body })).status).toBe(202);
	// Burst of 2 used up → 429.
	expect((await fetch(`${s.url}/2.11/profiles/update`, { method: 'POST', headers, body })).status).toBe(429);
	const te = await fetch(`${s.url}/1.0/CLI_ANDROID/events/users/a`, {
		method: 'POST',
		headers: { 'X-Authorization': 'cli-rest' },
		body: JSON.stringify({ events: [{ name: 'e' }] }),
	});
	expect(te.status).toBe(202);
	const state = (await (await fetch(`${s.url}/_simulator/state`)).json()) as any;
	expect(Object.keys(state.profiles.custom_id)).toEqual(['a', 'b']);
	expect(state.triggerEvents).toHaveLength(1);

	s.child.kill('SIGTERM');
	expect(await s.exited).toEqual({ code: 0, signal: null });
	for (const secret of ['cli-rest', 'project_cli', 'CLI_IOS', 'CLI_ANDROID']) {
		expect(s.stdout() + s.stderr()).not.toContain(secret);
	}
	await expect(fetch(`${s.url}/_simulator/health`)).rejects.toThrow();
}, 30_000);

it('reads BATCH_SIM_* environment variables and stops on SIGINT', async () => {
	const s = await start([], {
		BATCH_SIM_REST_API_KEY: 'env-rest',
		BATCH_SIM_PROJECT_KEY: 'project_env',
		BATCH_SIM_NO_RATE_LIMIT: '1',
	});
	const headers = { Authorization: 'Bearer env-rest', 'X-Batch-Project': 'project_env' };
	const body = JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ identifiers: { custom_id: `u${i}` } })));
	for (let i = 0; i < 8; i++) {
		expect((await fetch(`${s.url}/2.11/profiles/update`, { method: 'POST', headers, body })).status).toBe(202);
	}
	s.child.kill('SIGINT');
	expect((await s.exited).code).toBe(0);
}, 30_000);

it('--help prints usage and exits 0; a bad flag exits 2', async () => {
	const help = await runToEnd(['--help']);
	expect(help.code).toBe(0);
	expect(help.stdout).toContain('--rest-api-key');
	expect(help.stdout).toContain('--no-rate-limit');
	const bad = await runToEnd(['--bogus']);
	expect(bad.code).toBe(2);
	expect(bad.stderr).toContain('Unknown argument: --bogus');
	const badRate = await runToEnd(['--rate-limit', 'zero']);
	expect(badRate.code).toBe(2);
}, 30_000);
