/**
 * Turns one input item's values (already read from parameters and from the item's JSON) into a
 * validated, API-neutral description of what to send, or the list of issues that keep it from going.
 */
import { coerceToType, inferAttribute, toEpochMs, toStringList, describe, ATTRIBUTE_TYPES, type AttributeType, type TypedAttribute } from './attributeTyping';
import { issue, type ItemIssue } from './itemIssue';
import { platformsFor, type Platform, type PlatformSetting } from './platformRouting';
import {
	checkAttributes,
	checkEventName,
	checkEventTime,
	checkIdentifier,
	checkLabel,
	checkTags,
	normaliseName,
	type BatchApiKind,
} from './validation';

export type Operation = 'trackEvent' | 'updateAttributes';
export type IdentifierType = 'customId' | 'installationId';

/** Per-execution settings that shape how items are prepared. */
export interface PreparationSettings {
	operation: Operation;
	api: BatchApiKind;
	platform: PlatformSetting;
	identifierType: IdentifierType;
	/** How the identifier is named in messages: the field path, or `identifierValue`. */
	identifierLabel: string;
	/** The attributes object's path, for messages (`attributesField` when none). */
	attributesFieldLabel: string;
	storeFieldLabel: string;
	/** How the event name is named in messages (`eventName`, or the field path it was read from). */
	eventNameLabel?: string;
	/** How the other parameters are named in messages (default: version 1's internal names). */
	labels?: Partial<PreparationLabels>;
	/**
	 * The final sentence of an issue (without the item prefix), given what it is about: lets a caller say how to fix
	 * it in its own words. Default: the sentence as the checks wrote it (version 1's messages).
	 */
	advise?: (subject: IssueSubject, found: ItemIssue) => string;
}

/** The names the messages give to parameters other than the identifier, event name, attributes object and store. */
export interface PreparationLabels {
	identifierType: string;
	time: string;
	label: string;
	tags: string;
	/** The attribute list as a whole (count limits, nothing to update). */
	attributes: string;
	/** An attribute row of the editor without a name (0-based index). */
	attributeEntry: (index: number) => string;
	/** An attribute of the editor, by its (lower-cased) name. */
	attributeNamed: (name: string) => string;
	/** A key of the attributes object. */
	objectKey: (objectLabel: string, key: string) => string;
}

/** What an issue is about, for `advise`. */
export type IssueSubject =
	| 'identifier'
	| 'identifierType'
	| 'eventName'
	| 'time'
	| 'label'
	| 'tags'
	| 'attribute'
	| 'attributesObject'
	| 'attributes'
	| 'store';

/** Version 1's names: the internal parameter names and dot paths. */
export const INTERNAL_LABELS: PreparationLabels = {
	identifierType: 'identifierType',
	time: 'eventOptions.time',
	label: 'eventOptions.label',
	tags: 'eventOptions.tags',
	attributes: 'attributes',
	attributeEntry: (index) => `attributes.attribute[${index}]`,
	attributeNamed: (name) => `attributes.${name}`,
	objectKey: (objectLabel, key) => `${objectLabel}.${key}`,
};

/** The raw values for one item. */
export interface ItemInputs {
	identifier: unknown;
	eventName?: unknown;
	time?: unknown;
	label?: unknown;
	tags?: unknown;
	editorAttributes?: ReadonlyArray<{ name?: unknown; type?: unknown; value?: unknown }>;
	/** The object at `attributesField` (undefined when that parameter is empty). */
	objectAttributes?: unknown;
	/** The value at `storeField` (Trigger Events API, platform "From Store"). */
	store?: unknown;
}

export interface PreparedItem {
	itemIndex: number;
	identifier: string;
	identifierType: IdentifierType;
	eventName?: string;
	/** Epoch ms; undefined lets Batch use the arrival time. */
	timeMs?: number;
	label?: string;
	tags?: string[];
	attributes: TypedAttribute[];
	/** Trigger Events API only: the apps the event goes to. */
	platforms: Platform[];
}

export type PreparationResult = { ok: true; item: PreparedItem } | { ok: false; issues: ItemIssue[] };

const isBlank = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

const mergedLabels = new WeakMap<PreparationSettings, PreparationLabels>();

/** The settings' labels over version 1's, merged once per settings object (a run prepares every item with one). */
function labelsFor(settings: PreparationSettings): PreparationLabels {
	let labels = mergedLabels.get(settings);
	if (!labels) {
		labels = { ...INTERNAL_LABELS, ...settings.labels };
		mergedLabels.set(settings, labels);
	}
	return labels;
}

export function prepareItem(itemIndex: number, settings: PreparationSettings, inputs: ItemInputs, nowMs: number): PreparationResult {
	const found: Array<[IssueSubject, ItemIssue]> = [];
	// A plain closure, not an object with a getter: such an object gets a hidden class of its own per call, which V8
	// allocates in old space, so that every prepared item left garbage there (bench/RESULTS.md, "Batch node memory").
	const issues = {
		push: (...entries: ItemIssue[]) => {
			for (const entry of entries) found.push([subject, entry]);
		},
	};
	let subject: IssueSubject = 'identifier';
	const labels = labelsFor(settings);
	const { api, operation } = settings;
	const target = operation === 'trackEvent' ? 'event' : 'profile';

	// Identifier
	let identifier = '';
	if (typeof inputs.identifier === 'string' || typeof inputs.identifier === 'number' || typeof inputs.identifier === 'bigint') {
		identifier = String(inputs.identifier);
	} else if (!isBlank(inputs.identifier)) {
		issues.push(issue(settings.identifierLabel, 'type', `${settings.identifierLabel} is ${describe(inputs.identifier)}; the identifier must be text`));
	}
	if (found.length === 0) {
		const problem = checkIdentifier(settings.identifierLabel, identifier, settings.identifierType);
		if (problem) issues.push(problem);
	}
	if (settings.identifierType === 'installationId' && api !== 'profile') {
		subject = 'identifierType';
		issues.push(issue(labels.identifierType, 'unsupported', `${labels.identifierType}: the Trigger Events API identifies users by Custom User ID only`));
	}

	// Event fields
	let eventName: string | undefined;
	let timeMs: number | undefined;
	let label: string | undefined;
	let tags: string[] | undefined;
	if (operation === 'trackEvent') {
		subject = 'eventName';
		const eventField = settings.eventNameLabel ?? 'eventName';
		eventName = typeof inputs.eventName === 'string' ? normaliseName(inputs.eventName) : isBlank(inputs.eventName) ? '' : undefined;
		if (eventName === undefined) {
			issues.push(issue(eventField, 'type', `${eventField} is ${describe(inputs.eventName)}; an event name must be text`));
		} else {
			const problem = checkEventName(eventField, eventName, api);
			if (problem) issues.push(problem);
		}
		subject = 'time';
		if (!isBlank(inputs.time)) {
			timeMs = toEpochMs(inputs.time);
			if (timeMs === undefined) {
				issues.push(issue(labels.time, 'type', `${labels.time} is ${describe(inputs.time)}; Batch needs an ISO 8601 date-time (e.g. 2024-05-01T10:00:00Z)`));
			} else {
				// The future is checked when the request is built (batchDispatch.ts), with the time of sending.
				const problem = checkEventTime(labels.time, timeMs, nowMs, false);
				if (problem) issues.push(problem);
			}
		}
		subject = 'label';
		if (!isBlank(inputs.label)) {
			label = typeof inputs.label === 'string' ? inputs.label : String(inputs.label);
			const problem = checkLabel(labels.label, label);
			if (problem) issues.push(problem);
		}
		subject = 'tags';
		if (!isBlank(inputs.tags)) {
			tags = toStringList(inputs.tags);
			if (tags === undefined) {
				issues.push(issue(labels.tags, 'type', `${labels.tags} is ${describe(inputs.tags)}; tags must be text separated by commas or a list of strings`));
			} else {
				issues.push(...checkTags(labels.tags, tags));
				if (tags.length === 0) tags = undefined;
			}
		}
	}

	// Attributes: the object first, then the editor's entries (which win on the same name).
	const byName = new Map<string, TypedAttribute>();
	if (inputs.objectAttributes !== undefined && inputs.objectAttributes !== null) {
		const source = inputs.objectAttributes;
		if (typeof source !== 'object' || Array.isArray(source)) {
			subject = 'attributesObject';
			issues.push(issue(settings.attributesFieldLabel, 'type', `${settings.attributesFieldLabel} is ${describe(source)}; attributesField must point to an object`));
		} else {
			// for…in over own keys, not Object.entries: no [key, value] array per attribute of every item.
			const record = source as Record<string, unknown>;
			for (const key in record) {
				if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
				const raw = record[key];
				const name = normaliseName(key);
				const field = labels.objectKey(settings.attributesFieldLabel, key);
				subject = 'attribute';
				const inferred = inferAttribute(name, field, raw);
				if (inferred === undefined) continue;
				if (!inferred.ok) issues.push(inferred.problem);
				else byName.set(name, inferred.value);
			}
		}
	}
	(inputs.editorAttributes ?? []).forEach((entry, index) => {
		const rawName = typeof entry.name === 'string' ? entry.name : '';
		const name = normaliseName(rawName);
		const field = name === '' ? labels.attributeEntry(index) : labels.attributeNamed(name);
		subject = 'attribute';
		const type = (typeof entry.type === 'string' ? entry.type : 'string') as AttributeType;
		if (!ATTRIBUTE_TYPES.includes(type)) {
			issues.push(issue(field, 'type', `${field} has unknown type "${String(entry.type)}"`));
			return;
		}
		if (name === '') {
			issues.push(issue(field, 'required', `${field} has no name`));
			return;
		}
		const coerced = coerceToType(name, field, type, entry.value);
		if (!coerced.ok) issues.push(coerced.problem);
		else byName.set(name, coerced.value);
	});
	let attributes = [...byName.values()];
	if (target === 'event') attributes = attributes.filter((attribute) => attribute.type !== 'null');
	subject = 'attribute';
	issues.push(...checkAttributes(attributes, target, api, { attributes: labels.attributes, label: labels.label, tags: labels.tags }));

	// Platforms (Trigger Events API only)
	let platforms: Platform[] = [];
	if (api === 'triggerEvents') {
		subject = 'store';
		const routed = platformsFor(settings.platform, inputs.store, settings.storeFieldLabel);
		if (routed.ok) platforms = routed.platforms;
		else issues.push(routed.problem);
	}

	if (operation === 'updateAttributes' && attributes.length === 0 && found.length === 0) {
		subject = 'attributes';
		issues.push(issue(labels.attributes, 'required', `${labels.attributes}: nothing to update; add attributes in the editor or set attributesField`));
	}

	if (found.length > 0) {
		const advise = settings.advise;
		return {
			ok: false,
			issues: found.map(([about, entry]) => (advise ? { ...entry, message: advise(about, entry) } : entry)),
		};
	}
	return {
		ok: true,
		item: { itemIndex, identifier, identifierType: settings.identifierType, eventName, timeMs, label, tags, attributes, platforms },
	};
}
