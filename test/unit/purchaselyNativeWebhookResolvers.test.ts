/**
 * Purchasely Trigger 1.1's webhook description: native resolvers attached when n8n-workflow has
 * `webhookDescriptionFields` (n8n 2.x), the plain templates otherwise (n8n 1.x), and resolvers that
 * give exactly what n8n's expression evaluator gives for the same templates.
 */
import * as n8nWorkflow from 'n8n-workflow';
import type { INodeParameters, IWebhookDescription } from 'n8n-workflow';

import {
	purchaselyWebhooks,
	RESPONSE_DATA_TEMPLATE,
	RESPONSE_MODE_TEMPLATE,
} from '../../nodes/PurchaselyTrigger/description';
import {
	findWebhookDescriptionFields,
	NATIVE_FIELDS,
	responseDataFor,
	responseModeFor,
	withNativeResolvers,
	type NativeField,
} from '../../nodes/PurchaselyTrigger/nativeWebhookResolvers';
import { PurchaselyTrigger } from '../../nodes/PurchaselyTrigger/PurchaselyTrigger.node';
import { buildWorkflow } from '../helpers/n8nWebhookContext';

/** n8n-workflow 2.x's key for the resolver map (`WEBHOOK_RESOLVERS` = Symbol.for(...), interfaces.js). */
const WEBHOOK_RESOLVERS = Symbol.for('n8n.webhookDescriptionResolvers');

/**
 * An n8n-workflow module that has `webhookDescriptionFields`, with that function's documented
 * contract (n8n-workflow 2.41.0 webhook-description-fields.d.ts): the template string per field,
 * plus the `{ template, resolve }` entries under WEBHOOK_RESOLVERS. The real one runs in the e2e
 * test against a real n8n 2.41.1 (trigger-v1-1.test.ts).
 */
function moduleWithResolvers() {
	const calls: Array<Record<string, NativeField>> = [];
	return {
		calls,
		module: {
			webhookDescriptionFields(fields: Record<string, NativeField>) {
				calls.push(fields);
				const templates = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.template]));
				return { ...templates, [WEBHOOK_RESOLVERS]: fields };
			},
		},
	};
}

const resolversOf = (webhook: IWebhookDescription) =>
	(webhook as unknown as Record<symbol, Record<string, NativeField> | undefined>)[WEBHOOK_RESOLVERS];

describe('Purchasely Trigger versions', () => {
	const description = new PurchaselyTrigger().description;

	it('is version 1 and 1.1, new nodes get 1.1', () => {
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
	});

	it('keeps the webhook fields as the editor and n8n 1.x read them (same strings as before 1.1)', () => {
		expect(JSON.parse(JSON.stringify(description.webhooks))).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				path: 'webhook',
				responseMode: '={{$parameter["acknowledge"] === "afterWorkflow" ? "lastNode" : "onReceived"}}',
				responseData: '={{$parameter["acknowledge"] === "afterWorkflow" ? "noData" : ""}}',
			},
		]);
	});

	it('attaches resolvers exactly when the n8n-workflow it runs with has webhookDescriptionFields', () => {
		const available = typeof Reflect.get(n8nWorkflow, 'webhookDescriptionFields') === 'function';
		expect(resolversOf(description.webhooks![0]) !== undefined).toBe(available);
	});
});

describe('feature detection', () => {
	it('finds nothing in an n8n-workflow without webhookDescriptionFields (n8n 1.x) and keeps the templates', () => {
		expect(findWebhookDescriptionFields({})).toBeUndefined();
		expect(findWebhookDescriptionFields({ webhookDescriptionFields: 'not a function' })).toBeUndefined();
		const webhooks = withNativeResolvers(purchaselyWebhooks, {});
		expect(webhooks).toEqual(purchaselyWebhooks);
		expect(Object.getOwnPropertySymbols(webhooks[0])).toEqual([]);
	});

	it('declares both response fields through webhookDescriptionFields when n8n-workflow has it (n8n 2.x)', () => {
		const { module, calls } = moduleWithResolvers();
		const [webhook] = withNativeResolvers(purchaselyWebhooks, module);
		expect(calls).toEqual([NATIVE_FIELDS]);
		expect({ ...webhook }).toMatchObject(purchaselyWebhooks[0]); // string fields unchanged
		expect(JSON.stringify(webhook)).toBe(JSON.stringify(purchaselyWebhooks[0]));
		const resolvers = resolversOf(webhook)!;
		expect(Object.keys(resolvers).sort()).toEqual(['responseData', 'responseMode']);
		expect(resolvers.responseMode.template).toBe(webhook.responseMode);
		expect(resolvers.responseData.template).toBe(webhook.responseData);
		expect(resolvers.responseMode.resolve({ acknowledge: 'afterWorkflow' })).toBe('lastNode');
	});

	it('leaves a field alone whose value is not the template its resolver was written for', () => {
		const { module, calls } = moduleWithResolvers();
		const changed: IWebhookDescription = { ...purchaselyWebhooks[0], responseData: 'noData' };
		const [webhook] = withNativeResolvers([changed], module);
		expect(Object.keys(calls[0])).toEqual(['responseMode']);
		expect(webhook.responseData).toBe('noData');
		expect(Object.keys(resolversOf(webhook)!)).toEqual(['responseMode']);
		const plain: IWebhookDescription = { name: 'default', httpMethod: 'POST', path: 'webhook' };
		expect(withNativeResolvers([plain], module)[0]).toBe(plain);
	});
});

describe('resolvers give what n8n evaluates from the same templates', () => {
	const cases: INodeParameters[] = [
		{},
		{ acknowledge: 'immediately' },
		{ acknowledge: 'afterWorkflow' },
		{ acknowledge: 'AFTERWORKFLOW' },
		{ acknowledge: '' },
		{ acknowledge: 'afterWorkflow', events: ['ACTIVATE'], environment: 'sandbox', options: { includeHeaders: true } },
	];

	it.each(cases.map((parameters) => [JSON.stringify(parameters), parameters]))('parameters %s', (_label, parameters) => {
		const nodeType = new PurchaselyTrigger();
		// The Workflow constructor fills in parameter defaults, as n8n does before resolving.
		const { workflow, node } = buildWorkflow({
			nodeType,
			typeName: 'n8n-nodes-purchasely-batch.purchaselyTrigger',
			credentialType: 'purchaselyWebhookApi',
			credentialData: {},
			parameters: parameters as INodeParameters,
			typeVersion: 1.1,
		});
		const evaluated = {
			responseMode: workflow.expression.getSimpleParameterValue(node, RESPONSE_MODE_TEMPLATE, 'webhook', {}, undefined, 'onReceived'),
			responseData: workflow.expression.getComplexParameterValue(node, RESPONSE_DATA_TEMPLATE, 'webhook', {}, undefined, 'firstEntryJson'),
		};
		expect({ responseMode: responseModeFor(node.parameters), responseData: responseDataFor(node.parameters) }).toEqual(evaluated);
	});
});
