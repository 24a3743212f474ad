/**
 * What the editor shows, driven through the same REST calls the editor makes, in a real n8n 2.41.1
 * with the package installed from its tarball:
 * - "Listen for test event" on the Purchasely Trigger (POST /rest/workflows/<id>/run with the trigger
 *   to start from, as the node details view's button sends it), then a wrongly signed request to
 *   the test URL: answered 401 by the node, and the reason recorded as the test run's error, the
 *   execution the editor fetches when n8n pushes "executionFinished". Nothing reaches Batch.
 * - The Batch credential's test (POST /rest/credentials/test, the editor's "Test" / save check).
 */
import {
	createCredentials,
	httpJson,
	installedSigning,
	installedTestEvents,
	postRaw,
	postSigned,
	randomKeys,
	sharedN8n,
	startSimulator,
	type BatchSimulator,
	type CredentialRef,
	type HttpResult,
	type N8n,
	type Workflow,
} from './support';
import { triggerToBatchTrackEvent } from './workflows';

const keys = randomKeys();
let n8n: N8n;
let sim: BatchSimulator;
let creds: { batchApi: CredentialRef; purchaselyWebhookApi: CredentialRef };
let cookie: string;
const pushRef = `e2e-editor-${Date.now()}`;

/** The owner's session, as the editor has it after signing in. */
async function signIn(): Promise<string> {
	const login = await httpJson('POST', `${n8n.baseUrl}/rest/login`, {
		body: { emailOrLdapLoginId: n8n.owner.email, email: n8n.owner.email, password: n8n.owner.password },
		headers: { 'browser-id': pushRef },
	});
	expect(login.status).toBe(200);
	const setCookies = login.headers.getSetCookie();
	const auth = setCookies.map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (auth === undefined) throw new Error('n8n set no n8n-auth cookie on login');
	return auth;
}

/** A `/rest/...` call with the editor's headers (session cookie, browser-id, push-ref). */
function rest<T = unknown>(method: string, p: string, body?: unknown): Promise<HttpResult<T>> {
	return httpJson<T>(method, `${n8n.baseUrl}/rest${p}`, {
		body,
		headers: { cookie, 'browser-id': pushRef, 'push-ref': pushRef },
		timeoutMs: 30_000,
	});
}

beforeAll(async () => {
	n8n = sharedN8n();
	sim = await startSimulator(keys);
	creds = await createCredentials(n8n, keys, sim.url, 'editor-rest');
	cookie = await signIn();
});

afterAll(async () => {
	await sim?.close();
});

describe('Purchasely Trigger: "Listen for test event", then a refused request', () => {
	let wf: Workflow;
	let testUrl: string;

	beforeAll(async () => {
		wf = await n8n.importWorkflow(triggerToBatchTrackEvent('editor test URL'), { credentials: creds });
		const trigger = wf.nodes.find((node) => node.name === 'Purchasely Trigger') as { webhookId: string };
		testUrl = `${n8n.baseUrl}/webhook-test/${trigger.webhookId}/webhook`;
	});

	/** What the node details view's "Listen for test event" sends for a trigger. */
	async function listen(): Promise<void> {
		const run = await rest<{ data: { waitingForWebhook?: boolean } }>('POST', `/workflows/${wf.id}/run`, {
			triggerToStartFrom: { name: 'Purchasely Trigger' },
			destinationNode: { nodeName: 'Purchasely Trigger', mode: 'inclusive' },
		});
		expect(run.status).toBe(200);
		expect(run.json?.data).toEqual({ waitingForWebhook: true });
	}

	test('a wrongly signed request: 401 to the sender, the reason as the test run\'s error, nothing sent to Batch', async () => {
		await listen();
		const body = installedTestEvents(n8n).serializeTestEvent(installedTestEvents(n8n).buildTestEvent({ eventName: 'ACTIVATE', userId: 'editor_user_1' }));
		const answer = await postSigned(n8n, testUrl, body, 'not-the-shared-secret');
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.text)).toMatchObject({ error: 'invalid signature' });

		const [execution] = await n8n.waitForExecutions(wf.id, 1, { includeData: true });
		expect(execution.mode).toBe('manual');
		expect(execution.status).toBe('error');
		const resultData = (execution.data as { resultData: { error?: Record<string, unknown>; runData: object; lastNodeExecuted?: string } }).resultData;
		expect(resultData.lastNodeExecuted).toBe('Purchasely Trigger');
		expect(resultData.error).toMatchObject({
			message:
				'Refused the test request (HTTP 401, invalid signature): X-PURCHASELY-REQUEST-SIGNATURE does not match the body and X-PURCHASELY-TIMESTAMP',
			description: expect.stringContaining("credential's Shared Secret"),
			node: expect.objectContaining({ name: 'Purchasely Trigger' }),
		});
		expect(JSON.stringify(execution)).not.toContain(keys.sharedSecret);
		// The downstream node never ran on a refused request.
		expect(Object.keys(resultData.runData)).not.toContain('Batch');
		expect(sim.requests.length).toBe(0);
	});

	test('listening again, a correctly signed request is the trigger\'s test output, as usual', async () => {
		await listen();
		const body = installedTestEvents(n8n).serializeTestEvent(installedTestEvents(n8n).buildTestEvent({ eventName: 'ACTIVATE', userId: 'editor_user_2' }));
		const answer = await postSigned(n8n, testUrl, body, keys.sharedSecret);
		expect(answer.status).toBe(200);
		const executions = await n8n.waitForExecutions(wf.id, 2, { includeData: true });
		const latest = executions.find((e) => e.status !== 'error');
		expect(latest?.status).toBe('success');
		const runData = (latest?.data as { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: { meta: { userId: string } } }>> } }>> } }).resultData.runData;
		expect(runData['Purchasely Trigger'][0].data.main[0][0].json.meta.userId).toBe('editor_user_2');
	});

	test('"Execute workflow" (the whole flow): a refused request runs no node after the trigger; a good one reaches Batch', async () => {
		const executeWorkflow = async () => {
			const run = await rest<{ data: { waitingForWebhook?: boolean } }>('POST', `/workflows/${wf.id}/run`, {
				triggerToStartFrom: { name: 'Purchasely Trigger' },
			});
			expect(run.json?.data).toEqual({ waitingForWebhook: true });
		};
		const events = installedTestEvents(n8n);
		await executeWorkflow();
		const staleBody = events.serializeTestEvent(events.buildTestEvent({ userId: 'editor_user_3' }));
		const stale = installedSigning(n8n).sign({
			secret: keys.sharedSecret,
			timestamp: String(Math.floor(Date.now() / 1000) - 3600),
			rawBody: staleBody,
		});
		const refused = await postRaw(testUrl, staleBody, stale);
		expect(refused.status).toBe(401);
		const afterRefusal = await n8n.waitForExecutions(wf.id, 3, { includeData: true });
		const errored = afterRefusal.filter((e) => e.status === 'error');
		expect(errored).toHaveLength(2);
		const messages = errored.map((e) => (e.data as { resultData: { error: { message: string } } }).resultData.error.message);
		expect(messages).toContainEqual(expect.stringMatching(/^Refused the test request \(HTTP 401, invalid timestamp\): X-PURCHASELY-TIMESTAMP is 36\d\d s old, more than the 300 s tolerance$/));
		expect(sim.requests).toHaveLength(0);

		await executeWorkflow();
		const good = events.serializeTestEvent(events.buildTestEvent({ eventName: 'ACTIVATE', userId: 'editor_user_4' }));
		expect((await postSigned(n8n, testUrl, good, keys.sharedSecret)).status).toBe(200);
		await n8n.waitForExecutions(wf.id, 4);
		expect(sim.requests.filter((r) => r.status === 202)).toHaveLength(1);
	});
});

describe('Batch credential: the editor\'s "Test" (POST /rest/credentials/test)', () => {
	/**
	 * The editor saves the credential, then tests it: its id and the form's values (n8n merges them
	 * over the stored ones).
	 */
	async function testCredential(data: Record<string, string>): Promise<{ status: string; message: string }> {
		const answer = await rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
			credentials: { id: creds.batchApi.id, name: creds.batchApi.name, type: 'batchApi', data },
		});
		expect(answer.status).toBe(200);
		return answer.json!.data;
	}
	const good = () => ({
		restApiKey: keys.restApiKey,
		projectKey: keys.projectKey,
		iosApiKey: '',
		androidApiKey: '',
		baseUrl: sim.url,
	});

	test('good keys: the test succeeds', async () => {
		await expect(testCredential(good())).resolves.toMatchObject({ status: 'OK' });
	});

	test('a wrong REST API key: the message names the REST API key', async () => {
		const result = await testCredential({ ...good(), restApiKey: 'rest_wrong_key' });
		expect(result).toEqual({
			status: 'Error',
			message: 'Batch refused the REST API Key. Copy it again from the Batch dashboard: Settings → General → REST API Key.',
		});
	});

	test('a wrong project key: the message names the project key', async () => {
		const result = await testCredential({ ...good(), projectKey: 'project_wrong' });
		expect(result).toEqual({
			status: 'Error',
			message:
				'Batch refused the Project Key: the REST API Key is not valid for this project. Check the Project Key, and that both keys come from the same Batch project.',
		});
		expect(JSON.stringify(result)).not.toContain(keys.restApiKey);
	});

	test('a Base URL that is not Batch: never "tested successfully"', async () => {
		const result = await testCredential({ ...good(), baseUrl: `${n8n.baseUrl}/healthz` });
		expect(result.status).toBe('Error');
	});
});
