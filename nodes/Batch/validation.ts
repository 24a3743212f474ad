/**
 * Batch's rules, checked before anything is sent (sources in batchLimits.ts). Each check returns the
 * issue(s) found, naming the field and the rule; an item with issues is reported and not sent, while
 * the other items still go.
 */
import {
	MAX_CUSTOM_ID_LENGTH,
	MAX_EVENT_AGE_MS,
	MAX_LABEL_LENGTH,
	MAX_NAME_LENGTH,
	MAX_TAGS,
	MAX_TAG_LENGTH,
	NAME_PATTERN,
	NATIVE_PROFILE_ATTRIBUTES,
	VALUE_LIMITS,
} from './batchLimits';
import { formatIsoUtc, type TypedAttribute } from './attributeTyping';
import { issue, type ItemIssue } from './itemIssue';

export type BatchApiKind = 'profile' | 'triggerEvents';
/** Where attributes go: on the event (Track Event) or on the profile (Update Profile Attributes). */
export type AttributeTarget = 'event' | 'profile';

/**
 * Names are trimmed and lower-cased before they are checked and sent. Batch matches event and attribute names
 * case-insensitively; nothing documents that its servers lower-case them. Batch's own SDKs lower-case attribute
 * names (Android `BatchEventAttributes.java`: `key.toLowerCase(Locale.US)`; iOS `BATProfileEditor.swift`:
 * `name.lowercased()`) and send event names upper-cased (Android `ProfileModule.java`: `event.toUpperCase(Locale.US)`),
 * and Segment's Batch destination lower-cases event names (updateProfile/utils.ts). Lower-casing is therefore
 * harmless and gives one stable spelling. Sources and status: docs/batch-api-notes.md §3.
 */
export function normaliseName(raw: string): string {
	return raw.trim().toLowerCase();
}

/**
 * Event names: [a-z0-9_], at most 30 characters. On the Trigger Events API the documented example
 * (`ue.added_to_cart`, TRIGGER_PARAMETERS) carries a `ue.` prefix, so that prefix is allowed there.
 */
export function checkEventName(field: string, name: string, api: BatchApiKind = 'profile'): ItemIssue | undefined {
	if (name === '') return issue(field, 'required', `${field} is empty; an event name is required`);
	const bare = api === 'triggerEvents' && name.startsWith('ue.') ? name.slice(3) : name;
	if (bare.length > MAX_NAME_LENGTH) {
		return issue(field, 'maxLength', `${field} is ${bare.length} characters; Batch allows at most ${MAX_NAME_LENGTH}`);
	}
	if (!NAME_PATTERN.test(bare)) {
		return issue(field, 'namePattern', `${field} "${name}" may only contain letters, digits and underscores ([a-z0-9_], at most ${MAX_NAME_LENGTH})`);
	}
	return undefined;
}

/** Names JavaScript objects give a meaning to: refused so that no attribute can be dropped or reach a prototype. */
export const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** How messages name the attribute list and the event label and tags (default: version 1's internal names). */
export interface AttributeCheckLabels {
	attributes: string;
	label: string;
	tags: string;
}

const INTERNAL_ATTRIBUTE_LABELS: AttributeCheckLabels = { attributes: 'attributes', label: 'eventOptions.label', tags: 'eventOptions.tags' };

export function checkAttributeName(
	field: string,
	name: string,
	target: AttributeTarget,
	api: BatchApiKind,
	labels: AttributeCheckLabels = INTERNAL_ATTRIBUTE_LABELS,
): ItemIssue | undefined {
	if (name === '') return issue(field, 'required', `${field} has no name`);
	if (PROTOTYPE_NAMES.has(name)) {
		return issue(field, 'reservedName', `${field}: the attribute name "${name}" is reserved (${[...PROTOTYPE_NAMES].join(', ')} cannot be sent); rename it`);
	}
	if (name.startsWith('$')) {
		if (target === 'profile' && api === 'profile' && NATIVE_PROFILE_ATTRIBUTES.has(name)) return undefined;
		return issue(
			field,
			'reservedName',
			target === 'profile'
				? `${field}: "${name}" is not a native profile attribute Batch accepts (${[...NATIVE_PROFILE_ATTRIBUTES].join(', ')})`
				: `${field}: names starting with $ are reserved on events; use ${labels.label} and ${labels.tags} for $label and $tags`,
		);
	}
	if (name.length > MAX_NAME_LENGTH) {
		return issue(field, 'maxLength', `${field} name "${name}" is ${name.length} characters; Batch allows at most ${MAX_NAME_LENGTH}`);
	}
	if (!NAME_PATTERN.test(name)) {
		return issue(field, 'namePattern', `${field} name "${name}" may only contain letters, digits and underscores ([a-z0-9_], at most ${MAX_NAME_LENGTH})`);
	}
	return undefined;
}

export function checkLabel(field: string, label: string): ItemIssue | undefined {
	if (label.length > MAX_LABEL_LENGTH) {
		return issue(field, 'maxLength', `${field} is ${label.length} characters; Batch allows at most ${MAX_LABEL_LENGTH}`);
	}
	return undefined;
}

/**
 * Empty text values are refused per item, never sent and never silently left out.
 *
 * Sources (docs/batch-api-notes.md §4): Batch's Android SDK refuses them ("String attributes can't be null, empty or
 * longer than 300 characters", `ProfileDataHelper.java`; "string attribute cannot be empty or made of whitespace",
 * "tag cannot be empty or made of whitespace", `EventAttributesValidator.java`), so does the iOS SDK
 * (`BATEventAttributesValidator.swift`) and the Web SDK's page ("must not be longer than 64 characters and can't be
 * empty", https://doc.batch.com/web/custom-data/custom-attributes/); a third party quotes the Profile API page
 * (https://doc.batch.com/developer/api/cep/profiles/update, "cannot be empty or over 300 characters"), whose section
 * could not be read here. Batch answers such a value with a partial error inside a 202 while the call "succeeds".
 * Refused rather than omitted: leaving the attribute out would send something other than what the workflow asked
 * for without saying so; refusing names the item, the field and the fix. (Deleting a profile attribute is `null`,
 * not "": give null through the attributes object.) Whitespace-only counts as empty, as in the SDKs.
 */
export function isEmptyText(value: string): boolean {
	return value.trim() === '';
}

function emptyTextIssue(field: string): ItemIssue {
	return issue(field, 'emptyValue', `${field} is empty; Batch refuses empty (or blank) text values`);
}

export function checkTags(field: string, tags: readonly string[]): ItemIssue[] {
	const issues: ItemIssue[] = [];
	if (tags.length > MAX_TAGS) issues.push(issue(field, 'maxItems', `${field} has ${tags.length} tags; Batch allows at most ${MAX_TAGS}`));
	tags.forEach((tag, index) => {
		if (isEmptyText(tag)) {
			issues.push(issue(`${field}[${index}]`, 'emptyValue', `${field}[${index}] is empty; Batch refuses empty tags`));
		} else if (tag.length > MAX_TAG_LENGTH) {
			issues.push(issue(`${field}[${index}]`, 'maxLength', `${field}[${index}] is ${tag.length} characters; Batch allows at most ${MAX_TAG_LENGTH}`));
		}
	});
	return issues;
}

/**
 * Batch takes events from the last 24 hours and none from the future (0 s ahead: "no events in the future").
 * Confirmed for the Trigger Events API (https://doc.batch.com/developer/api/mep/trigger-events-api/parameters);
 * UNCONFIRMED for the Profile API (not found in its page; mParticle and third-party clients apply it), applied
 * there too so that an event is never silently dropped later. The node checks it when each request is built
 * (batchDispatch.ts), not when the execution starts: rate-limit waits and retries take time, and one event
 * from the future fails a whole Trigger Events bulk call. `checkFuture: false` checks the 24-hour bound only
 * (item preparation, at the start: an event too old then is too old later too).
 */
export function checkEventTime(field: string, timeMs: number, nowMs: number, checkFuture = true): ItemIssue | undefined {
	if (checkFuture && timeMs > nowMs) {
		return issue(field, 'timeWindow', `${field} ${formatIsoUtc(timeMs)} is in the future; Batch accepts no events from the future (checked when the request was built)`);
	}
	if (timeMs < nowMs - MAX_EVENT_AGE_MS) {
		return issue(field, 'timeWindow', `${field} ${formatIsoUtc(timeMs)} is more than 24 hours old; Batch accepts events from the last 24 hours only`);
	}
	return undefined;
}

export function checkIdentifier(field: string, identifier: string, kind: 'customId' | 'installationId'): ItemIssue | undefined {
	const what = kind === 'customId' ? 'a Custom User ID' : 'an installation ID';
	if (identifier.trim() === '') return issue(field, 'required', `${field} is empty; ${what} is required`);
	if (kind === 'customId' && identifier.length > MAX_CUSTOM_ID_LENGTH) {
		return issue(field, 'maxLength', `${field} is ${identifier.length} characters; Batch allows at most ${MAX_CUSTOM_ID_LENGTH} for a Custom User ID`);
	}
	return undefined;
}

/** Checks attribute names, count, value types and sizes against the API's limits. */
export function checkAttributes(
	attributes: readonly TypedAttribute[],
	target: AttributeTarget,
	api: BatchApiKind,
	labels: AttributeCheckLabels = INTERNAL_ATTRIBUTE_LABELS,
): ItemIssue[] {
	const limits = VALUE_LIMITS[api];
	const issues: ItemIssue[] = [];
	if (target === 'event') {
		const counted = attributes.filter((attribute) => attribute.type !== 'null').length;
		if (counted > limits.maxEventAttributes) {
			issues.push(issue(labels.attributes, 'maxAttributes', `${labels.attributes} has ${counted} event attributes; Batch allows at most ${limits.maxEventAttributes} per event`));
		}
	}
	for (const attribute of attributes) {
		const nameProblem = checkAttributeName(attribute.field, attribute.name, target, api, labels);
		if (nameProblem) {
			issues.push(nameProblem);
			continue;
		}
		const { field } = attribute;
		switch (attribute.type) {
			case 'string':
				if (isEmptyText(attribute.value)) {
					issues.push(emptyTextIssue(field));
				} else if (attribute.value.length > limits.maxStringLength) {
					issues.push(issue(field, 'maxLength', `${field} is ${attribute.value.length} characters; Batch allows at most ${limits.maxStringLength}`));
				}
				break;
			case 'url':
				if (attribute.value.length > limits.maxUrlLength) {
					issues.push(issue(field, 'maxLength', `${field} is a URL of ${attribute.value.length} characters; Batch allows at most ${limits.maxUrlLength}${api === 'triggerEvents' ? ' (the Trigger Events API takes URLs as strings)' : ''}`));
				}
				break;
			case 'stringList':
				if (!limits.allowsStringLists) {
					issues.push(issue(field, 'unsupportedType', `${field} is a list; the Trigger Events API accepts only string, number, boolean and date attributes`));
					break;
				}
				if (attribute.value.length > limits.maxStringListItems) {
					issues.push(issue(field, 'maxItems', `${field} has ${attribute.value.length} items; Batch allows at most ${limits.maxStringListItems}`));
				}
				attribute.value.forEach((entry, index) => {
					if (isEmptyText(entry)) {
						issues.push(emptyTextIssue(`${field}[${index}]`));
					} else if (entry.length > limits.maxStringLength) {
						issues.push(issue(`${field}[${index}]`, 'maxLength', `${field}[${index}] is ${entry.length} characters; Batch allows at most ${limits.maxStringLength}`));
					}
				});
				break;
			case 'null':
				if (target === 'event') continue;
				break;
			default:
				break;
		}
	}
	return issues;
}
