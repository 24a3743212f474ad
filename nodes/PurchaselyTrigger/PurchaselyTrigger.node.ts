import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { MAIN_CONNECTION } from '../shared/mainConnection';

import { purchaselyTriggerProperties, purchaselyWebhooks, TRIGGER_PANEL } from './description';
import { decideEvent, isEnvironmentFilter, payloadEnvironment } from './eventFilter';
import { withNativeResolvers } from './nativeWebhookResolvers';
import { deriveMeta, parsePayload } from './payload';
import { getRawBody } from './rawBody';
import { describeRefusal, type RefusalKind } from './refusalReport';
import { checkReplayWindow, DEFAULT_TIMESTAMP_TOLERANCE_SECONDS } from './replayWindow';
import { safeHeaders } from './safeHeaders';
import { verifySignature } from './signature';

/** What the node needs from the response object (an Express response in n8n 1.x and 2.x). */
interface JsonResponse {
	statusCode: number;
	headersSent?: boolean;
	setHeader(name: string, value: string | number): unknown;
	end(body: string): unknown;
}

interface TriggerOptions {
	timestampTolerance?: unknown;
	allowLegacySignature?: unknown;
	includeHeaders?: unknown;
}

/**
 * The webhook declaration, with n8n-workflow 2.x's native resolvers attached when the running n8n
 * has them (decided once, at load): n8n then reads Respond's response mode without its expression
 * engine.
 */
const WEBHOOKS = withNativeResolvers(purchaselyWebhooks);

/** Answers the request here and tells n8n not to answer it nor start an execution. */
function answer(res: JsonResponse, status: number, body: IDataObject): IWebhookResponseData {
	if (res.headersSent !== true) {
		const text = JSON.stringify(body);
		res.statusCode = status;
		res.setHeader('Content-Type', 'application/json; charset=utf-8');
		res.setHeader('Content-Length', Buffer.byteLength(text));
		res.end(text);
	}
	return { noWebhookResponse: true };
}

export class PurchaselyTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Purchasely Trigger',
		name: 'purchaselyTrigger',
		icon: { light: 'file:purchasely.svg', dark: 'file:purchasely.dark.svg' },
		group: ['trigger'],
		// 1.1 behaves exactly as 1. n8n (1.x and 2.x, `parseRequestBody` in its webhook helpers)
		// evaluates the expression `$parameter["options"]["binaryData"]` on every request to a
		// webhook node whose typeVersion is exactly 1, a leftover of its own Webhook node v1. At 1.1
		// that evaluation is skipped; with the native resolvers above and
		// N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, a refused or ignored request then needs no
		// expression isolate at all. (At 1.1 n8n parses only JSON, text, form and XML bodies itself;
		// the node reads the raw bytes either way, rawBody.ts.)
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{ ($parameter["events"].length || $parameter["additionalEvents"]) ? "Selected events" : "All events" }}',
		description: 'Starts the workflow when Purchasely sends a signed subscription event (server webhook)',
		eventTriggerDescription: 'Waiting for a signed Purchasely event on the test URL',
		activationMessage:
			'Paste the production URL as the webhook URL of your Purchasely app; only correctly signed events start the workflow.',
		triggerPanel: TRIGGER_PANEL,
		defaults: { name: 'Purchasely Trigger' },
		inputs: [],
		outputs: [MAIN_CONNECTION],
		credentials: [{ name: 'purchaselyWebhookApi', required: true }],
		webhooks: WEBHOOKS,
		properties: purchaselyTriggerProperties,
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const receivedAt = new Date();
		const res = this.getResponseObject() as unknown as JsonResponse;
		const refuse = (status: number, error: RefusalKind, detail: string): IWebhookResponseData => {
			// Configuration errors are the n8n user's to fix: log them loudly. Refused requests
			// (anyone can send one) only at debug level. Never the secret.
			const log = status >= 500 ? this.logger?.error : this.logger?.debug;
			log?.call(this.logger, `Purchasely Trigger answered ${status}: ${error} (${detail})`, {
				node: this.getNode().name,
			});
			const answered = answer(res, status, { error, detail });
			if (this.getMode() === 'manual') {
				// The test URL: the operator is watching the editor. The request is already answered
				// (401/400/500 above); throwing makes n8n record the reason as the test run's error
				// (an execution in "error", no node after the trigger runs), which the editor shows.
				// n8n then fails to send its own 500 on the finished response and logs "Cannot set
				// headers after they are sent" (n8n 2.41.1): the price of keeping the 401 on the wire.
				const report = describeRefusal(status, error, detail);
				throw new NodeOperationError(this.getNode(), report.message, { description: report.description });
			}
			return answered;
		};

		// Configuration: a problem here is the n8n user's to fix, so answer 500 (Purchasely will
		// deliver the event again later) and say which field is wrong.
		const credentials = await this.getCredentials('purchaselyWebhookApi');
		const secret = typeof credentials.sharedSecret === 'string' ? credentials.sharedSecret : '';
		if (secret.length === 0) {
			return refuse(500, 'configuration error', 'credential field "Shared Secret" (sharedSecret) is empty');
		}
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const tolerance =
			options.timestampTolerance === undefined ? DEFAULT_TIMESTAMP_TOLERANCE_SECONDS : Number(options.timestampTolerance);
		if (!Number.isFinite(tolerance) || tolerance < 0) {
			return refuse(500, 'configuration error', 'option "Timestamp Tolerance" (timestampTolerance) must be a number of seconds >= 0');
		}
		const environment = this.getNodeParameter('environment', 'both');
		if (!isEnvironmentFilter(environment)) {
			return refuse(500, 'configuration error', 'parameter "Environment" (environment) must be both, production or sandbox');
		}
		const events = this.getNodeParameter('events', []);
		const additionalEvents = this.getNodeParameter('additionalEvents', '');

		// Authenticity, over the exact bytes Purchasely signed.
		const rawBody = await getRawBody(this.getRequestObject() as unknown as Parameters<typeof getRawBody>[0]);
		if (rawBody === undefined) {
			return refuse(500, 'configuration error', 'the raw request body is not available, so the signature cannot be verified');
		}
		const headers = this.getHeaderData();
		const signature = verifySignature({
			secret,
			headers,
			rawBody,
			allowLegacy: options.allowLegacySignature === true,
		});
		if (!signature.ok) return refuse(401, 'invalid signature', signature.message);

		const freshness = checkReplayWindow(signature.timestamp, receivedAt.getTime(), tolerance);
		if (!freshness.ok) return refuse(401, 'invalid timestamp', freshness.message);

		// Shape.
		const payload = parsePayload(rawBody);
		if (!payload.ok) return refuse(400, 'invalid payload', payload.message);
		const meta = deriveMeta(payload, { signature: signature.scheme, receivedAt });

		// Selection: events the user did not ask for are acknowledged and dropped.
		const decision = decideEvent(
			{
				events: Array.isArray(events) ? events.map(String) : [],
				additionalEvents: typeof additionalEvents === 'string' ? additionalEvents : '',
				environment,
			},
			{ eventName: meta.eventName, environment: payloadEnvironment(payload.body) },
		);
		if (!decision.pass) {
			this.logger?.debug(`Purchasely Trigger ignored an event: ${decision.message}`, {
				node: this.getNode().name,
			});
			return answer(res, 200, { received: true, ignored: decision.message });
		}

		const json: IDataObject = { body: payload.body as IDataObject, meta };
		if (options.includeHeaders === true) json.headers = safeHeaders(headers);
		return {
			workflowData: [[{ json }]],
			// The body n8n sends with Respond "Immediately"; "When the Workflow Finishes" ignores it.
			webhookResponse: { received: true },
		};
	}
}
