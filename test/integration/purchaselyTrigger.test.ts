/**
 * The Purchasely Trigger's webhook() run through genuine n8n execution contexts (a real Workflow
 * from n8n-workflow, a real WebhookContext from n8n-core) with real HTTP bytes on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Expression } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters, WorkflowExecuteMode } from 'n8n-workflow';

import { PurchaselyTrigger } from '../../nodes/PurchaselyTrigger/PurchaselyTrigger.node';
import { sign } from '../../nodes/PurchaselyTrigger/signature';
import { buildTestEvent, serializeTestEvent } from '../../nodes/PurchaselyTrigger/testEvent';
import {
	buildWorkflow,
	postBytes,
	startTriggerHarness,
	type HandledRequest,
	type TriggerHarness,
} from '../helpers/n8nWebhookContext';

const SECRET = 'n8n-test-shared-secret-7f3a';
const TYPE_NAME = 'n8n-nodes-purchasely-batch.purchaselyTrigger';
const FIXTURES = join(__dirname, '../fixtures/purchasely');

function harness(
	parameters: INodeParameters = {},
	credentialData: ICredentialDataDecryptedObject = { sharedSecret: SECRET },
	typeVersion = 1,
) {
	return startTriggerHarness({
		nodeType: new PurchaselyTrigger(),
		typeName: TYPE_NAME,
		credentialType: 'purchaselyWebhookApi',
		credentialData,
		parameters,
		typeVersion,
	});
}

const nowSeconds = () => String(Math.floor(Date.now() / 1000));

function signedHeaders(body: Buffer, options: { secret?: string; timestamp?: string; legacy?: boolean } = {}) {
	return {
		'Content-Type': 'application/json',
		...sign({
			secret: options.secret ?? SECRET,
			timestamp: options.timestamp ?? nowSeconds(),
			rawBody: body,
			scheme: options.legacy === true ? 'legacy' : 'request',
		}),
	};
}

function lastHandled(h: TriggerHarness): HandledRequest {
	const record = h.handled[h.handled.length - 1];
	expect(record).toBeDefined();
	expect(record.error).toBeUndefined();
	return record;
}

function expectNoExecution(h: TriggerHarness) {
	const { result } = lastHandled(h);
	expect(result?.workflowData).toBeUndefined();
	expect(result?.noWebhookResponse).toBe(true);
}

describe('Purchasely Trigger through a genuine n8n WebhookContext (default parameters)', () => {
	let h: TriggerHarness;
	beforeAll(async () => {
		h = await harness();
	});
	afterAll(async () => {
		await h.close();
	});

	it('accepts a correctly signed v3 event and outputs one item { body, meta }', async () => {
		// The fixture file is pretty-printed: only the exact bytes verify, not a re-serialisation.
		const body = readFileSync(join(FIXTURES, 'v3-renewal-disabled.json'));
		const answer = await postBytes(h.url, body, signedHeaders(body));

		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toEqual({ received: true });
		const { result, rawBody } = lastHandled(h);
		expect(rawBody?.equals(body)).toBe(true);
		expect(result?.workflowData).toHaveLength(1);
		expect(result?.workflowData?.[0]).toHaveLength(1);
		const json = result?.workflowData?.[0][0].json as IDataObject;
		expect(Object.keys(json).sort()).toEqual(['body', 'meta']);
		expect(json.body).toEqual(JSON.parse(body.toString('utf8')));
		expect(json.meta).toEqual({
			eventName: 'RENEWAL_DISABLED',
			eventId: '6c1b7e0e-5d3a-4f0e-9a51-2b7f0c3d9e11',
			userId: 'user-8841',
			userIdSource: 'user_id',
			store: 'APPLE_APP_STORE',
			platform: 'ios',
			sandbox: false,
			eventTime: '2026-03-02T09:15:27.412Z',
			apiVersion: 3,
			signature: 'request',
		});
	});

	it('accepts a legacy API v2 body signed with the current scheme', async () => {
		const body = readFileSync(join(FIXTURES, 'v2-purchase-validated.json'));
		const answer = await postBytes(h.url, body, signedHeaders(body));
		expect(answer.status).toBe(200);
		const json = lastHandled(h).result?.workflowData?.[0][0].json as IDataObject;
		expect(json.meta).toMatchObject({ eventName: 'PURCHASE_VALIDATED', apiVersion: 2, userId: 'user-1203' });
	});

	it('lets an event name it does not know through when all events are selected', async () => {
		const body = serializeTestEvent(buildTestEvent({ eventName: 'SUBSCRIPTION_TELEPORTED' }));
		const answer = await postBytes(h.url, body, signedHeaders(body));
		expect(answer.status).toBe(200);
		expect((lastHandled(h).result?.workflowData?.[0][0].json as IDataObject).meta).toMatchObject({
			eventName: 'SUBSCRIPTION_TELEPORTED',
		});
	});

	it('refuses a request signed with another secret: 401, no execution', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(h.url, body, signedHeaders(body, { secret: 'not-the-secret' }));
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid signature' });
		expect(answer.body).not.toContain(SECRET);
		expectNoExecution(h);
	});

	it('refuses a body changed after signing: 401, no execution', async () => {
		const body = serializeTestEvent(buildTestEvent({ eventName: 'DEACTIVATE' }));
		const headers = signedHeaders(body);
		const forged = Buffer.from(body.toString('utf8').replace('"DEACTIVATE"', '"ACTIVATE"'));
		const answer = await postBytes(h.url, forged, headers);
		expect(answer.status).toBe(401);
		expectNoExecution(h);
	});

	it('refuses an unsigned request: 401 naming the missing header', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(h.url, body, { 'Content-Type': 'application/json', 'X-PURCHASELY-TIMESTAMP': nowSeconds() });
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.body).detail).toContain('X-PURCHASELY-REQUEST-SIGNATURE');
		expectNoExecution(h);
	});

	it('refuses a stale request (older than the 300 s default) and one from the future: 401', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const stale = await postBytes(h.url, body, signedHeaders(body, { timestamp: String(Number(nowSeconds()) - 3600) }));
		expect(stale.status).toBe(401);
		expect(JSON.parse(stale.body)).toMatchObject({ error: 'invalid timestamp' });
		expectNoExecution(h);

		const future = await postBytes(h.url, body, signedHeaders(body, { timestamp: String(Number(nowSeconds()) + 3600) }));
		expect(future.status).toBe(401);
		expectNoExecution(h);
	});

	it('refuses the reference legacy signature while Allow Legacy Signature is off', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(h.url, body, signedHeaders(body, { legacy: true }));
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.body).detail).toContain('Allow Legacy Signature');
		expectNoExecution(h);
	});

	it.each([
		['a JSON array', '[{"event_name":"ACTIVATE"}]', 'application/json', 'must be a JSON object'],
		['a JSON string', '"ACTIVATE"', 'application/json', 'must be a JSON object'],
		['an object without event name', '{"user_id":"u1"}', 'application/json', 'no event name'],
		['invalid JSON sent as text/plain', '{"event_name":', 'text/plain', 'not valid JSON'],
	])('answers 400 to %s (correctly signed), with no execution', async (_label, text, contentType, message) => {
		const body = Buffer.from(text);
		const answer = await postBytes(h.url, body, { ...signedHeaders(body), 'Content-Type': contentType });
		expect(answer.status).toBe(400);
		const parsed = JSON.parse(answer.body);
		expect(parsed.error).toBe('invalid payload');
		expect(parsed.detail).toContain(message);
		expectNoExecution(h);
	});

	it('keeps headers out of the item unless asked', async () => {
		const body = serializeTestEvent(buildTestEvent());
		await postBytes(h.url, body, signedHeaders(body));
		expect(lastHandled(h).result?.workflowData?.[0][0].json).not.toHaveProperty('headers');
	});
});

describe('Purchasely Trigger filters', () => {
	let h: TriggerHarness;
	beforeAll(async () => {
		h = await harness({
			events: ['ACTIVATE', 'DEACTIVATE'],
			additionalEvents: 'subscription_teleported',
			environment: 'production',
		});
	});
	afterAll(async () => {
		await h.close();
	});

	it('answers 200 to an event that is not selected, and starts no execution', async () => {
		const body = serializeTestEvent(buildTestEvent({ eventName: 'RENEWAL_DISABLED', environment: 'PRODUCTION' }));
		const answer = await postBytes(h.url, body, signedHeaders(body));
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toMatchObject({ received: true, ignored: expect.stringContaining('RENEWAL_DISABLED') });
		expectNoExecution(h);
	});

	it('answers 200 to a sandbox event when only production is selected, with no execution', async () => {
		const body = serializeTestEvent(buildTestEvent({ eventName: 'ACTIVATE', environment: 'SANDBOX' }));
		const answer = await postBytes(h.url, body, signedHeaders(body));
		expect(answer.status).toBe(200);
		expectNoExecution(h);
	});

	it('passes a selected production event and an additional name', async () => {
		for (const eventName of ['ACTIVATE', 'SUBSCRIPTION_TELEPORTED']) {
			const body = serializeTestEvent(buildTestEvent({ eventName, environment: 'PRODUCTION' }));
			const answer = await postBytes(h.url, body, signedHeaders(body));
			expect(answer.status).toBe(200);
			expect(lastHandled(h).result?.workflowData?.[0]).toHaveLength(1);
		}
	});

	it('still refuses a forged event before filtering it', async () => {
		const body = serializeTestEvent(buildTestEvent({ eventName: 'RENEWAL_DISABLED' }));
		const answer = await postBytes(h.url, body, signedHeaders(body, { secret: 'wrong' }));
		expect(answer.status).toBe(401);
	});
});

describe('Purchasely Trigger options', () => {
	let legacy: TriggerHarness;
	let noWindow: TriggerHarness;
	let headers: TriggerHarness;
	beforeAll(async () => {
		legacy = await harness({ options: { allowLegacySignature: true } });
		noWindow = await harness({ options: { timestampTolerance: 0 } });
		headers = await harness({ options: { includeHeaders: true } });
	});
	afterAll(async () => {
		await Promise.all([legacy.close(), noWindow.close(), headers.close()]);
	});

	it('accepts a legacy-signed event when Allow Legacy Signature is on, and says so in meta', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(legacy.url, body, signedHeaders(body, { legacy: true }));
		expect(answer.status).toBe(200);
		expect((lastHandled(legacy).result?.workflowData?.[0][0].json as IDataObject).meta).toMatchObject({
			signature: 'legacy',
		});
	});

	it('still refuses a wrong legacy signature with the option on', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(legacy.url, body, signedHeaders(body, { legacy: true, secret: 'wrong' }));
		expect(answer.status).toBe(401);
	});

	it('accepts an old timestamp when the tolerance is 0', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(noWindow.url, body, signedHeaders(body, { timestamp: '1698322022' }));
		expect(answer.status).toBe(200);
	});

	it('adds the request headers, without cookies or authorization, when Include Headers is on', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(headers.url, body, {
			...signedHeaders(body),
			Cookie: 'n8n-auth=abc',
			Authorization: 'Bearer xyz',
			'Api-Key': 'api-key-value',
			'X-Access-Token': 'access-token-value',
			'X-Amz-Security-Token': 'amz-token-value',
			'X-Request-Id': 'req-1',
		});
		expect(answer.status).toBe(200);
		const json = lastHandled(headers).result?.workflowData?.[0][0].json as IDataObject;
		expect(Object.keys(json).sort()).toEqual(['body', 'headers', 'meta']);
		const sent = json.headers as Record<string, string>;
		expect(sent['x-request-id']).toBe('req-1');
		expect(sent['x-purchasely-timestamp']).toMatch(/^\d+$/);
		expect(sent).not.toHaveProperty('cookie');
		expect(sent).not.toHaveProperty('authorization');
		for (const value of ['api-key-value', 'access-token-value', 'amz-token-value']) expect(JSON.stringify(json)).not.toContain(value);
		expect(JSON.stringify(json)).not.toContain(SECRET);
	});
});

describe('Purchasely Trigger with Respond "When the Workflow Finishes" (afterWorkflow)', () => {
	let h: TriggerHarness;
	beforeAll(async () => {
		h = await harness({ acknowledge: 'afterWorkflow' });
	});
	afterAll(async () => {
		await h.close();
	});

	it('still answers refusals itself, before any execution (n8n would otherwise wait for a run)', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(h.url, body, signedHeaders(body, { secret: 'wrong' }));
		expect(answer.status).toBe(401);
		expectNoExecution(h);
	});

	it('hands an accepted event to n8n as workflow data, leaving the answer to n8n', async () => {
		const body = serializeTestEvent(buildTestEvent());
		await postBytes(h.url, body, signedHeaders(body));
		const { result } = lastHandled(h);
		expect(result?.noWebhookResponse).toBeUndefined();
		expect(result?.workflowData?.[0]).toHaveLength(1);
	});
});

describe('Purchasely Trigger configuration errors', () => {
	it('answers 500 (and starts nothing) when the credential has no secret', async () => {
		const h = await harness({}, { sharedSecret: '' });
		try {
			const body = serializeTestEvent(buildTestEvent());
			const answer = await postBytes(h.url, body, signedHeaders(body, { secret: 'x' }));
			expect(answer.status).toBe(500);
			expect(JSON.parse(answer.body).detail).toContain('sharedSecret');
			expectNoExecution(h);
		} finally {
			await h.close();
		}
	});
});

describe('Purchasely Trigger response mode (n8n expression evaluation)', () => {
	function evaluate(parameters: INodeParameters, mode: WorkflowExecuteMode = 'webhook') {
		const nodeType = new PurchaselyTrigger();
		const { workflow, node } = buildWorkflow({
			nodeType,
			typeName: TYPE_NAME,
			credentialType: 'purchaselyWebhookApi',
			credentialData: {},
			parameters,
		});
		const webhook = nodeType.description.webhooks![0];
		return {
			responseMode: workflow.expression.getSimpleParameterValue(node, webhook.responseMode, mode, {}, undefined, 'onReceived'),
			responseData: workflow.expression.getComplexParameterValue(node, webhook.responseData!, mode, {}, undefined, 'firstEntryJson'),
		};
	}

	it('answers on receipt by default (n8n "onReceived", body from webhookResponse)', () => {
		expect(evaluate({})).toEqual({ responseMode: 'onReceived', responseData: '' });
	});

	it('maps Respond "When the Workflow Finishes" to n8n "lastNode" with no response data', () => {
		expect(evaluate({ acknowledge: 'afterWorkflow' })).toEqual({ responseMode: 'lastNode', responseData: 'noData' });
	});

	it('declares POST on the path "webhook"', () => {
		const webhook = new PurchaselyTrigger().description.webhooks![0];
		expect(webhook).toMatchObject({ name: 'default', httpMethod: 'POST', path: 'webhook' });
	});
});

describe('Purchasely Trigger on the test URL (n8n "manual" mode: the editor is listening)', () => {
	let h: TriggerHarness;
	beforeAll(async () => {
		h = await startTriggerHarness({
			nodeType: new PurchaselyTrigger(),
			typeName: TYPE_NAME,
			credentialType: 'purchaselyWebhookApi',
			credentialData: { sharedSecret: SECRET },
			mode: 'manual',
		});
	});
	afterAll(async () => {
		await h.close();
	});

	function lastError(): { message: string; description?: string | null; name: string } {
		const record = h.handled[h.handled.length - 1];
		expect(record.result).toBeUndefined();
		expect(record.error).toBeInstanceOf(Error);
		return record.error as { message: string; description?: string | null; name: string };
	}

	it('answers a wrongly signed request 401 itself, then throws the reason for the editor', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const answer = await postBytes(h.url, body, signedHeaders(body, { secret: 'another-secret' }));
		expect(answer.status).toBe(401);
		expect(JSON.parse(answer.body)).toMatchObject({ error: 'invalid signature' });
		const error = lastError();
		expect(error.name).toBe('NodeOperationError');
		expect(error.message).toBe(
			'Refused the test request (HTTP 401, invalid signature): X-PURCHASELY-REQUEST-SIGNATURE does not match the body and X-PURCHASELY-TIMESTAMP',
		);
		expect(error.description).toContain("credential's Shared Secret");
		expect(`${error.message}${error.description}`).not.toContain(SECRET);
	});

	it('answers a stale request 401 and a malformed body 400, each with its reason', async () => {
		const body = serializeTestEvent(buildTestEvent());
		const stale = await postBytes(h.url, body, signedHeaders(body, { timestamp: String(Math.floor(Date.now() / 1000) - 3600) }));
		expect(stale.status).toBe(401);
		expect(lastError().message).toMatch(/^Refused the test request \(HTTP 401, invalid timestamp\): X-PURCHASELY-TIMESTAMP is 36\d\d s old/);
		expect(lastError().description).toContain('Timestamp Tolerance');

		// (Text that is not JSON at all is refused by n8n's body parser, 422, before the node runs.)
		const noEventName = Buffer.from('{"user_id":"u1"}');
		const malformed = await postBytes(h.url, noEventName, signedHeaders(noEventName));
		expect(malformed.status).toBe(400);
		expect(lastError().message).toBe(
			'Refused the test request (HTTP 400, invalid payload): no event name: expected field "event_name" (webhook API version 3) or "name" (version 2)',
		);
	});

	it('still hands a correctly signed event to n8n as workflow data', async () => {
		const body = serializeTestEvent(buildTestEvent());
		await postBytes(h.url, body, signedHeaders(body));
		expect(lastHandled(h).result?.workflowData?.[0]).toHaveLength(1);
	});
});

describe('Purchasely Trigger version 1.1 (same behaviour; n8n reads its description natively where it can)', () => {
	let h: TriggerHarness;
	let evaluations: jest.SpyInstance;
	beforeAll(async () => {
		h = await harness({ events: ['ACTIVATE'], environment: 'both', acknowledge: 'immediately' }, undefined, 1.1);
	});
	beforeEach(() => {
		// Counts n8n's expression evaluations (every engine goes through renderExpression); calls through.
		evaluations = jest.spyOn(
			Expression.prototype as unknown as { renderExpression: (...args: unknown[]) => unknown },
			'renderExpression',
		);
	});
	afterEach(() => {
		evaluations.mockRestore();
	});
	afterAll(async () => {
		await h.close();
	});

	it('accepts a valid event with the same item as version 1, evaluating no expression', async () => {
		const body = serializeTestEvent(buildTestEvent({ eventName: 'ACTIVATE', userId: 'user_11' }));
		const answer = await postBytes(h.url, body, signedHeaders(body));
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.body)).toEqual({ received: true });
		const json = lastHandled(h).result?.workflowData?.[0][0].json as IDataObject;
		expect(json.meta).toMatchObject({ eventName: 'ACTIVATE', userId: 'user_11', signature: 'request' });
		expect(evaluations).not.toHaveBeenCalled();
	});

	it('refuses a forged request (401) and ignores an unselected event (200), with no execution and no expression', async () => {
		const forgedBody = serializeTestEvent(buildTestEvent({ eventName: 'ACTIVATE' }));
		const forged = await postBytes(h.url, forgedBody, signedHeaders(forgedBody, { secret: 'not-the-secret' }));
		expect(forged.status).toBe(401);
		expectNoExecution(h);
		const filteredBody = serializeTestEvent(buildTestEvent({ eventName: 'RENEWAL_DISABLED' }));
		const filtered = await postBytes(h.url, filteredBody, signedHeaders(filteredBody));
		expect(filtered.status).toBe(200);
		expect(JSON.parse(filtered.body)).toMatchObject({ received: true, ignored: expect.stringContaining('RENEWAL_DISABLED') });
		expectNoExecution(h);
		expect(evaluations).not.toHaveBeenCalled();
	});

	it('reads the body itself when n8n leaves it unread (a content type n8n does not parse past version 1)', async () => {
		const body = serializeTestEvent(buildTestEvent({ eventName: 'ACTIVATE' }));
		const headers = { ...signedHeaders(body), 'Content-Type': 'application/octet-stream' };
		const answer = await postBytes(h.url, body, headers);
		expect(answer.status).toBe(200);
		const { result, rawBody } = lastHandled(h);
		expect(rawBody?.equals(body)).toBe(true);
		expect(result?.workflowData?.[0]).toHaveLength(1);
	});

	it('still evaluates a parameter the user wrote as an expression (the counter sees evaluations)', async () => {
		const withExpression = await harness({ events: [], additionalEvents: '={{ "ACTIVATE" }}' }, undefined, 1.1);
		try {
			const body = serializeTestEvent(buildTestEvent({ eventName: 'RENEWAL_DISABLED' }));
			const answer = await postBytes(withExpression.url, body, signedHeaders(body));
			expect(answer.status).toBe(200);
			expect(JSON.parse(answer.body)).toMatchObject({ ignored: expect.stringContaining('RENEWAL_DISABLED') });
			expect(evaluations).toHaveBeenCalled();
		} finally {
			await withExpression.close();
		}
	});
});
