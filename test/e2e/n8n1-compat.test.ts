/**
 * Compatibility smoke test: the same package tarball in n8n 1.123.81 (Node 22). Runs only with
 * E2E_N8N1=1 (.ci/run sets it): the first run installs n8n 1.x into the cache (about 3-4 min).
 * 1.x differences the harness handles: it reads WEBHOOK_URL (not N8N_WEBHOOK_URL), must not get
 * N8N_DISABLED_MODULES=mcp-registry, and reports ready before its REST routes are mounted.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	createCredentials,
	installedSigning,
	installedTestEvents,
	n8nWorkflowSeenByPackage,
	packPackage,
	postRaw,
	postSigned,
	randomKeys,
	runOnN8nNode,
	runSendTestEvent,
	startN8n,
	startSimulator,
	type BatchSimulator,
	type N8n,
	type Workflow,
} from './support';
import { triggerToBatchTrackEvent, triggerToBatchV2AndV1, triggerToNoOp } from './workflows';

const enabled = process.env.E2E_N8N1 === '1';
const maybe = enabled ? describe : describe.skip;

maybe('n8n 1.x (1.123.81 on Node 22) loads the same tarball and runs trigger → Batch', () => {
	const keys = randomKeys();
	let n8n: N8n;
	let sim: BatchSimulator;
	let wf: Workflow;
	let url: string;

	beforeAll(async () => {
		const tarball = process.env.E2E_TARBALL && fs.existsSync(process.env.E2E_TARBALL) ? process.env.E2E_TARBALL : await packPackage();
		sim = await startSimulator(keys);
		n8n = await startN8n({ target: 'n8n1', tarball });
		const creds = await createCredentials(n8n, keys, sim.url, 'n8n1');
		wf = await n8n.importWorkflow(
			triggerToBatchTrackEvent('e2e n8n1: trigger to batch', { acknowledge: 'afterWorkflow', batchOptions: { maxAttempts: 2, maxRetryDuration: 5 } }),
			{ credentials: creds },
		);
		await n8n.activate(wf);
		url = n8n.webhookUrl(wf);
		await n8n.waitForWebhook(url);
	}, 15 * 60 * 1000);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.close();
	});

	test('it is really n8n 1.x, with the package installed and no second n8n-workflow', () => {
		expect(n8n.n8nVersion).toMatch(/^1\./);
		expect(n8n.packageInstall!.installed.sort()).toEqual(['n8n-nodes-purchasely-batch', 'undici']);
		expect(fs.existsSync(path.join(n8n.packageInstall!.nodesDir, 'node_modules', 'n8n-workflow'))).toBe(false);
	});

	test("the package's nodes, loaded as n8n 1.x loads them, get n8n's own (1.x) n8n-workflow", async () => {
		const seen = await n8nWorkflowSeenByPackage(n8n);
		expect(seen.length).toBeGreaterThan(0);
		for (const file of seen) expect(file.startsWith(path.join(n8n.install.n8nDir, 'node_modules') + path.sep)).toBe(true);
	});

	test('a signed event reaches Batch once and n8n records a successful execution', async () => {
		const result = await runSendTestEvent(n8n, ['--url', url, '--event', 'ACTIVATE', '--user-id', 'n8n1-user'], {
			PURCHASELY_SHARED_SECRET: keys.sharedSecret,
		});
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/\b200\b/);
		const execs = await n8n.waitForExecutions(wf.id, 1, { includeData: true });
		expect(execs.map((e) => e.status)).toEqual(['success']);
		expect(Object.keys(execs[0].data.resultData.runData).sort()).toEqual(['Batch', 'Purchasely Trigger']);
		expect(sim.profile('custom_id', 'n8n1-user')?.events.map((e) => e.name)).toEqual(['activate']);
	});

	test('Batch node version 2 (expressions) and version 1 (field paths) on one trigger both reach Batch; custom data is set', async () => {
		const creds = await createCredentials(n8n, keys, sim.url, 'n8n1-v2');
		const both = await n8n.importWorkflow(triggerToBatchV2AndV1('e2e n8n1: batch v2 and v1'), { credentials: creds });
		await n8n.activate(both);
		const bothUrl = n8n.webhookUrl(both);
		await n8n.waitForWebhook(bothUrl);
		const ev = installedTestEvents(n8n);
		const res = await postSigned(n8n, bothUrl, ev.serializeTestEvent(ev.buildTestEvent({ eventName: 'ACTIVATE', userId: 'n8n1-v2-user' })), keys.sharedSecret);
		expect(res.status).toBe(200);
		const profile = sim.profile('custom_id', 'n8n1-v2-user');
		expect(profile?.events.map((e) => e.name)).toEqual(['sandbox_activate']);
		expect(profile?.attributes).toMatchObject({ last_event: 'ACTIVATE' });
		const [execution] = await n8n.waitForExecutions(both.id, 1, { includeData: true });
		expect(execution.status).toBe('success');
		expect(execution.data.resultData.runData['Batch v2'][0].data.main[0][0].json.sent).toMatchObject({ identifiers: { custom_id: 'n8n1-v2-user' } });
		expect(execution.data.resultData.metadata).toMatchObject({ batch_user: 'n8n1-v2-user', batch_event: 'sandbox_activate' });
		await n8n.deactivate(both);
	});

	test('a forged signature is refused with 401', async () => {
		const ev = installedTestEvents(n8n);
		const body = ev.serializeTestEvent(ev.buildTestEvent({ eventName: 'ACTIVATE', userId: 'n8n1-forger' }));
		const headers = installedSigning(n8n).sign({ secret: 'wrong', timestamp: String(Math.floor(Date.now() / 1000)), rawBody: body });
		expect((await postRaw(url, body, headers)).status).toBe(401);
		expect(sim.profile('custom_id', 'n8n1-forger')).toBeUndefined();
	});

	test("trigger 1.1 loads with the plain templates (1.x's n8n-workflow has no native resolvers)", async () => {
		const pkgDir = n8n.packageInstall!.packageDir;
		const script = `
			const path = require('node:path');
			const w = require('n8n-workflow');
			const { PurchaselyTrigger } = require(path.join(${JSON.stringify(pkgDir)}, 'dist/nodes/PurchaselyTrigger/PurchaselyTrigger.node.js'));
			const d = new PurchaselyTrigger().description;
			process.stdout.write(JSON.stringify({
				webhookDescriptionFields: typeof w.webhookDescriptionFields,
				version: d.version,
				defaultVersion: d.defaultVersion,
				symbols: Object.getOwnPropertySymbols(d.webhooks[0]).length,
				webhooks: d.webhooks,
			}));`;
		const seen = await runOnN8nNode<Record<string, unknown>>(n8n, script, { cwd: os.tmpdir(), what: 'loading the trigger' });
		expect(seen).toEqual({
			webhookDescriptionFields: 'undefined',
			version: [1, 1.1],
			defaultVersion: 1.1,
			symbols: 0,
			webhooks: [
				{
					name: 'default',
					httpMethod: 'POST',
					path: 'webhook',
					responseMode: '={{$parameter["acknowledge"] === "afterWorkflow" ? "lastNode" : "onReceived"}}',
					responseData: '={{$parameter["acknowledge"] === "afterWorkflow" ? "noData" : ""}}',
				},
			],
		});
	});

	test('a trigger 1.1 workflow answers valid (200, one execution), forged (401) and filtered (200 "ignored") requests', async () => {
		const creds = await createCredentials(n8n, keys, sim.url, 'n8n1-trigger-1.1');
		const v11 = await n8n.importWorkflow(triggerToNoOp('e2e n8n1: trigger 1.1', { typeVersion: 1.1, events: ['ACTIVATE'] }), { credentials: creds });
		await n8n.activate(v11);
		const v11Url = n8n.webhookUrl(v11);
		await n8n.waitForWebhook(v11Url);
		const ev = installedTestEvents(n8n);
		const event = (eventName: string, userId: string) => ev.serializeTestEvent(ev.buildTestEvent({ eventName, userId }));
		const forgedBody = event('ACTIVATE', 'n8n1-v11-forged');
		const forgedHeaders = installedSigning(n8n).sign({ secret: 'wrong', timestamp: String(Math.floor(Date.now() / 1000)), rawBody: forgedBody });
		const forged = await postRaw(v11Url, forgedBody, forgedHeaders);
		expect(forged.status).toBe(401);
		const filtered = await postSigned(n8n, v11Url, event('RENEWAL_DISABLED', 'n8n1-v11-filtered'), keys.sharedSecret);
		expect(filtered.status).toBe(200);
		expect(filtered.json).toMatchObject({ received: true, ignored: expect.stringContaining('RENEWAL_DISABLED') });
		const valid = await postSigned(n8n, v11Url, event('ACTIVATE', 'n8n1-v11-valid'), keys.sharedSecret);
		expect(valid.status).toBe(200);
		expect(valid.json).toEqual({ received: true });
		const execs = await n8n.waitForExecutions(v11.id, 1, { includeData: true });
		await new Promise((r) => setTimeout(r, 1000)); // a stray execution from the refused requests would show by now
		const all = await n8n.listExecutions({ workflowId: v11.id });
		expect(all).toHaveLength(1);
		expect(execs[0].status).toBe('success');
		expect(JSON.stringify(execs[0].data.resultData.runData['Purchasely Trigger'])).toContain('n8n1-v11-valid');
		await n8n.deactivate(v11);
	});

	test('a Batch outage fails the execution with the node\'s NodeApiError and a non-200 answer', async () => {
		const ev = installedTestEvents(n8n);
		const body = ev.serializeTestEvent(ev.buildTestEvent({ eventName: 'ACTIVATE', userId: 'n8n1-outage' }));
		const before = (await n8n.listExecutions({ workflowId: wf.id })).length;
		sim.injectFaults([{ path: '/profiles/update', status: 503, times: 1000 }]);
		const res = await postSigned(n8n, url, body, keys.sharedSecret);
		sim.clearFaults();
		expect(res.status).toBeGreaterThanOrEqual(500);
		const execs = await n8n.waitForExecutions(wf.id, before + 1, { includeData: true });
		const failed = execs.find((e) => e.status === 'error');
		expect(failed).toBeDefined();
		expect(failed!.data.resultData.error.name).toBe('NodeApiError');
	});
});

if (!enabled) {
	test.skip('n8n 1.x compatibility (set E2E_N8N1=1 to run)', () => undefined);
}
