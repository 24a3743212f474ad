/** Splitting the items to send into requests: consecutive entries, at most `size` per request. */

export function chunkConsecutive<T>(entries: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const chunks: T[][] = [];
	for (let start = 0; start < entries.length; start += size) chunks.push(entries.slice(start, start + size));
	return chunks;
}

/**
 * Like chunkConsecutive, and a request also ends before any key would appear more than `maxPerKey` times in it
 * (the Profile API's events per profile per request: MAX_EVENTS_PER_PROFILE_PER_REQUEST). Order is kept.
 */
export function chunkConsecutiveCapped<T, K>(entries: readonly T[], size: number, keyOf: (entry: T) => K, maxPerKey: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	if (!Number.isInteger(maxPerKey) || maxPerKey < 1) throw new RangeError(`per-key cap must be a positive integer, got ${maxPerKey}`);
	const chunks: T[][] = [];
	let current: T[] = [];
	let counts = new Map<K, number>();
	for (const entry of entries) {
		const key = keyOf(entry);
		const seen = counts.get(key) ?? 0;
		if (current.length === size || seen === maxPerKey) {
			chunks.push(current);
			current = [];
			counts = new Map<K, number>();
		}
		current.push(entry);
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	if (current.length > 0) chunks.push(current);
	return chunks;
}

/** Groups entries by key, keeping first-seen key order and the entries' order within each group. */
export function groupInOrder<K, T>(entries: readonly T[], keyOf: (entry: T) => K): Map<K, T[]> {
	const groups = new Map<K, T[]>();
	for (const entry of entries) {
		const key = keyOf(entry);
		const group = groups.get(key);
		if (group) group.push(entry);
		else groups.set(key, [entry]);
	}
	return groups;
}

/** The request size to use: the user's choice (0 = the API's maximum), never above the API's maximum. */
export function effectiveBatchSize(requested: number, apiMaximum: number): number {
	if (!Number.isFinite(requested) || requested <= 0) return apiMaximum;
	return Math.max(1, Math.min(Math.floor(requested), apiMaximum));
}
