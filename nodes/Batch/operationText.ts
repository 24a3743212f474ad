/**
 * A Profile API operation's JSON text, written straight from the prepared item: exactly
 * `JSON.stringify(buildProfileOperation(item, operation))` (profileApiRequest.ts), without building that object.
 *
 * Why: Output "One Summary Item" writes each operation into its request's body at once (operationPacking.ts). The
 * objects buildProfileOperation makes for that (the operation, its identifiers, its attributes record) live for
 * microseconds, yet in a real n8n, whose heap holds the run's items, V8 kept many of them past its young-generation
 * collections: a sampling heap profile of n8n main (objects that only a full collection freed), 100,000 profile
 * updates, gave 58 MB to profileAttributeEntries alone and 76 MB to this package in all; written as text, 16 MB
 * (bench/RESULTS.md, "Real n8n (outbound)"). Text leaves no object graph behind: strings only, and each quoted key
 * is made once per run (one OperationWriter per run).
 *
 * Key order is JSON.stringify's: it writes keys that are array indexes ("0", "42") first, so an item with an attribute
 * named with digits only is handed to JSON.stringify itself. Names are [a-z0-9_] and unique per item
 * (validation.ts, itemPreparation.ts), and `date(…)` / `url(…)` keys cannot be array indexes.
 * Pure: no I/O.
 */
import { formatIsoUtc, type TypedAttribute } from './attributeTyping';
import type { Operation, PreparedItem } from './itemPreparation';
import { buildProfileOperation, profileAttributeKey, profileAttributeValue } from './profileApiRequest';

/** Digits only: the names JSON.stringify could write first (array indexes), left to it. */
const DIGITS_ONLY = /^[0-9]+$/;

/** `"key":` for each attribute key, per kind: computed once per name and run. Undefined: digits only. */
class QuotedKeys {
	private readonly byKind = { plain: new Map<string, string | undefined>(), date: new Map<string, string | undefined>(), url: new Map<string, string | undefined>() };

	of(attribute: TypedAttribute): string | undefined {
		const cache = this.byKind[attribute.type === 'date' || attribute.type === 'url' ? attribute.type : 'plain'];
		if (cache.has(attribute.name)) return cache.get(attribute.name);
		const key = profileAttributeKey(attribute);
		const quoted = DIGITS_ONLY.test(key) ? undefined : `${JSON.stringify(key)}:`;
		cache.set(attribute.name, quoted);
		return quoted;
	}
}

const valueText = (attribute: TypedAttribute): string => JSON.stringify(profileAttributeValue(attribute));

/** Writes the operations of one run (one operation for every item). */
export class OperationWriter {
	private readonly keys = new QuotedKeys();

	constructor(private readonly operation: Operation) {}

	/** The operation's JSON text, as JSON.stringify(buildProfileOperation(item, operation)) gives it. */
	text(item: PreparedItem): string {
		const members = this.attributeMembers(item.attributes);
		if (members === undefined) return JSON.stringify(buildProfileOperation(item, this.operation));
		const identifiers =
			item.identifierType === 'installationId' ? `{"installation":{"installation_id":${JSON.stringify(item.identifier)}}}` : `{"custom_id":${JSON.stringify(item.identifier)}}`;
		if (this.operation === 'updateAttributes') return `{"identifiers":${identifiers},"attributes":{${members}}}`;

		let eventMembers = members;
		if (item.label !== undefined) eventMembers += `${eventMembers === '' ? '' : ','}"$label":${JSON.stringify(item.label)}`;
		if (item.tags !== undefined) eventMembers += `${eventMembers === '' ? '' : ','}"$tags":${JSON.stringify(item.tags)}`;
		let event = `{"name":${JSON.stringify(item.eventName ?? '')}`;
		if (item.timeMs !== undefined) event += `,"time":${JSON.stringify(formatIsoUtc(item.timeMs))}`;
		if (eventMembers !== '') event += `,"attributes":{${eventMembers}}`;
		return `{"identifiers":${identifiers},"events":[${event}}]}`;
	}

	/** `"k":v,…` of the attributes record, or undefined when a name is digits only. */
	private attributeMembers(attributes: readonly TypedAttribute[]): string | undefined {
		let members = '';
		for (const attribute of attributes) {
			const key = this.keys.of(attribute);
			if (key === undefined) return undefined;
			members += `${members === '' ? '' : ','}${key}${valueText(attribute)}`;
		}
		return members;
	}
}
