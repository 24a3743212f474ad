/**
 * The `batchApi` credential's declared test request, run the way n8n runs it: its `{{$credentials…}}`
 * expressions and its generic `authenticate` headers resolved by n8n-workflow's expression engine, and the request
 * sent by n8n-core's own HTTP helper (`httpRequestWithAuthentication` of a genuine ExecuteContext) to the
 * simulator. A good REST key + project key passes; a wrong one of either fails with 401; nothing is written.
 */
import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions, INode, Workflow } from 'n8n-workflow';
import { BatchApi } from '../../credentials/BatchApi.credentials';
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

	it('fails with a wrong REST key or a wrong project key', async () => {
		await expect(testCredential({ ...KEYS, restApiKey: 'nope-nope', baseUrl: sim.url })).resolves.toMatchObject({ ok: false, status: '401' });
		await expect(testCredential({ ...KEYS, projectKey: 'project_other', baseUrl: sim.url })).resolves.toMatchObject({ ok: false, status: '401' });
	});

	it('declares a test request and Profile API headers', () => {
		expect(credentialType.test.request).toMatchObject({ method: 'GET', url: '/2.11/orchestrations/list' });
		expect(credentialType.authenticate.properties.headers).toEqual({ Authorization: '=Bearer {{$credentials.restApiKey}}', 'X-Batch-Project': '={{$credentials.projectKey}}' });
		expect(credentialType.properties.map((property) => property.name)).toEqual(['restApiKey', 'projectKey', 'iosApiKey', 'androidApiKey', 'baseUrl']);
	});
});
