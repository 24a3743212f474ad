/**
 * Native (expression-engine-free) resolution of the trigger's webhook description, where the
 * running n8n provides it.
 *
 * The description's `responseMode` and `responseData` are expression templates over the
 * "Respond" parameter (`description.ts`). n8n evaluates them on every webhook request; with its
 * default `vm` expression engine that evaluation needs an isolate. n8n-workflow 2.x (read in
 * 2.41.0: `dist/cjs/webhook-description-fields.js`) exports `webhookDescriptionFields()`, which
 * attaches a native resolver to each field under a backend-only symbol; n8n's webhook code
 * (`resolveWebhookDescriptionField`, in n8n's `dist/webhooks/webhook-execution-context.js`)
 * calls the resolver instead of the engine when the field still holds the exact template the
 * resolver was declared with and the node's parameters hold no expression. Otherwise n8n
 * evaluates the template as before, so the values never differ.
 *
 * The fields are declared as `{ template, resolve }` pairs with this package's existing templates
 * (n8n-workflow's own `fromFunction()` would generate a template from the function's compiled
 * source instead): the description the editor and n8n 1.x see stays byte for byte the same, and
 * each resolver is tested against n8n's evaluation of its template (unit tests).
 *
 * Feature detection happens once, when the node module loads: n8n-workflow 1.x has no
 * `webhookDescriptionFields`, and the description then keeps the plain templates.
 */
import * as n8nWorkflow from 'n8n-workflow';
import type { INodeParameters, IWebhookDescription, NodeParameterValueType } from 'n8n-workflow';

import { RESPONSE_DATA_TEMPLATE, RESPONSE_MODE_TEMPLATE } from './description';

/** What `RESPONSE_MODE_TEMPLATE` evaluates to, from the node's (static) parameters. */
export function responseModeFor(parameters: INodeParameters): string {
	return parameters.acknowledge === 'afterWorkflow' ? 'lastNode' : 'onReceived';
}

/** What `RESPONSE_DATA_TEMPLATE` evaluates to, from the node's (static) parameters. */
export function responseDataFor(parameters: INodeParameters): string {
	return parameters.acknowledge === 'afterWorkflow' ? 'noData' : '';
}

/** One field as n8n-workflow 2.x's `webhookDescriptionFields()` takes it (its `WebhookDescriptionField`). */
export interface NativeField {
	template: string;
	resolve: (parameters: INodeParameters) => NodeParameterValueType | undefined;
}

/** n8n-workflow 2.x's `webhookDescriptionFields()`: template strings plus the resolver map (under a symbol). */
export type WebhookDescriptionFieldsFunction = (fields: Record<string, NativeField>) => Record<string, string>;

/** The resolvers this package declares, by description field. */
export const NATIVE_FIELDS: Readonly<Record<string, NativeField>> = {
	responseMode: { template: RESPONSE_MODE_TEMPLATE, resolve: responseModeFor },
	responseData: { template: RESPONSE_DATA_TEMPLATE, resolve: responseDataFor },
};

/** `webhookDescriptionFields` of the given n8n-workflow module, or undefined when it has none (n8n 1.x). */
export function findWebhookDescriptionFields(n8nWorkflowModule: object): WebhookDescriptionFieldsFunction | undefined {
	const candidate: unknown = Reflect.get(n8nWorkflowModule, 'webhookDescriptionFields');
	return typeof candidate === 'function' ? (candidate as WebhookDescriptionFieldsFunction) : undefined;
}

/**
 * The webhook descriptions with native resolvers attached to every field that carries one of
 * `NATIVE_FIELDS`' templates, when `n8nWorkflowModule` provides `webhookDescriptionFields`;
 * otherwise the descriptions unchanged. Never changes a field's (string) value.
 */
export function withNativeResolvers(
	webhooks: readonly IWebhookDescription[],
	n8nWorkflowModule: object = n8nWorkflow,
): IWebhookDescription[] {
	const webhookDescriptionFields = findWebhookDescriptionFields(n8nWorkflowModule);
	if (webhookDescriptionFields === undefined) return [...webhooks];
	return webhooks.map((webhook) => {
		const fields = Object.fromEntries(
			Object.entries(NATIVE_FIELDS).filter(([field, entry]) => webhook[field] === entry.template),
		);
		if (Object.keys(fields).length === 0) return webhook;
		return { ...webhook, ...webhookDescriptionFields(fields) } as IWebhookDescription;
	});
}
