/**
 * Keeps API keys out of everything the node outputs, throws or logs. The Trigger Events API puts the app key in
 * the URL path, and a server (or a proxy in front of it) may echo any header or path back, so every string that
 * comes from a response or an error is scrubbed as soon as it arrives: codes, categories, reasons, bodies,
 * headers, causes. Scrub first, cut later: a text cut before scrubbing could keep half of a key.
 */
const MIN_SECRET_LENGTH = 4;

export type Scrubber = (text: string) => string;

/** Builds a scrubber replacing every given secret (and its URL-encoded form) with `[redacted]`. */
export function createScrubber(secrets: ReadonlyArray<string | undefined>): Scrubber {
	const needles = new Set<string>();
	for (const secret of secrets) {
		if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) continue;
		needles.add(secret);
		needles.add(encodeURIComponent(secret));
	}
	const ordered = [...needles].sort((a, b) => b.length - a.length);
	if (ordered.length === 0) return (text) => text;
	const pattern = new RegExp(ordered.map(escapeRegExp).join('|'), 'g');
	return (text) => text.replace(pattern, '[redacted]');
}

/**
 * Scrubs every string inside a JSON-like value, keys included (returns a copy). The copy is built with
 * Object.fromEntries, so a `__proto__` key stays an own key and never changes a prototype.
 */
export function scrubDeep<T>(value: T, scrub: Scrubber): T {
	if (typeof value === 'string') return scrub(value) as T;
	if (Array.isArray(value)) return value.map((entry) => scrubDeep(entry, scrub)) as T;
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, entry]) => [scrub(key), scrubDeep(entry, scrub)])) as T;
	}
	return value;
}

/** A text from a response, scrubbed first and only then cut to `max` characters (with an ellipsis). */
export function scrubThenCut(text: string, scrub: Scrubber, max: number): string {
	const clean = scrub(text);
	return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
