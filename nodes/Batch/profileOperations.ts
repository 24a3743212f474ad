/**
 * Profile API 2.x operations (`POST /2.x/profiles/update`, a JSON array of ≤ 200 operations).
 * Shape per https://doc.batch.com/developer/api/cep/profiles/update and the mass-update page's example:
 * `{ identifiers: { custom_id } | { installation: {…} }, attributes?: {…}, events?: [{ name, time?, attributes? }] }`;
 * dates as `date(key)` with an ISO 8601 value, URLs as `url(key)`; the event label and tags travel as the
 * reserved event attributes `$label` and `$tags`.
 *
 * UNCONFIRMED: the inside of the `installation` identifier. The official page says "Exactly one of custom_id
 * or installation must be provided" without showing its fields in what could be read; the node sends
 * `{ installation: { installation_id } }`, and Batch's answer (an error naming the field) is passed on as is.
 */
import { formatIsoUtc, type TypedAttribute } from './attributeTyping';
import type { PreparedItem, Operation } from './itemPreparation';

export type JsonScalar = string | number | boolean | null;
export type AttributeValue = JsonScalar | string[];

export interface ProfileEvent {
	name: string;
	time?: string;
	attributes?: Record<string, AttributeValue>;
}

export interface ProfileOperation {
	identifiers: { custom_id: string } | { installation: { installation_id: string } };
	attributes?: Record<string, AttributeValue>;
	events?: ProfileEvent[];
}

/** `date(key)` / `url(key)` keys and plain values for the Profile API. */
export function profileAttributeEntries(attributes: readonly TypedAttribute[]): Record<string, AttributeValue> {
	// No prototype: whatever the name, an assignment creates an own key (validation refuses __proto__ & co. anyway).
	const result = Object.create(null) as Record<string, AttributeValue>;
	for (const attribute of attributes) {
		switch (attribute.type) {
			case 'date':
				result[`date(${attribute.name})`] = formatIsoUtc(attribute.value);
				break;
			case 'url':
				result[`url(${attribute.name})`] = attribute.value;
				break;
			default:
				result[attribute.name] = attribute.value;
		}
	}
	return result;
}

export function buildProfileOperation(item: PreparedItem, operation: Operation): ProfileOperation {
	const identifiers: ProfileOperation['identifiers'] =
		item.identifierType === 'installationId' ? { installation: { installation_id: item.identifier } } : { custom_id: item.identifier };
	if (operation === 'updateAttributes') {
		return { identifiers, attributes: profileAttributeEntries(item.attributes) };
	}
	const attributes = profileAttributeEntries(item.attributes);
	if (item.label !== undefined) attributes.$label = item.label;
	if (item.tags !== undefined) attributes.$tags = item.tags;
	const event: ProfileEvent = { name: item.eventName ?? '' };
	if (item.timeMs !== undefined) event.time = formatIsoUtc(item.timeMs);
	if (Object.keys(attributes).length > 0) event.attributes = attributes;
	return { identifiers, events: [event] };
}
