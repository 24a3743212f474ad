/**
 * Keeps API keys out of everything the node outputs or throws. The Trigger Events API puts the app key in the
 * URL path, so any message that might quote a URL (network errors, Batch's own messages) goes through here.
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

/** Scrubs every string inside a JSON-like value (returns a copy). */
export function scrubDeep<T>(value: T, scrub: Scrubber): T {
	if (typeof value === 'string') return scrub(value) as T;
	if (Array.isArray(value)) return value.map((entry) => scrubDeep(entry, scrub)) as T;
	if (value && typeof value === 'object') {
		const copy: Record<string, unknown> = {};
		for (const [key, entry] of Object.entries(value)) copy[scrub(key)] = scrubDeep(entry, scrub);
		return copy as T;
	}
	return value;
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
