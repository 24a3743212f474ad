/**
 * Shared helpers of the end-to-end suite: the n8n started by globalSetup.js, a Batch simulator
 * per test file, credentials pointing at it, and Purchasely signing/sending done with the code of
 * the package as installed in n8n (its tarball), not with the repository sources.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { connectN8n, httpJson, type CredentialRef, type HttpResult, type N8n } from '../../scripts/n8n/harness';
import { runBounded } from '../../scripts/n8n/processes';
import { startBatchSimulator, type BatchSimulator, type BatchSimulatorOptions } from '../../simulator/batchSimulator';

export * from '../../scripts/n8n/harness';

/** The n8n started once for the whole e2e run (globalSetup.js). */
export function sharedN8n(): N8n {
	const state = process.env.E2E_N8N_STATE;
	if (!state) throw new Error('E2E_N8N_STATE is not set: run the e2e suite with jest -c jest.e2e.config.js');
	return connectN8n(state);
}

export interface TestKeys {
	restApiKey: string;
	projectKey: string;
	iosApiKey: string;
	androidApiKey: string;
	sharedSecret: string;
}

/** Random test keys (never printed): each file gets its own. */
export function randomKeys(): TestKeys {
	const r = (n: number) => randomBytes(n).toString('hex');
	return {
		restApiKey: `rest_${r(12)}`,
		projectKey: `project_${r(8)}`,
		iosApiKey: `IOS${r(10).toUpperCase()}`,
		androidApiKey: `AND${r(10).toUpperCase()}`,
		sharedSecret: `secret_${r(16)}`,
	};
}

/** A Batch simulator on a free loopback port, in this process (`options` e.g. recordBodies); close() it in afterAll. */
export function startSimulator(keys: TestKeys, options: BatchSimulatorOptions = {}): Promise<BatchSimulator> {
	return startBatchSimulator({
		...options,
		host: '127.0.0.1',
		restApiKey: keys.restApiKey,
		projectKey: keys.projectKey,
		appApiKeys: { ios: keys.iosApiKey, android: keys.androidApiKey },
	});
}

/** Both credentials of the package in n8n, Batch pointed at `batchBaseUrl` (the simulator). */
export async function createCredentials(
	n8n: N8n,
	keys: TestKeys,
	batchBaseUrl: string,
	label = 'e2e',
): Promise<PackageCredentials> {
	const batchApi = await n8n.createCredential({
		name: `Batch (${label})`,
		type: 'batchApi',
		data: {
			restApiKey: keys.restApiKey,
			projectKey: keys.projectKey,
			iosApiKey: keys.iosApiKey,
			androidApiKey: keys.androidApiKey,
			baseUrl: batchBaseUrl,
		},
	});
	const purchaselyWebhookApi = await n8n.createCredential({
		name: `Purchasely (${label})`,
		type: 'purchaselyWebhookApi',
		data: { sharedSecret: keys.sharedSecret },
	});
	return { batchApi, purchaselyWebhookApi };
}

/** Both credentials of the package, as createCredentials() made them. */
export type PackageCredentials = {
	batchApi: CredentialRef;
	purchaselyWebhookApi: CredentialRef;
};

/** What useSimulatorAndCredentials() sets up: keys at once, the rest once its beforeAll has run. */
export interface SimulatorAndCredentials {
	keys: TestKeys;
	n8n: N8n;
	sim: BatchSimulator;
	creds: PackageCredentials;
}

/**
 * The usual setup of a test file (or describe block): its beforeAll takes the shared n8n, starts a Batch
 * simulator with random keys (`simulatorOptions`, e.g. recordBodies) and creates both credentials (named after
 * `label`) pointing at it; its afterAll closes the simulator. Returns the object those hooks fill in.
 */
export function useSimulatorAndCredentials(label: string, simulatorOptions: BatchSimulatorOptions = {}): SimulatorAndCredentials {
	const setup = { keys: randomKeys() } as SimulatorAndCredentials;
	beforeAll(async () => {
		setup.n8n = sharedN8n();
		setup.sim = await startSimulator(setup.keys, simulatorOptions);
		setup.creds = await createCredentials(setup.n8n, setup.keys, setup.sim.url, label);
	});
	afterAll(async () => {
		await setup.sim?.close();
	});
	return setup;
}

/** The package as n8n has it installed (from the tarball). */
export function installedPackageDir(n8n: N8n): string {
	const dir = n8n.packageInstall?.packageDir;
	if (!dir || !fs.existsSync(dir)) throw new Error('the package is not installed in this n8n');
	return dir;
}

/**
 * Loads the installed package's node files the way n8n does (on n8n's Node, with n8n's own
 * node_modules on NODE_PATH, as n8n sets it at start-up) in a child process, and returns the file
 * each `n8n-workflow` require resolved to. Bounded in time.
 */
export function n8nWorkflowSeenByPackage(n8n: N8n): Promise<string[]> {
	const pkgDir = installedPackageDir(n8n);
	const script = `
		const path = require('node:path');
		const pkg = require(path.join(${JSON.stringify(pkgDir)}, 'package.json'));
		for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) require(path.join(${JSON.stringify(pkgDir)}, f));
		const seen = Object.keys(require.cache).filter((k) => /[\\/]n8n-workflow[\\/]dist[\\/](cjs[\\/])?index\.js$/.test(k));
		process.stdout.write(JSON.stringify(seen));`;
	return runOnN8nNode<string[]>(n8n, script, { cwd: os.tmpdir(), what: 'loading the package' });
}

/**
 * Runs `script` on n8n's own Node in a child process with n8n's node_modules on NODE_PATH (as n8n
 * sets it at start-up, so the installed package's require('n8n-workflow') resolves there) and
 * returns the JSON it writes to stdout. Bounded in time (60 s).
 */
export async function runOnN8nNode<T>(n8n: N8n, script: string, options: { cwd: string; what: string }): Promise<T> {
	const nm = path.join(n8n.install.n8nDir, 'node_modules');
	const r = await runBounded(n8n.install.nodeBin, ['-e', script], {
		cwd: options.cwd,
		env: { PATH: process.env.PATH ?? '', NODE_PATH: [path.join(nm, 'n8n', 'node_modules'), nm].join(path.delimiter) },
		timeoutMs: 60_000,
		what: options.what,
	});
	if (r.code !== 0) throw new Error(`${options.what} failed (${r.signal ?? r.code}): ${r.stderr.slice(0, 2000)}`);
	return JSON.parse(r.stdout) as T;
}

interface SigningModule {
	sign(input: { secret: string; timestamp: string; rawBody: Buffer | string; scheme?: 'request' | 'legacy' }): Record<string, string>;
}
interface TestEventModule {
	buildTestEvent(options?: Record<string, unknown>): Record<string, unknown>;
	serializeTestEvent(event: Record<string, unknown>): Buffer;
}

/** The installed package's own signing module (dist/nodes/PurchaselyTrigger/signature.js). */
export function installedSigning(n8n: N8n): SigningModule {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path.join(installedPackageDir(n8n), 'dist/nodes/PurchaselyTrigger/signature.js')) as SigningModule;
}

/** The installed package's own test-event builder (dist/nodes/PurchaselyTrigger/testEvent.js). */
export function installedTestEvents(n8n: N8n): TestEventModule {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(path.join(installedPackageDir(n8n), 'dist/nodes/PurchaselyTrigger/testEvent.js')) as TestEventModule;
}

/** POSTs raw bytes with headers to a loopback URL (content-type application/json unless given). */
export function postRaw(url: string, body: Buffer | string, headers: Record<string, string>): Promise<HttpResult> {
	return httpJson('POST', url, { body: Buffer.from(body), headers: { 'content-type': 'application/json', ...headers }, timeoutMs: 60_000 });
}

/** Signs `rawBody` with the installed package's signing module and POSTs it. */
export function postSigned(n8n: N8n, url: string, rawBody: Buffer | string, secret: string): Promise<HttpResult> {
	const headers = installedSigning(n8n).sign({ secret, timestamp: String(Math.floor(Date.now() / 1000)), rawBody });
	return postRaw(url, rawBody, headers);
}

export interface CommandResult {
	code: number | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs the installed package's `send-test-event` command (its bin, as npm installed it) on the
 * system Node, bounded in time. The shared secret goes through the environment, never argv.
 */
export async function runSendTestEvent(
	n8n: N8n,
	args: string[],
	env: Record<string, string> = {},
	timeoutMs = 60_000,
): Promise<CommandResult> {
	const bin = path.join(installedPackageDir(n8n), 'dist/bin/send-test-event.js');
	const { code, stdout, stderr } = await runBounded(process.execPath, [bin, ...args], {
		env: { ...process.env, ...env },
		timeoutMs,
		what: 'send-test-event',
	});
	return { code, stdout, stderr };
}

/**
 * Asserts "this request started no execution" without timing: sends a control request that
 * does start one, waits for it, and returns the executions; the caller checks the count grew
 * by exactly one (n8n handles a workflow's webhook calls in order of arrival here, and the
 * refused request was answered before the control one was sent).
 */
export async function executionsAfterControl(
	n8n: N8n,
	workflowId: string,
	before: number,
	sendControl: () => Promise<HttpResult>,
): Promise<{ count: number; control: HttpResult }> {
	const control = await sendControl();
	const execs = await n8n.waitForExecutions(workflowId, before + 1);
	return { count: execs.length, control };
}

export type { BatchSimulator };
