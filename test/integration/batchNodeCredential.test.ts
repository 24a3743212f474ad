/**
 * The `batchApi` credential's declared test request, run the way n8n runs it: its `{{$credentials…}}`
 * expressions and its generic `authenticate` headers resolved by n8n-workflow's expression engine, and the request
 * sent by n8n-core's own HTTP helper (`httpRequestWithAuthentication` of a genuine ExecuteContext) to the
 * simulator. A good REST key + project key passes; a wrong one of either fails with 401; nothing is written.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode, Workflow } from 'n8n-workflow';
import { BatchApi } from '../../credentials/BatchApi.credentials';
import { BATCH_CREDENTIAL_TEST_MESSAGES } from '../../credentials/batchCredentialTest';
import { Batch } from '../../nodes/Batch/Batch.node';
import { KEYS, useBatchSimulator } from '../helpers/batchNodeHarness';
import { buildExecuteContext } from '../helpers/n8nExecuteContext';

const sim = useBatchSimulator();

const credentialType = new BatchApi();

/** What n8n's CredentialsHelper does for `authenticate: { type: 'generic' }`: resolve each header expression. */
function resolveWithCredentials(workflow: Workflow, node: INode, value: string, credentials: ICredentialDataDecryptedObject): unknown {
	return workflow.expression.getParameterValue(value, null, 0, 0, node.name, [], 'internal', { $credentials: credentials } as IDataObject);
}

async function testCredential(data: ICredentialDataDecryptedObject): Promise<{ ok: true; body: unknown } | { ok: false; status?: unknown; message: string }> {
	const { context } = buildExecuteContext({
		nodeType: new Batch(),
		typeName: 'n8n-nodes-purchasely-batch.batch',
		credentialType: 'batchApi',
		credentialData: data,
		parameters: {},
		items: [{}],
		authenticate: async (credentials, _typeName, requestOptions, workflow, node) => {
			const headers: IDataObject = { ...(requestOptions.headers as IDataObject) };
			for (const [name, value] of Object.entries(credentialType.authenticate.properties.headers ?? {})) {
				headers[name] = resolveWithCredentials(workflow, node, String(value), credentials) as string;
			}
			return { ...requestOptions, headers };
		},
	});
	const { request } = credentialType.test;
	const workflowOfContext = (context as unknown as { workflow: Workflow }).workflow;
	const node = context.getNode();
	const options: IHttpRequestOptions = {
		baseURL: String(resolveWithCredentials(workflowOfContext, node, String(request.baseURL), data)),
		url: String(request.url),
		method: request.method,
		qs: request.qs,
		json: true,
		ignoreHttpStatusErrors: request.ignoreHttpStatusErrors,
	};
	try {
		return { ok: true, body: await context.helpers.httpRequestWithAuthentication.call(context, 'batchApi', options) };
	} catch (error) {
		const e = error as { httpCode?: unknown; message: string };
		return { ok: false, status: e.httpCode, message: e.message };
	}
}

describe('batchApi credential test', () => {
	it('passes with the right REST key and project key, through a read-only route', async () => {
		const result = await testCredential({ ...KEYS, baseUrl: `${sim.url}/` });
		expect(result).toEqual({ ok: true, body: { orchestrations: [], count: 0, has_more: false } });
		expect(sim.requests).toEqual([expect.objectContaining({ method: 'GET', path: '/2.11/orchestrations/list', status: 200 })]);
		expect(sim.stats()).toMatchObject({ acceptedOperations: 0, acceptedTriggerEvents: 0 });
	});

	/** n8n's CredentialsTester: the first body rule whose `get(body, key) === value` gives the message. */
	function messageFor(body: unknown): string | undefined {
		for (const { properties } of credentialType.test.rules ?? []) {
			const { key, value, message } = properties as { key: string; value: unknown; message: string };
			const field = key.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as IDataObject)[k] : undefined), body);
			if (field === value) return message;
		}
		return undefined;
	}

	it('says which key Batch refused: the REST API key, the project key, or a missing project key', async () => {
		const wrongRest = await testCredential({ ...KEYS, restApiKey: 'nope-nope', baseUrl: sim.url });
		expect(wrongRest.ok && messageFor(wrongRest.body)).toBe(BATCH_CREDENTIAL_TEST_MESSAGES.restApiKey);
		const wrongProject = await testCredential({ ...KEYS, projectKey: 'project_other', baseUrl: sim.url });
		expect(wrongProject.ok && messageFor(wrongProject.body)).toBe(BATCH_CREDENTIAL_TEST_MESSAGES.projectKey);
		const noProject = await testCredential({ ...KEYS, projectKey: '', baseUrl: sim.url });
		expect(noProject.ok && messageFor(noProject.body)).toBe(BATCH_CREDENTIAL_TEST_MESSAGES.projectKeyMissing);
		expect(sim.requests.map((r) => r.status)).toEqual([401, 401, 400]);
		// The good keys match no rule: n8n says the test succeeded.
		const good = await testCredential({ ...KEYS, baseUrl: sim.url });
		expect(good.ok && messageFor(good.body)).toBeUndefined();
	});

	it('never reports success for an answer that is not the orchestration list (e.g. a proxy error page)', () => {
		expect(messageFor('<html>Bad gateway</html>')).toBe(BATCH_CREDENTIAL_TEST_MESSAGES.unexpected);
		expect(messageFor({ error_code: 'SERVER_ERROR', error_message: 'Unexpected error' })).toBe(BATCH_CREDENTIAL_TEST_MESSAGES.unexpected);
		expect(messageFor({ orchestrations: [], count: 0, has_more: false })).toBeUndefined();
	});

	it('declares a test request and Profile API headers', () => {
		expect(credentialType.test.request).toMatchObject({ method: 'GET', url: '/2.11/orchestrations/list', ignoreHttpStatusErrors: true });
		expect(credentialType.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.restApiKey}}', 'X-Batch-Project': '={{$credentials.projectKey}}' });
		expect(credentialType.properties.map((property) => property.name)).toEqual(['restApiKey', 'projectKey', 'iosApiKey', 'androidApiKey', 'baseUrl']);
	});
});
