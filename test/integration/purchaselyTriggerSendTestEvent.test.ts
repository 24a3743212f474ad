/**
 * `send-test-event`, compiled from bin/send-test-event.ts and run as a child process on the
 * system Node, against (1) a local receiver that checks signatures with the trigger's own
 * signature module and (2) the Purchasely Trigger itself through a genuine n8n WebhookContext.
 * Only 127.0.0.1; every server is closed and every child process bounded in time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { PurchaselyTrigger } from '../../nodes/PurchaselyTrigger/PurchaselyTrigger.node';
import { headerValue, verifySignature } from '../../nodes/PurchaselyTrigger/signature';
import { postBytes, startTriggerHarness, type TriggerHarness } from '../helpers/n8nWebhookContext';

const ROOT = join(__dirname, '../..');
const SECRET = 'cli-shared-secret-9b2e41';
const FIXTURE = join(ROOT, 'test/fixtures/purchasely/v3-renewal-disabled.json');

let outDir: string;
let script: string;

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
}

function runCli(args: string[], env: Record<string, string> = { PURCHASELY_SHARED_SECRET: SECRET }): Promise<Run> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [script, ...args], {
			env: { PATH: process.env.PATH ?? '', ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
		const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr });
		});
	});
}

interface Received {
	headers: IncomingHttpHeaders;
	body: Buffer;
	verified: ReturnType<typeof verifySignature>;
}

/** Answers 200 when the signature verifies with SECRET (legacy accepted), 401 otherwise. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close: () => Promise<void> }> {
	const received: Received[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const verified = verifySignature({ secret: SECRET, headers: req.headers, rawBody: body, allowLegacy: true });
			received.push({ headers: req.headers, body, verified });
			res.statusCode = verified.ok ? 200 : 401;
			res.setHeader('Content-Type', 'application/json');
			res.end(JSON.stringify(verified.ok ? { ok: true } : { error: 'invalid signature' }));
		});
	});
	server.requestTimeout = 10_000;
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	const safety = setTimeout(() => server.close(), 60_000);
	safety.unref();
	return {
		url: `http://127.0.0.1:${port}/webhook/abc/webhook`,
		received,
		close: async () => {
			clearTimeout(safety);
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

beforeAll(() => {
	// Compile the command and what it imports into a scratch folder, as `npm run build` would.
	outDir = mkdtempSync(join(tmpdir(), 'send-test-event-'));
	const tsc = require.resolve('typescript/bin/tsc');
	const compiled = spawnSync(
		process.execPath,
		[
			tsc,
			'--outDir',
			outDir,
			'--rootDir',
			ROOT,
			'--module',
			'commonjs',
			'--target',
			'es2021',
			'--moduleResolution',
			'node',
			'--strict',
			'--esModuleInterop',
			'--skipLibCheck',
			'--types',
			'node',
			join(ROOT, 'bin/send-test-event.ts'),
		],
		{ encoding: 'utf8', timeout: 120_000 },
	);
	if (compiled.status !== 0) throw new Error(`tsc failed:\n${compiled.stdout}\n${compiled.stderr}`);
	script = join(outDir, 'bin/send-test-event.js');
	expect(readFileSync(script, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
}, 130_000);

afterAll(() => {
	if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('send-test-event', () => {
	let receiver: Awaited<ReturnType<typeof startReceiver>>;
	beforeAll(async () => {
		receiver = await startReceiver();
	});
	afterAll(async () => {
		await receiver.close();
	});

	it('--help explains every option and exits 0', async () => {
		const run = await runCli(['--help'], {});
		expect(run.code).toBe(0);
		for (const option of [
			'--url',
			'--secret',
			'PURCHASELY_SHARED_SECRET',
			'--event',
			'--user-id',
			'--anonymous-user-id',
			'--store',
			'--plan',
			'--product',
			'--environment',
			'--timestamp',
			'--legacy-signature',
			'--body-file',
			'--dry-run',
			'--timeout',
		]) {
			expect(run.stdout).toContain(option);
		}
	});

	it('sends a realistic event signed like Purchasely; the receiver verifies it', async () => {
		const run = await runCli([
			'--url',
			receiver.url,
			'--event',
			'renewal_disabled',
			'--user-id',
			'user-77',
			'--store',
			'GOOGLE_PLAY_STORE',
			'--plan',
			'gold_monthly',
			'--product',
			'gold',
			'--environment',
			'PRODUCTION',
		]);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('HTTP 200');
		const last = receiver.received[receiver.received.length - 1];
		expect(last.verified).toMatchObject({ ok: true, scheme: 'request' });
		expect(last.headers['content-type']).toBe('application/json');
		expect(JSON.parse(last.body.toString('utf8'))).toMatchObject({
			api_version: 3,
			event_name: 'RENEWAL_DISABLED',
			user_id: 'user-77',
			store: 'GOOGLE_PLAY_STORE',
			plan: 'gold_monthly',
			product: 'gold',
			environment: 'PRODUCTION',
		});
		expect(run.stdout + run.stderr).not.toContain(SECRET);
	});

	it('signs with the legacy scheme on request', async () => {
		const run = await runCli(['--url', receiver.url, '--legacy-signature', '--anonymous-user-id', 'anon-5']);
		expect(run.code).toBe(0);
		const last = receiver.received[receiver.received.length - 1];
		expect(last.verified).toMatchObject({ ok: true, scheme: 'legacy' });
		expect(headerValue(last.headers, 'x-purchasely-request-signature')).toBeUndefined();
		const body = JSON.parse(last.body.toString('utf8'));
		expect(body.anonymous_user_id).toBe('anon-5');
		expect(body).not.toHaveProperty('user_id');
	});

	it('sends a --body-file byte for byte and honours --timestamp and --secret', async () => {
		const run = await runCli(['--url', receiver.url, '--body-file', FIXTURE, '--timestamp', '1698322022', '--secret', SECRET], {});
		expect(run.code).toBe(0);
		const last = receiver.received[receiver.received.length - 1];
		expect(last.body.equals(readFileSync(FIXTURE))).toBe(true);
		expect(headerValue(last.headers, 'x-purchasely-timestamp')).toBe('1698322022');
		expect(last.verified.ok).toBe(true);
		expect(run.stdout + run.stderr).not.toContain(SECRET);
	});

	it('exits 1 and prints the answer when the receiver refuses (wrong secret)', async () => {
		const run = await runCli(['--url', receiver.url], { PURCHASELY_SHARED_SECRET: 'some-other-secret' });
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('HTTP 401');
		expect(run.stdout).toContain('invalid signature');
		expect(run.stdout + run.stderr).not.toContain('some-other-secret');
	});

	it('--dry-run prints the signed request without sending it or printing the secret', async () => {
		const before = receiver.received.length;
		const run = await runCli(['--url', receiver.url, '--dry-run', '--event', 'ACTIVATE']);
		expect(run.code).toBe(0);
		expect(receiver.received.length).toBe(before);
		expect(run.stdout).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\//);
		expect(run.stdout).toMatch(/X-PURCHASELY-REQUEST-SIGNATURE: [0-9a-f]{64}/);
		expect(run.stdout).toMatch(/X-PURCHASELY-TIMESTAMP: \d+/);
		expect(run.stdout).toContain('"event_name":"ACTIVATE"');
		expect(run.stdout + run.stderr).not.toContain(SECRET);
	});

	it('warns about an undocumented event name but sends it', async () => {
		const run = await runCli(['--url', receiver.url, '--event', 'SUBSCRIPTION_TELEPORTED']);
		expect(run.code).toBe(0);
		expect(run.stderr).toContain('SUBSCRIPTION_TELEPORTED is not a documented Purchasely event name');
	});

	it.each([
		[['--event', 'ACTIVATE'], { PURCHASELY_SHARED_SECRET: SECRET }, '--url is required'],
		[['--url', 'http://127.0.0.1:9/x'], {}, 'PURCHASELY_SHARED_SECRET'],
		[['--url', 'ftp://127.0.0.1/x'], { PURCHASELY_SHARED_SECRET: SECRET }, 'http:// or https://'],
		[['--url', 'http://127.0.0.1:9/x', '--environment', 'STAGING'], { PURCHASELY_SHARED_SECRET: SECRET }, 'PRODUCTION or SANDBOX'],
		[['--url', 'http://127.0.0.1:9/x', '--timestamp', 'yesterday'], { PURCHASELY_SHARED_SECRET: SECRET }, '--timestamp'],
		[['--url', 'http://127.0.0.1:9/x', '--bogus'], { PURCHASELY_SHARED_SECRET: SECRET }, 'unknown option --bogus'],
		[['--url'], { PURCHASELY_SHARED_SECRET: SECRET }, '--url needs a value'],
	])('usage error %j exits 2 with a clear message', async (args, env, message) => {
		const run = await runCli(args, env);
		expect(run.code).toBe(2);
		expect(run.stderr).toContain(message);
	});

	it('exits 1 when nothing listens at the URL', async () => {
		const closed = await startReceiver();
		const url = closed.url;
		await closed.close();
		const run = await runCli(['--url', url, '--timeout', '5']);
		expect(run.code).toBe(1);
		expect(run.stderr).toContain('request failed');
	});
});

describe('send-test-event against the Purchasely Trigger (genuine n8n WebhookContext)', () => {
	let trigger: TriggerHarness;
	beforeAll(async () => {
		trigger = await startTriggerHarness({
			nodeType: new PurchaselyTrigger(),
			typeName: 'n8n-nodes-purchasely-batch.purchaselyTrigger',
			credentialType: 'purchaselyWebhookApi',
			credentialData: { sharedSecret: SECRET },
			parameters: { events: ['SUBSCRIPTION_RENEWED'] },
		});
	});
	afterAll(async () => {
		await trigger.close();
	});

	it('starts the workflow with the event it sent', async () => {
		const run = await runCli(['--url', trigger.url, '--event', 'SUBSCRIPTION_RENEWED', '--user-id', 'user-31']);
		expect(run.code).toBe(0);
		expect(run.stdout).toContain('HTTP 200');
		const result = trigger.handled[trigger.handled.length - 1].result;
		const json = result?.workflowData?.[0][0].json as IDataObject;
		expect(json.meta).toMatchObject({ eventName: 'SUBSCRIPTION_RENEWED', userId: 'user-31', sandbox: true });
	});

	it('is refused by the trigger with a stale --timestamp (401, exit 1)', async () => {
		const run = await runCli(['--url', trigger.url, '--event', 'SUBSCRIPTION_RENEWED', '--timestamp', '1698322022']);
		expect(run.code).toBe(1);
		expect(run.stdout).toContain('HTTP 401');
		expect(trigger.handled[trigger.handled.length - 1].result?.workflowData).toBeUndefined();
	});

	it('gets a 200 without execution for an event the trigger does not select', async () => {
		const run = await runCli(['--url', trigger.url, '--event', 'ACTIVATE']);
		expect(run.code).toBe(0);
		expect(trigger.handled[trigger.handled.length - 1].result?.workflowData).toBeUndefined();
		// And the same bytes re-sent with a forged signature are refused.
		const answer = await postBytes(trigger.url, '{"event_name":"ACTIVATE"}', {
			'Content-Type': 'application/json',
			'X-PURCHASELY-TIMESTAMP': String(Math.floor(Date.now() / 1000)),
			'X-PURCHASELY-REQUEST-SIGNATURE': '0'.repeat(64),
		});
		expect(answer.status).toBe(401);
	});
});
