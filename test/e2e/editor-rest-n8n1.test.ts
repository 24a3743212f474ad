/**
 * The editor-facing behaviour of editor-rest.test.ts, in n8n 1.123.81 (Node 22): "Execute workflow"
 * waiting on the trigger's test URL (1.x's POST /rest/workflows/<id>/run takes the workflow in the
 * body), a refused request answered 401 by the node and recorded as the test run's error; and the
 * Batch credential test naming the refused key. Runs only with E2E_N8N1=1, like n8n1-compat.test.ts.
 */
import * as fs from 'node:fs';

import {
	createCredentials,
	installedTestEvents,
	packPackage,
	postSigned,
	randomKeys,
	startN8n,
	startSimulator,
	type BatchSimulator,
	type CredentialRef,
	type N8n,
	type Workflow,
} from './support';
import { triggerToBatchTrackEvent } from './workflows';

const enabled = process.env.E2E_N8N1 === '1';
const maybe = enabled ? describe : describe.skip;

maybe('n8n 1.x: what the editor shows for a refused test request and a wrong Batch key', () => {
	const keys = randomKeys();
	const pushRef = `e2e-n8n1-editor-${Date.now()}`;
	let n8n: N8n;
	let sim: BatchSimulator;
	let wf: Workflow;
	let creds: { batchApi: CredentialRef; purchaselyWebhookApi: CredentialRef };

	beforeAll(async () => {
		const tarball = process.env.E2E_TARBALL && fs.existsSync(process.env.E2E_TARBALL) ? process.env.E2E_TARBALL : await packPackage();
		sim = await startSimulator(keys);
		n8n = await startN8n({ target: 'n8n1', tarball, readinessTimeoutMs: 600_000 });
		creds = await createCredentials(n8n, keys, sim.url, 'n8n1-editor');
		wf = await n8n.importWorkflow(triggerToBatchTrackEvent('e2e n8n1: editor test URL'), { credentials: creds });
	}, 30 * 60 * 1000);

	afterAll(async () => {
		await n8n?.stop();
		await sim?.close();
	});

	test('a wrongly signed request to the test URL: 401, and the reason as the test run\'s error', async () => {
		const stored = await n8n.rest<{ data: Record<string, unknown> }>('GET', `/workflows/${wf.id}`);
		expect(stored.status).toBe(200);
		const run = await n8n.rest<{ data: { waitingForWebhook?: boolean } }>(
			'POST',
			`/workflows/${wf.id}/run`,
			{ workflowData: stored.json!.data, triggerToStartFrom: { name: 'Purchasely Trigger' } },
			{ headers: { 'push-ref': pushRef } },
		);
		expect(run.status).toBe(200);
		expect(run.json?.data).toEqual({ waitingForWebhook: true });

		const trigger = wf.nodes.find((node) => node.name === 'Purchasely Trigger') as { webhookId: string };
		const testUrl = `${n8n.baseUrl}/webhook-test/${trigger.webhookId}/webhook`;
		const events = installedTestEvents(n8n);
		const answer = await postSigned(n8n, testUrl, events.serializeTestEvent(events.buildTestEvent({ userId: 'n8n1_user' })), 'not-the-secret');
		expect(answer.status).toBe(401);

		const [execution] = await n8n.waitForExecutions(wf.id, 1, { includeData: true });
		expect(execution.status).toBe('error');
		expect((execution.data as { resultData: { error: { message: string } } }).resultData.error.message).toBe(
			'Refused the test request (HTTP 401, invalid signature): X-PURCHASELY-REQUEST-SIGNATURE does not match the body and X-PURCHASELY-TIMESTAMP',
		);
		expect(sim.requests).toHaveLength(0);
	});

	test('the Batch credential test names the refused key', async () => {
		const test = async (data: Record<string, string>) => {
			const answer = await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
				credentials: { id: creds.batchApi.id, name: creds.batchApi.name, type: 'batchApi', data },
			});
			expect(answer.status).toBe(200);
			return answer.json!.data;
		};
		const good = { restApiKey: keys.restApiKey, projectKey: keys.projectKey, iosApiKey: '', androidApiKey: '', baseUrl: sim.url };
		expect((await test(good)).status).toBe('OK');
		expect((await test({ ...good, restApiKey: 'rest_wrong' })).message).toMatch(/^Batch refused the REST API Key\./);
		expect((await test({ ...good, projectKey: 'project_wrong' })).message).toMatch(/^Batch refused the Project Key:/);
	});
});
