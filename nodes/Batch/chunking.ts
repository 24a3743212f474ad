/** Splitting the items to send into requests: consecutive entries, at most `size` per request. */

export function chunkConsecutive<T>(entries: readonly T[], size: number): T[][] {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
	const chunks: T[][] = [];
	for (let start = 0; start < entries.length; start += size) chunks.push(entries.slice(start, start + size));
	return chunks;
}

/**
 * Where consecutive entries are cut into requests, one entry at a time: a request ends at `size` entries, and before
 * any key would appear more than `maxPerKey` times in it. Ask `endsBefore(key)` for each entry (true: start a new
 * request, then `reset()`), then `add(key)`.
 */
export class ConsecutiveCuts<K> {
	private count = 0;
	private perKey = new Map<K, number>();

	constructor(
		private readonly size: number,
		private readonly maxPerKey = Number.POSITIVE_INFINITY,
	) {
		if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
		if (maxPerKey !== Number.POSITIVE_INFINITY && (!Number.isInteger(maxPerKey) || maxPerKey < 1)) {
			throw new RangeError(`per-key cap must be a positive integer, got ${maxPerKey}`);
		}
	}

	endsBefore(key: K): boolean {
		return this.count === this.size || (this.perKey.get(key) ?? 0) === this.maxPerKey;
	}

	add(key: K): void {
		this.count += 1;
		if (this.maxPerKey !== Number.POSITIVE_INFINITY) this.perKey.set(key, (this.perKey.get(key) ?? 0) + 1);
	}

	reset(): void {
		this.count = 0;
		this.perKey = new Map<K, number>();
	}
}

/**
 * Like chunkConsecutive, and a request also ends before any key would appear more than `maxPerKey` times in it
 * (the Profile API's events per profile per request: MAX_EVENTS_PER_PROFILE_PER_REQUEST). Order is kept.
 */
export function chunkConsecutiveCapped<T, K>(entries: readonly T[], size: number, keyOf: (entry: T) => K, maxPerKey: number): T[][] {
	const cuts = new ConsecutiveCuts<K>(size, maxPerKey);
	const chunks: T[][] = [];
	let current: T[] = [];
	for (const entry of entries) {
		const key = keyOf(entry);
		if (cuts.endsBefore(key)) {
			chunks.push(current);
			current = [];
			cuts.reset();
		}
		current.push(entry);
		cuts.add(key);
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
