/**
 * Runs a trigger node's `webhook()` the way n8n does, with genuine n8n pieces:
 * a real `Workflow` (n8n-workflow), a real `WebhookContext` (n8n-core) built per request, and
 * real HTTP requests/responses from a node:http server on 127.0.0.1.
 *
 * What n8n's webhook server does before the node's `webhook()` runs is reproduced here:
 * `parseIncomingMessage` (n8n-core, sets contentType/encoding), a `readRawBody()` that stores the
 * exact body bytes in `req.rawBody` (n8n's rawBodyReader middleware), and `parseBody` (JSON and
 * text bodies into `req.body`; n8n answers 422 itself when an application/json body does not
 * parse). After `webhook()`, if the node did not answer itself (`noWebhookResponse`), the helper
 * answers like n8n's "onReceived" mode: `webhookResponse` when the node returned workflow data,
 * `{"message":"Webhook call received"}` otherwise.
 *
 * Only 127.0.0.1, one server per call, closed by `close()` and by a safety timer.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { parseIncomingMessage, WebhookContext } from 'n8n-core';
import {
	type ICredentialDataDecryptedObject,
	type Workflow,
	type INode,
	type INodeParameters,
	type INodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { additionalDataWithCredential, singleNodeWorkflow } from './n8nSingleNodeWorkflow';

export const TRIGGER_NODE_NAME = 'Purchasely Trigger';

export interface TriggerHarnessOptions {
	nodeType: INodeType;
	/** n8n type name, e.g. n8n-nodes-purchasely-batch.purchaselyTrigger */
	typeName: string;
	credentialType: string;
	credentialData: ICredentialDataDecryptedObject;
	parameters?: INodeParameters;
	mode?: WorkflowExecuteMode;
	/** The node's typeVersion in the workflow (default 1). */
	typeVersion?: number;
	/** Close the server by itself after this long, whatever happens (default 60 s). */
	safetyTimeoutMs?: number;
}

export interface HandledRequest {
	/** What webhook() returned; undefined when it threw. */
	result?: IWebhookResponseData;
	error?: unknown;
	/** req.rawBody as the node saw it. */
	rawBody?: Buffer;
}

export interface TriggerHarness {
	url: string;
	workflow: Workflow;
	node: INode;
	handled: HandledRequest[];
	close(): Promise<void>;
}

type N8nRequest = IncomingMessage & {
	rawBody?: Buffer;
	body?: unknown;
	contentType?: string;
	encoding?: BufferEncoding;
	readRawBody?: () => Promise<void>;
	params?: Record<string, string>;
	query?: Record<string, string>;
};

function collect(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/** n8n 1.x / 2.x `isParsableContentType` (webhook-helpers): the bodies it parses for nodes past version 1. */
function isParsableContentType(contentType: string | undefined): boolean {
	if (contentType === undefined) return false;
	return (
		contentType.startsWith('application/json') ||
		contentType.startsWith('text/plain') ||
		contentType.startsWith('application/x-www-form-urlencoded') ||
		contentType.endsWith('/xml') ||
		contentType.endsWith('+xml')
	);
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
	if (res.headersSent) return;
	const text = JSON.stringify(body);
	res.statusCode = status;
	res.setHeader('Content-Type', 'application/json; charset=utf-8');
	res.end(text);
}

export function buildWorkflow(options: TriggerHarnessOptions): { workflow: Workflow; node: INode } {
	const node: INode = {
		id: 'b1c2d3e4-0000-4000-8000-000000000001',
		name: TRIGGER_NODE_NAME,
		type: options.typeName,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		webhookId: '5f0c2a1e-6d7b-4c8e-9f10-112233445566',
		parameters: { ...(options.parameters ?? {}) },
		credentials: { [options.credentialType]: { id: 'cred-1', name: 'Purchasely test credential' } },
	};
	return singleNodeWorkflow({
		workflowId: 'wf-purchasely-test',
		workflowName: 'Purchasely trigger test',
		active: true,
		nodeType: options.nodeType,
		typeName: options.typeName,
		node,
	});
}

function additionalDataFor(
	options: TriggerHarnessOptions,
	req: IncomingMessage,
	res: ServerResponse,
): IWorkflowExecuteAdditionalData {
	return additionalDataWithCredential(options.credentialType, options.credentialData, {
		httpRequest: req,
		httpResponse: res,
	});
}

/** Starts the server; every POST runs the node's webhook() through a fresh WebhookContext. */
export async function startTriggerHarness(options: TriggerHarnessOptions): Promise<TriggerHarness> {
	const { workflow, node } = buildWorkflow(options);
	const nodeType = options.nodeType;
	const webhookDescription = nodeType.description.webhooks?.[0];
	if (webhookDescription === undefined || nodeType.webhook === undefined) {
		throw new Error('the node type declares no webhook');
	}
	const handled: HandledRequest[] = [];

	const server: Server = createServer((incoming, res) => {
		void (async () => {
			const req = incoming as N8nRequest;
			req.params = {};
			req.query = {};
			// n8n: rawBodyReader middleware + parseBody (parseRequestBody in n8n's webhook helpers:
			// always for a version-1 node; for a later version only JSON, text, form and XML bodies,
			// the others are left unread for the node).
			parseIncomingMessage(req);
			req.readRawBody = async () => {
				if (!req.rawBody) req.rawBody = await collect(req);
			};
			if (node.typeVersion === 1 || isParsableContentType(req.contentType)) await req.readRawBody();
			const rawBody = req.rawBody;
			if (rawBody !== undefined && rawBody.length > 0) {
				const text = rawBody.toString(req.encoding ?? 'utf8');
				if (req.contentType === 'application/json') {
					try {
						req.body = JSON.parse(text);
					} catch {
						sendJson(res, 422, { message: 'Failed to parse request body' });
						return;
					}
				} else if (req.contentType === 'text/plain') {
					req.body = text;
				}
			}
			req.body ??= {};

			const additionalData = additionalDataFor(options, req, res);
			const webhookData: IWebhookData = {
				httpMethod: 'POST',
				node: node.name,
				path: webhookDescription.path,
				webhookDescription,
				workflowId: workflow.id,
				workflowExecuteAdditionalData: additionalData,
				webhookId: node.webhookId,
			};
			const context = new WebhookContext(
				workflow,
				node,
				additionalData,
				options.mode ?? 'webhook',
				webhookData,
				[],
				null,
			);
			const record: HandledRequest = { rawBody };
			handled.push(record);
			try {
				record.result = await nodeType.webhook!.call(context);
				record.rawBody = req.rawBody; // read by the node itself when n8n left it unread
			} catch (error) {
				record.error = error;
				sendJson(res, 500, { message: 'Workflow Webhook Error: Workflow could not be started!' });
				return;
			}
			if (record.result.noWebhookResponse === true) {
				if (!res.writableEnded) sendJson(res, 500, { message: 'node claimed to answer but did not' });
				return;
			}
			if (record.result.workflowData === undefined) {
				sendJson(res, 200, record.result.webhookResponse ?? { message: 'Webhook call received' });
				return;
			}
			sendJson(res, 200, record.result.webhookResponse ?? { message: 'Workflow was started' });
		})().catch((error: unknown) => {
			handled.push({ error });
			sendJson(res, 500, { message: 'harness failure' });
		});
	});
	server.requestTimeout = 10_000;
	server.headersTimeout = 10_000;

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;

	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		clearTimeout(safety);
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	};
	const safety = setTimeout(() => void close(), options.safetyTimeoutMs ?? 60_000);
	safety.unref();

	return { url: `http://127.0.0.1:${port}/webhook/${node.webhookId}/webhook`, workflow, node, handled, close };
}

export interface HttpAnswer {
	status: number;
	body: string;
	headers: IncomingMessage['headers'];
}

/** POSTs the exact bytes given, with the headers given, to a 127.0.0.1 URL (10 s bound). */
export function postBytes(url: string, body: Buffer | string, headers: Record<string, string>): Promise<HttpAnswer> {
	const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			url,
			{ method: 'POST', headers: { ...headers, 'Content-Length': String(bytes.length) }, timeout: 10_000 },
			(res) => {
				collect(res).then(
					(buffer) => resolve({ status: res.statusCode ?? 0, body: buffer.toString('utf8'), headers: res.headers }),
					reject,
				);
			},
		);
		req.on('timeout', () => req.destroy(new Error('request timed out')));
		req.on('error', reject);
		req.end(bytes);
	});
}
