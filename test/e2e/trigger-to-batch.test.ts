/**
 * End to end in a real n8n 2.41.1 (Node 24) with the package installed from its npm tarball:
 * Purchasely Trigger → Batch "Track Event" → the Batch simulator. Every check reads both sides:
 * the simulator's record of what Batch received, and n8n's own execution records.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import {
	executionsAfterControl,
	installedSigning,
	installedTestEvents,
	n8nWorkflowSeenByPackage,
	postRaw,
	postSigned,
	runSendTestEvent,
	useSimulatorAndCredentials,
	type Workflow,
} from './support';
import { triggerToBatchTrackEvent } from './workflows';

const e2e = useSimulatorAndCredentials('trigger-to-batch');

describe('the package as users install it', () => {
	test('npm install of the tarball brings the package and undici only, no second n8n-workflow', () => {
		const install = e2e.n8n.packageInstall;
		expect(install).toBeDefined();
		expect(install!.installed.sort()).toEqual(['n8n-nodes-purchasely-batch', 'undici']);
		// n8n-workflow must resolve to n8n's own copy (n8n puts it on NODE_PATH), never one next to the package.
		expect(fs.existsSync(path.join(install!.nodesDir, 'node_modules', 'n8n-workflow'))).toBe(false);
		expect(fs.existsSync(path.join(install!.packageDir, 'node_modules', 'n8n-workflow'))).toBe(false);
		const pkg = JSON.parse(fs.readFileSync(path.join(install!.packageDir, 'package.json'), 'utf8'));
		expect(pkg.n8n.nodes).toHaveLength(2);
		// Runtime dependencies are plain semver ranges: npm can only fetch them from the registry
		// (no git, http or file specs); the peer n8n-workflow is not a dependency.
		expect(Object.keys(pkg.dependencies ?? {})).toEqual(['undici']);
		for (const spec of Object.values(pkg.dependencies ?? {})) expect(String(spec)).toMatch(/^[\^~]?\d+(\.\d+){0,2}$/);
		for (const f of [...pkg.n8n.nodes, ...pkg.n8n.credentials, pkg.bin['send-test-event']]) {
			expect(fs.existsSync(path.join(install!.packageDir, f))).toBe(true);
		}
	});

	test("the package's nodes, loaded as n8n loads them, get n8n's own n8n-workflow (so instanceof NodeApiError holds)", async () => {
		const seen = await n8nWorkflowSeenByPackage(e2e.n8n);
		expect(seen.length).toBeGreaterThan(0);
		for (const file of seen) expect(file.startsWith(path.join(e2e.n8n.install.n8nDir, 'node_modules') + path.sep)).toBe(true);
		for (const file of seen) expect(file.startsWith(e2e.n8n.packageInstall!.nodesDir)).toBe(false);
	});

	test('n8n knows both credential types of the package (node types are proven by the workflows below)', async () => {
		for (const type of ['batchApi', 'purchaselyWebhookApi']) {
			const schema = await e2e.n8n.api('GET', `/credentials/schema/${type}`);
			expect(schema.status).toBe(200);
		}
	});
});

describe('Purchasely Trigger → Batch Track Event (acknowledge immediately)', () => {
	let wf: Workflow;
	let url: string;

	beforeAll(async () => {
		wf = await e2e.n8n.importWorkflow(triggerToBatchTrackEvent('e2e: trigger to batch', { events: ['ACTIVATE', 'RENEWAL_DISABLED'] }), {
			credentials: e2e.creds,
		});
		await e2e.n8n.activate(wf);
		url = e2e.n8n.webhookUrl(wf);
		await e2e.n8n.waitForWebhook(url);
	});

	const sendEvent = (eventName: string, userId: string) =>
		runSendTestEvent(e2e.n8n, ['--url', url, '--event', eventName, '--user-id', userId], { PURCHASELY_SHARED_SECRET: e2e.keys.sharedSecret });

	test('a signed event (sent with the installed send-test-event) reaches Batch as exactly one event for that user', async () => {
		const result = await sendEvent('RENEWAL_DISABLED', 'e2e-user-1');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/\b200\b/);
		expect(result.stdout + result.stderr).not.toContain(e2e.keys.sharedSecret);

		const execs = await e2e.n8n.waitForExecutions(wf.id, 1, { includeData: true });
		expect(execs).toHaveLength(1);
		expect(execs[0].status).toBe('success');
		expect(execs[0].mode).toBe('webhook');
		const runData = execs[0].data.resultData.runData;
		expect(Object.keys(runData).sort()).toEqual(['Batch', 'Purchasely Trigger']);
		const triggerOut = runData['Purchasely Trigger'][0].data.main[0][0].json;
		expect(triggerOut.meta).toMatchObject({ eventName: 'RENEWAL_DISABLED', userId: 'e2e-user-1', userIdSource: 'user_id', apiVersion: 3, signature: 'request' });

		const profile = e2e.sim.profile('custom_id', 'e2e-user-1');
		expect(profile?.events.map((e) => e.name)).toEqual(['renewal_disabled']);
		// Nobody else received anything.
		expect(e2e.sim.stats().acceptedOperations).toBe(1);
	});

	test('a forged signature is refused with 401 and starts no execution', async () => {
		const before = (await e2e.n8n.listExecutions({ workflowId: wf.id })).length;
		const body = installedTestEvents(e2e.n8n).serializeTestEvent(installedTestEvents(e2e.n8n).buildTestEvent({ eventName: 'ACTIVATE', userId: 'forger' }));
		const forged = installedSigning(e2e.n8n).sign({ secret: 'not-the-shared-secret', timestamp: String(Math.floor(Date.now() / 1000)), rawBody: body });
		const res = await postRaw(url, body, forged);
		expect(res.status).toBe(401);

		const { count, control } = await executionsAfterControl(e2e.n8n, wf.id, before, () =>
			postSigned(e2e.n8n, url, installedTestEvents(e2e.n8n).serializeTestEvent(installedTestEvents(e2e.n8n).buildTestEvent({ eventName: 'ACTIVATE', userId: 'control-401' })), e2e.keys.sharedSecret),
		);
		expect(control.status).toBe(200);
		expect(count).toBe(before + 1);
		expect(e2e.sim.profile('custom_id', 'forger')).toBeUndefined();
	});

	test('an event the trigger does not select is acknowledged with 200 and starts no execution', async () => {
		const before = (await e2e.n8n.listExecutions({ workflowId: wf.id })).length;
		const result = await sendEvent('SUBSCRIPTION_RENEWED', 'filtered-user');
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(/\b200\b/);
		expect(result.stdout).toMatch(/ignored/);

		const { count } = await executionsAfterControl(e2e.n8n, wf.id, before, () =>
			postSigned(e2e.n8n, url, installedTestEvents(e2e.n8n).serializeTestEvent(installedTestEvents(e2e.n8n).buildTestEvent({ eventName: 'ACTIVATE', userId: 'control-filter' })), e2e.keys.sharedSecret),
		);
		expect(count).toBe(before + 1);
		expect(e2e.sim.profile('custom_id', 'filtered-user')).toBeUndefined();
	});

	test('a correctly signed JSON body that is not a Purchasely event is refused with 400 by the trigger and starts no execution', async () => {
		const before = (await e2e.n8n.listExecutions({ workflowId: wf.id })).length;
		const res = await postSigned(e2e.n8n, url, Buffer.from('{"hello":"world"}'), e2e.keys.sharedSecret);
		expect(res.status).toBe(400);
		expect(res.json).toMatchObject({ error: 'invalid payload' });

		const { count } = await executionsAfterControl(e2e.n8n, wf.id, before, () =>
			postSigned(e2e.n8n, url, installedTestEvents(e2e.n8n).serializeTestEvent(installedTestEvents(e2e.n8n).buildTestEvent({ eventName: 'ACTIVATE', userId: 'control-400' })), e2e.keys.sharedSecret),
		);
		expect(count).toBe(before + 1);
	});

	test('a body that is not valid JSON is refused (n8n 2.x answers 422 itself, before the node) and starts no execution', async () => {
		const before = (await e2e.n8n.listExecutions({ workflowId: wf.id })).length;
		const res = await postSigned(e2e.n8n, url, Buffer.from('{"event_name": "ACTIVATE", '), e2e.keys.sharedSecret);
		// n8n's own body parser refuses unparseable application/json with 422 "Failed to parse request body";
		// either way the answer is a 4xx that Purchasely treats as a failed delivery.
		expect([400, 422]).toContain(res.status);

		const { count } = await executionsAfterControl(e2e.n8n, wf.id, before, () =>
			postSigned(e2e.n8n, url, installedTestEvents(e2e.n8n).serializeTestEvent(installedTestEvents(e2e.n8n).buildTestEvent({ eventName: 'ACTIVATE', userId: 'control-422' })), e2e.keys.sharedSecret),
		);
		expect(count).toBe(before + 1);
	});

	test('every execution n8n recorded for this workflow succeeded and matches what Batch received', async () => {
		const execs = await e2e.n8n.listExecutions({ workflowId: wf.id });
		expect(execs.every((e) => e.status === 'success')).toBe(true);
		// One event per execution: the first test's event and the four control events.
		expect(execs).toHaveLength(5);
		for (const user of ['e2e-user-1', 'control-401', 'control-filter', 'control-400', 'control-422']) {
			expect(e2e.sim.profile('custom_id', user)?.events).toHaveLength(1);
		}
	});
});

describe('acknowledge after the workflow, with Batch failing then recovering', () => {
	let wf: Workflow;
	let url: string;

	beforeAll(async () => {
		wf = await e2e.n8n.importWorkflow(
			triggerToBatchTrackEvent('e2e: acknowledge after workflow', {
				acknowledge: 'afterWorkflow',
				// Retries bounded small so the failing run ends quickly.
				batchOptions: { maxAttempts: 2, maxRetryDuration: 5, requestTimeout: 10000 },
			}),
			{ credentials: e2e.creds },
		);
		await e2e.n8n.activate(wf);
		url = e2e.n8n.webhookUrl(wf);
		await e2e.n8n.waitForWebhook(url);
	});

	test('503 from Batch → n8n answers an error status and records a failed execution; after recovery the redelivery gets 200', async () => {
		const events = installedTestEvents(e2e.n8n);
		// The same event both times, as Purchasely redelivers it (same event_id, fresh signature).
		const body = events.serializeTestEvent(events.buildTestEvent({ eventName: 'ACTIVATE', userId: 'ack-user' }));

		e2e.sim.injectFaults([{ path: '/profiles/update', status: 503, times: 1000 }]);
		const failed = await postSigned(e2e.n8n, url, body, e2e.keys.sharedSecret);
		expect(failed.status).not.toBe(200);
		expect(failed.status).toBeGreaterThanOrEqual(500);

		const execs = await e2e.n8n.waitForExecutions(wf.id, 1, { includeData: true });
		expect(execs).toHaveLength(1);
		expect(execs[0].status).toBe('error');
		const error = execs[0].data.resultData.error;
		expect(error).toBeDefined();
		// The node's NodeApiError reaches n8n's execution record with its class name and HTTP status.
		expect(error.name).toBe('NodeApiError');
		expect(String(error.httpCode)).toBe('503');
		expect(execs[0].data.resultData.lastNodeExecuted).toBe('Batch');
		const attempts = e2e.sim.requests.filter((r) => r.path.includes('/profiles/update') && r.status === 503);
		expect(attempts).toHaveLength(2); // maxAttempts: 2
		expect(e2e.sim.profile('custom_id', 'ack-user')).toBeUndefined();

		e2e.sim.clearFaults();
		const redelivered = await postSigned(e2e.n8n, url, body, e2e.keys.sharedSecret);
		expect(redelivered.status).toBe(200);
		const after = await e2e.n8n.waitForExecutions(wf.id, 2);
		expect(after.map((e) => e.status).sort()).toEqual(['error', 'success']);
		expect(e2e.sim.profile('custom_id', 'ack-user')?.events.map((e) => e.name)).toEqual(['activate']);
	});
});
