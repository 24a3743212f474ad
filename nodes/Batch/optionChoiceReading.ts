/**
 * Reading an options-type setting as stored: not added (or empty) gives the default; one of its values is taken;
 * anything else (an expression giving an unknown value) is an error naming the option and the allowed values.
 */
export type ChoiceReading<T extends string> = { ok: true; setting: T } | { ok: false; message: string };

export function readChoice<T extends string>(
	raw: unknown,
	choices: readonly T[],
	fallback: T,
	label: string,
): ChoiceReading<T> {
	if (raw === undefined || raw === null || raw === '') return { ok: true, setting: fallback };
	if (typeof raw === 'string' && (choices as readonly string[]).includes(raw)) return { ok: true, setting: raw as T };
	const shown = typeof raw === 'string' ? `"${raw.slice(0, 40)}"` : typeof raw;
	return { ok: false, message: `${label} is ${shown}; it must be one of ${choices.join(', ')}` };
}
