/**
 * The Profile API 2.x request, whole: version, path, headers and body (see requestDescription.ts).
 * `POST /2.<minor>/profiles/update` or `/profiles/mass-update` (option Endpoint, endpointSelection.ts), headers
 * `Authorization: Bearer <REST API key>` and `X-Batch-Project: <project key>`, a JSON array of operations
 * (≤ 200 on update, ≤ 10,000 on mass update: batchLimits.ts). Mass update takes the same headers and body:
 * https://doc.batch.com/developer/api/cep/profiles/mass-update-profile ("See Update profile for more details &
 * examples on the request payload & error management").
 *
 * Operations (one per input item).
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
import type { ProfileEndpoint } from './batchLimits';
import type { PreparedItem, Operation } from './itemPreparation';
import { setOwnKey } from './ownKeyRecord';
import { JSON_CONTENT_TYPE, type RequestDescription } from './requestDescription';

/** The 2.x minor version the node speaks (the OpenAPI document's default server version). */
export const PROFILE_API_VERSION = '2.11';

/** The last path segment of each write endpoint: `POST /2.<minor>/profiles/<segment>`. */
export const PROFILE_ENDPOINT_PATHS: Readonly<Record<ProfileEndpoint, 'update' | 'mass-update'>> = {
	update: 'update',
	massUpdate: 'mass-update',
};

/** The keys a Profile API request carries (in its headers). */
export interface ProfileApiKeys {
	restApiKey: string;
	projectKey: string;
}

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

/** An attribute's key in a Profile API record: `date(name)` for a date, `url(name)` for a URL, else its name. */
export function profileAttributeKey(attribute: TypedAttribute): string {
	return attribute.type === 'date' || attribute.type === 'url' ? `${attribute.type}(${attribute.name})` : attribute.name;
}

/** An attribute's value in a Profile API record: dates as ISO 8601 text in UTC, the rest as they are. */
export function profileAttributeValue(attribute: TypedAttribute): AttributeValue {
	return attribute.type === 'date' ? formatIsoUtc(attribute.value) : attribute.value;
}

/** `date(key)` / `url(key)` keys and plain values for the Profile API. */
export function profileAttributeEntries(attributes: readonly TypedAttribute[]): Record<string, AttributeValue> {
	// Whatever the name, an own key (ownKeyRecord.ts).
	const result: Record<string, AttributeValue> = {};
	for (const attribute of attributes) setOwnKey(result, profileAttributeKey(attribute), profileAttributeValue(attribute));
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

/** The whole request for these operations (in this order: position i is Batch's `bulk_index` i). */
export function profileApiRequest(operations: ProfileOperation[], endpoint: ProfileEndpoint, keys: ProfileApiKeys): RequestDescription<ProfileOperation[]> {
	return {
		method: 'POST',
		path: `/${PROFILE_API_VERSION}/profiles/${PROFILE_ENDPOINT_PATHS[endpoint]}`,
		headers: { ...JSON_CONTENT_TYPE, authorization: `Bearer ${keys.restApiKey}`, 'x-batch-project': keys.projectKey },
		body: operations,
	};
}
