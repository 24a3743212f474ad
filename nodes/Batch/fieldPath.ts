/**
 * Plain field paths ("meta.userId", "body.attributes", "items[0].id") compiled once per execution
 * and applied to each item's JSON: no expression evaluation per item.
 */

export type FieldGetter = (source: unknown) => unknown;

/** Splits "a.b[0].c" into ["a", "b", "0", "c"]. An empty path reads the object itself. */
export function parseFieldPath(path: string): string[] {
	const trimmed = path.trim().replace(/^\$json\./, '');
	if (trimmed === '') return [];
	const segments: string[] = [];
	for (const part of trimmed.split('.')) {
		const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
		if (!match) {
			segments.push(part);
			continue;
		}
		if (match[1] !== '') segments.push(match[1]);
		for (const index of match[2].matchAll(/\[(\d+)\]/g)) segments.push(index[1]);
	}
	return segments;
}

export function compileFieldPath(path: string): FieldGetter {
	const segments = parseFieldPath(path);
	if (segments.length === 1) {
		const key = segments[0];
		return (source) => (isIndexable(source) ? source[key] : undefined);
	}
	return (source) => {
		let current: unknown = source;
		for (const segment of segments) {
			if (!isIndexable(current)) return undefined;
			current = current[segment];
		}
		return current;
	};
}

function isIndexable(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
