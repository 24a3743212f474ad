/**
 * Purchasely Trigger 1.1 in a real n8n 2.41.1 started with N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true
 * and the expression-engine counter (scripts/n8n/expressionEngineCounter.js) loaded into it:
 *  - 1.1 answers valid / forged / filtered requests as version 1 does (200 + execution, 401, 200 "ignored");
 *  - n8n resolves 1.1's webhook description natively: a refused or filtered request makes n8n
 *    evaluate no expression and build no isolate, where version 1 still costs an evaluation each;
 *  - a saved version-1 workflow keeps working next to it.
 * Counts, not times: nothing here measures speed (bench/inbound.js does).
 * This file starts its own n8n (engine settings differ from the shared one of the run).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	expressionEngineCounterEnv,
	installedPackageDir,
	installedSigning,
	installedTestEvents,
	packPackage,
	postRaw,
	postSigned,
	readEngineCounts,
	runOnN8nNode,
	startN8n,
	type N8n,
	type Workflow,
} from './support';
import { triggerToNoOp } from './workflows';

interface EngineCounts {
	evaluations: number;
	acquisitions: number;
	isolates: number;
	hooked: string[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Purchasely Trigger 1.1 in n8n 2.41.1, lazy isolate acquisition', () => {
	const secret = `e2e_${Math.random().toString(36).slice(2)}_${Date.now()}`;
	const counterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-counter-'));
	let n8n: N8n;
	const wf: Record<'v11' | 'v1' | 'v11After', Workflow> = {} as never;
	const url: Record<keyof typeof wf, string> = {} as never;

	/** The counter's figures for n8n main, once its file has caught up (it writes every 100 ms). */
	async function counts(): Promise<EngineCounts> {
		await sleep(400);
		const c = readEngineCounts(counterDir, n8n.pid as number) as EngineCounts | undefined;
		if (!c) throw new Error(`no counter file for n8n pid ${n8n.pid} in ${counterDir}`);
		return c;
	}

	/** Engine work n8n did while `send` ran (differences of the counters). */
	async function engineWorkOf(send: () => Promise<void>): Promise<Omit<EngineCounts, 'hooked'>> {
		const before = await counts();
		await send();
		const after = await counts();
		return {
			evaluations: after.evaluations - before.evaluations,
			acquisitions: after.acquisitions - before.acquisitions,
			isolates: after.isolates - before.isolates,
		};
	}

	function event(eventName: string, userId: string): Buffer {
		const ev = installedTestEvents(n8n);
		return ev.serializeTestEvent(ev.buildTestEvent({ eventName, userId }));
	}

	function forged(target: string, body: Buffer) {
		const headers = installedSigning(n8n).sign({ secret: 'not-the-secret', timestamp: String(Math.floor(Date.now() / 1000)), rawBody: body });
		return postRaw(target, body, headers);
	}

	const executionCount = async (w: Workflow) => (await n8n.listExecutions({ workflowId: w.id })).length;

	beforeAll(async () => {
		const tarball = process.env.E2E_TARBALL && fs.existsSync(process.env.E2E_TARBALL) ? process.env.E2E_TARBALL : await packPackage();
		n8n = await startN8n({
			tarball,
			env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', ...expressionEngineCounterEnv(counterDir) },
		});
		const cred = await n8n.createCredential({ name: 'Purchasely (1.1 e2e)', type: 'purchaselyWebhookApi', data: { sharedSecret: secret } });
		const defs = {
			v11: triggerToNoOp('e2e trigger 1.1', { typeVersion: 1.1, events: ['ACTIVATE'] }),
			v1: triggerToNoOp('e2e trigger 1 (saved workflow)', { typeVersion: 1, events: ['ACTIVATE'] }),
			v11After: triggerToNoOp('e2e trigger 1.1 respond after workflow', { typeVersion: 1.1, events: ['ACTIVATE'], acknowledge: 'afterWorkflow' }),
		};
		for (const [key, def] of Object.entries(defs) as Array<[keyof typeof wf, (typeof defs)['v1']]>) {
			wf[key] = await n8n.importWorkflow(def, { credentials: { purchaselyWebhookApi: cred } });
			await n8n.activate(wf[key]);
			url[key] = n8n.webhookUrl(wf[key]);
		}
		for (const u of Object.values(url)) await n8n.waitForWebhook(u);
		// One valid event each first: n8n's first request on a path warms caches (not what is compared).
		for (const key of Object.keys(url) as Array<keyof typeof wf>) {
			expect((await postSigned(n8n, url[key], event('ACTIVATE', `warm-${key}`), secret)).status).toBe(200);
		}
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await n8n?.stop();
		fs.rmSync(counterDir, { recursive: true, force: true });
	});

	test('n8n resolves the installed 1.1 description natively (its own n8n-workflow says so)', async () => {
		const pkgDir = installedPackageDir(n8n);
		const script = `
			const path = require('node:path');
			const w = require('n8n-workflow');
			const { PurchaselyTrigger } = require(path.join(${JSON.stringify(pkgDir)}, 'dist/nodes/PurchaselyTrigger/PurchaselyTrigger.node.js'));
			const d = new PurchaselyTrigger().description;
			const [webhook] = d.webhooks;
			const resolve = (parameters, field) => w.resolveWebhookDescriptionField({ parameters }, webhook, field);
			process.stdout.write(JSON.stringify({
				version: d.version, defaultVersion: d.defaultVersion,
				nativelyResolvable: w.webhookDescriptionIsNativelyResolvable(webhook),
				immediately: [resolve({ acknowledge: 'immediately' }, 'responseMode'), resolve({ acknowledge: 'immediately' }, 'responseData')],
				afterWorkflow: [resolve({ acknowledge: 'afterWorkflow' }, 'responseMode'), resolve({ acknowledge: 'afterWorkflow' }, 'responseData')],
				withExpression: resolve({ acknowledge: '={{ "afterWorkflow" }}' }, 'responseMode'),
			}));`;
		const seen = await runOnN8nNode<Record<string, unknown>>(n8n, script, { cwd: os.tmpdir(), what: 'resolving the description' });
		expect(seen).toEqual({
			version: [1, 1.1],
			defaultVersion: 1.1,
			nativelyResolvable: true,
			immediately: [
				{ resolved: true, value: 'onReceived' },
				{ resolved: true, value: '' },
			],
			afterWorkflow: [
				{ resolved: true, value: 'lastNode' },
				{ resolved: true, value: 'noData' },
			],
			withExpression: { resolved: false }, // a parameter the user wrote as an expression goes to the engine
		});
	});

	test('the counter is loaded into n8n main and sees its expression engine', async () => {
		const c = await counts();
		expect(c.hooked.sort()).toEqual(['acquisitions:acquire', 'evaluations:renderExpression', 'isolates:initialize', 'isolates:initializeSync']);
	});

	test('1.1: a valid event is answered 200 {"received":true} and runs the workflow', async () => {
		const before = await executionCount(wf.v11);
		const res = await postSigned(n8n, url.v11, event('ACTIVATE', 'v11-valid'), secret);
		expect(res.status).toBe(200);
		expect(res.json).toEqual({ received: true });
		const execs = await n8n.waitForExecutions(wf.v11.id, before + 1, { includeData: true });
		const run = execs.find((e) => JSON.stringify(e.data?.resultData?.runData?.['Purchasely Trigger'] ?? '').includes('v11-valid'));
		expect(run?.status).toBe('success');
		expect(Object.keys(run!.data.resultData.runData).sort()).toEqual(['No Operation', 'Purchasely Trigger']);
	});

	test('1.1: forged (401) and filtered (200 "ignored") requests start nothing and cost no expression evaluation, no isolate', async () => {
		const before = await executionCount(wf.v11);
		const work = await engineWorkOf(async () => {
			for (let i = 0; i < 5; i++) {
				const f = await forged(url.v11, event('ACTIVATE', `v11-forged-${i}`));
				expect(f.status).toBe(401);
				expect(f.json).toMatchObject({ error: 'invalid signature' });
				const i2 = await postSigned(n8n, url.v11, event('RENEWAL_DISABLED', `v11-filtered-${i}`), secret);
				expect(i2.status).toBe(200);
				expect(i2.json).toMatchObject({ received: true, ignored: expect.stringContaining('RENEWAL_DISABLED') });
			}
		});
		expect(work.evaluations).toBe(0);
		expect(work.isolates).toBe(0);
		expect(work.acquisitions).toBeGreaterThanOrEqual(10); // n8n still opens (lazy) scopes: the counter sees each request
		await sleep(500);
		expect(await executionCount(wf.v11)).toBe(before);
	});

	test('version 1 (saved workflows): same answers, but n8n evaluates an expression on each request', async () => {
		const before = await executionCount(wf.v1);
		const work = await engineWorkOf(async () => {
			expect((await forged(url.v1, event('ACTIVATE', 'v1-forged'))).status).toBe(401);
			const filtered = await postSigned(n8n, url.v1, event('RENEWAL_DISABLED', 'v1-filtered'), secret);
			expect(filtered.status).toBe(200);
			expect(filtered.json).toMatchObject({ ignored: expect.stringContaining('RENEWAL_DISABLED') });
		});
		// $parameter["options"]["binaryData"] (n8n's parseRequestBody, typeVersion exactly 1) and the
		// response fields, whose resolvers n8n would use but the binaryData read needs the engine anyway.
		expect(work.evaluations).toBeGreaterThanOrEqual(2);
		expect(await executionCount(wf.v1)).toBe(before);
		const valid = await postSigned(n8n, url.v1, event('ACTIVATE', 'v1-valid'), secret);
		expect(valid.status).toBe(200);
		expect(valid.json).toEqual({ received: true });
		const execs = await n8n.waitForExecutions(wf.v1.id, before + 1);
		expect(execs.length).toBe(before + 1);
	});

	test('1.1: a signed body with a content type n8n does not parse past version 1 is still verified and accepted', async () => {
		const before = await executionCount(wf.v11);
		const body = event('ACTIVATE', 'v11-octet');
		const headers = installedSigning(n8n).sign({ secret, timestamp: String(Math.floor(Date.now() / 1000)), rawBody: body });
		const res = await postRaw(url.v11, body, { ...headers, 'content-type': 'application/octet-stream' });
		expect(res.status).toBe(200);
		const execs = await n8n.waitForExecutions(wf.v11.id, before + 1, { includeData: true });
		expect(JSON.stringify(execs.map((e) => e.data?.resultData?.runData?.['Purchasely Trigger']))).toContain('v11-octet');
	});

	test('1.1 with Respond "When the Workflow Finishes": n8n answers after the run (resolved natively), refusals stay 401', async () => {
		const res = await postSigned(n8n, url.v11After, event('ACTIVATE', 'v11-after'), secret);
		expect(res.status).toBe(200);
		expect(res.text).toBe(''); // n8n's "lastNode" + "noData": empty 200 once the execution succeeded
		const work = await engineWorkOf(async () => {
			expect((await forged(url.v11After, event('ACTIVATE', 'v11-after-forged'))).status).toBe(401);
		});
		expect(work.evaluations).toBe(0);
	});
});
