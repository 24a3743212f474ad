/**
 * The Trigger Events API 1.0 request, whole: path (with the app's key), headers and body (see requestDescription.ts).
 * Trigger Events API 1.0 requests (https://doc.batch.com/developer/api/mep/trigger-events-api/track-events and
 * .../parameters): `POST /1.0/<APP_API_KEY>/events/users` (bulk, ≤ 1000 events over several Custom User IDs),
 * header `X-Authorization: <REST API key>`. Event object: `name`, `time` (`YYYY-MM-ddTHH:mm:ss`, UTC), `label`,
 * `tags`, `attributes` (string, number, boolean; dates as `date(key)`).
 *
 * UNCONFIRMED (not shown in the text that could be read): the bulk body wrapper. By analogy with Batch's
 * Custom Data API the node sends `[{ "id": "<custom user id>", "events": [ … ] }, …]`, one entry per input item
 * (so a rejected entry maps back to one item). URL attributes go as plain strings: the parameters page lists
 * no URL type for this API.
 */
import { formatTriggerTime } from './attributeTyping';
import type { PreparedItem } from './itemPreparation';
import { setOwnKey } from './ownKeyRecord';
import type { Platform } from './platformRouting';
import { JSON_CONTENT_TYPE, type RequestDescription } from './requestDescription';

/** The keys a Trigger Events API request carries: the REST API key in a header, the app's key in the path. */
export interface TriggerEventsApiKeys {
	restApiKey: string;
	appApiKey: string;
}

export interface TriggerEvent {
	name: string;
	time?: string;
	label?: string;
	tags?: string[];
	attributes?: Record<string, string | number | boolean>;
}

export interface TriggerUserEvents {
	id: string;
	events: TriggerEvent[];
}

export function buildTriggerEvent(item: PreparedItem): TriggerEvent {
	const event: TriggerEvent = { name: item.eventName ?? '' };
	if (item.timeMs !== undefined) event.time = formatTriggerTime(item.timeMs);
	if (item.label !== undefined) event.label = item.label;
	if (item.tags !== undefined) event.tags = item.tags;
	// Whatever the name, an own key (ownKeyRecord.ts).
	const attributes: Record<string, string | number | boolean> = {};
	for (const attribute of item.attributes) {
		switch (attribute.type) {
			case 'date':
				attributes[`date(${attribute.name})`] = formatTriggerTime(attribute.value);
				break;
			case 'string':
			case 'url':
			case 'number':
			case 'boolean':
				setOwnKey(attributes, attribute.name, attribute.value);
				break;
			default:
				// Lists and nulls never reach here: validation rejects lists, preparation drops nulls on events.
				break;
		}
	}
	if (Object.keys(attributes).length > 0) event.attributes = attributes;
	return event;
}

export function buildTriggerUserEvents(item: PreparedItem): TriggerUserEvents {
	return { id: item.identifier, events: [buildTriggerEvent(item)] };
}

/** The bulk route for one app; the key is URL-encoded and must never be logged (see secretScrubbing.ts). */
export function triggerEventsPath(appApiKey: string): string {
	return `/1.0/${encodeURIComponent(appApiKey)}/events/users`;
}

export function appKeyFieldFor(platform: Platform): 'iosApiKey' | 'androidApiKey' {
	return platform === 'ios' ? 'iosApiKey' : 'androidApiKey';
}

/** The whole bulk request for these users' events to one app (entry i is the request's i-th element). */
export function triggerEventsApiRequest(entries: TriggerUserEvents[], keys: TriggerEventsApiKeys): RequestDescription<TriggerUserEvents[]> {
	return {
		method: 'POST',
		path: triggerEventsPath(keys.appApiKey),
		headers: { ...JSON_CONTENT_TYPE, 'x-authorization': keys.restApiKey },
		body: entries,
	};
}
