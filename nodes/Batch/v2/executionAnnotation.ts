/**
 * What version 2 writes into n8n's execution custom data so that the executions list can be searched by Batch
 * event and user (n8n: "Custom executions data", filter by key and value). n8n's limits (n8n-core
 * execution-metadata.ts, KV_LIMIT, and docs.n8n.io/workflows/executions/custom-executions-data): at most 10 keys
 * per execution, keys of at most 50 characters in [A-Za-z0-9_], values strings of at most 255 characters.
 * This node uses 3 keys and cuts each value at a whole entry, within 255 characters.
 */
import type { ItemOutcome } from '../outcomes';

export const CUSTOM_DATA_VALUE_LIMIT = 255;
export const CUSTOM_DATA_KEYS = { events: 'batch_event', users: 'batch_user', result: 'batch_result' } as const;

/** Distinct entries joined by ", ", as many whole entries as fit in the limit (then ", …"). */
export function joinWithin(entries: Iterable<string>, limit = CUSTOM_DATA_VALUE_LIMIT): string {
	const seen = new Set<string>();
	let text = '';
	for (const entry of entries) {
		if (entry === '' || seen.has(entry)) continue;
		seen.add(entry);
		const next = text === '' ? entry : `${text}, ${entry}`;
		if (next.length > limit - 3) {
			if (text === '') return entry.slice(0, limit - 1) + '…';
			return `${text}, …`;
		}
		text = next;
	}
	return text;
}

/** Splits a value written by joinWithin back into its entries (to merge with another Batch node's run). */
function entriesOf(value: string | undefined): string[] {
	if (!value) return [];
	return value.split(', ').filter((entry) => entry !== '…');
}

/**
 * The custom data of one run, merged with what an earlier Batch node of the same execution wrote (`previous`):
 * the event names and users first, then how many items Batch accepted (a dry run: how many items are valid, e.g.
 * `dry run: 3 valid, 1 invalid`, since nothing was sent).
 */
export function executionAnnotation(outcomes: readonly ItemOutcome[], previous: Record<string, string | undefined> = {}, dryRun = false): Record<string, string> {
	const events = outcomes.map((outcome) => (typeof outcome.json.eventName === 'string' ? outcome.json.eventName : ''));
	const users = outcomes.map((outcome) => (typeof outcome.json.identifier === 'string' ? outcome.json.identifier : ''));
	const accepted = outcomes.filter((outcome) => outcome.accepted).length;
	const annotation: Record<string, string> = {};
	const eventText = joinWithin([...entriesOf(previous[CUSTOM_DATA_KEYS.events]), ...events]);
	if (eventText !== '') annotation[CUSTOM_DATA_KEYS.events] = eventText;
	const userText = joinWithin([...entriesOf(previous[CUSTOM_DATA_KEYS.users]), ...users]);
	if (userText !== '') annotation[CUSTOM_DATA_KEYS.users] = userText;
	if (dryRun) {
		const invalid = outcomes.filter((outcome) => outcome.error !== undefined).length;
		const valid = outcomes.length - invalid;
		annotation[CUSTOM_DATA_KEYS.result] = invalid === 0 ? `dry run: ${valid} valid` : `dry run: ${valid} valid, ${invalid} invalid`;
		return annotation;
	}
	const failed = outcomes.length - accepted;
	annotation[CUSTOM_DATA_KEYS.result] = failed === 0 ? `${accepted} accepted` : `${accepted} accepted, ${failed} failed`;
	return annotation;
}
