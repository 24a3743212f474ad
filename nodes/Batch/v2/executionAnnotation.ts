/**
 * What version 2 writes into n8n's execution custom data so that the executions list can be searched by Batch
 * event and user (n8n: "Custom executions data", filter by key and value). n8n's limits (n8n-core
 * execution-metadata.ts, KV_LIMIT, and docs.n8n.io/workflows/executions/custom-executions-data): at most 10 keys
 * per execution, keys of at most 50 characters in [A-Za-z0-9_], values strings of at most 255 characters.
 * This node uses 3 keys and cuts each value at a whole entry, within 255 characters.
 */
import type { RunTally } from '../runTally';

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
 * `dry run: 3 valid, 1 invalid`, since nothing was sent). `tally` counts failures as the run does (a dry run:
 * invalid items).
 */
export function annotationOf(tally: RunTally, previous: Record<string, string | undefined> = {}, dryRun = false): Record<string, string> {
	const annotation: Record<string, string> = {};
	const eventText = joinWithin([...entriesOf(previous[CUSTOM_DATA_KEYS.events]), ...tally.events.entries]);
	if (eventText !== '') annotation[CUSTOM_DATA_KEYS.events] = eventText;
	const userText = joinWithin([...entriesOf(previous[CUSTOM_DATA_KEYS.users]), ...tally.users.entries]);
	if (userText !== '') annotation[CUSTOM_DATA_KEYS.users] = userText;
	const { succeeded, failed } = tally;
	if (dryRun) {
		annotation[CUSTOM_DATA_KEYS.result] = failed === 0 ? `dry run: ${succeeded} valid` : `dry run: ${succeeded} valid, ${failed} invalid`;
		return annotation;
	}
	annotation[CUSTOM_DATA_KEYS.result] = failed === 0 ? `${succeeded} accepted` : `${succeeded} accepted, ${failed} failed`;
	return annotation;
}
