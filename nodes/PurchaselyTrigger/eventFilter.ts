/**
 * Which verified events start the workflow: by event name and by environment.
 *
 * An event that is filtered out is still answered with HTTP 200 by the trigger: Purchasely treats
 * any other status as a failed delivery, retries it and holds back that user's later events.
 *
 * Pure module.
 */

export type EnvironmentFilter = 'both' | 'production' | 'sandbox';

export const ENVIRONMENT_FILTERS: readonly EnvironmentFilter[] = ['both', 'production', 'sandbox'];

export interface EventFilterConfig {
	/** Names picked in the "Events" parameter. */
	events: readonly string[];
	/** Raw "Additional Event Names" text: names separated by commas, spaces or new lines. */
	additionalEvents: string;
	environment: EnvironmentFilter;
}

/**
 * Upper-cases a-z only. `toUpperCase()` folds non-ASCII letters into ASCII ones (dotless `ı` → `I`, long `ſ`
 * → `S`), so `actıvate` would match ACTIVATE; Purchasely's event names are ASCII.
 */
export function asciiUpperCase(text: string): string {
	return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
}

/** "new_event, OTHER_EVENT\nTHIRD" -> ["NEW_EVENT", "OTHER_EVENT", "THIRD"] (trimmed, upper-cased, unique). */
export function parseEventNameList(text: string): string[] {
	const names = text
		.split(/[\s,;]+/)
		.map((name) => asciiUpperCase(name.trim()))
		.filter((name) => name.length > 0);
	return [...new Set(names)];
}

/** The names to let through, or `undefined` for "every event" (both parameters empty). */
export function selectedEventNames(config: Pick<EventFilterConfig, 'events' | 'additionalEvents'>): Set<string> | undefined {
	const names = new Set<string>([
		...config.events.map((name) => asciiUpperCase(name.trim())).filter((name) => name.length > 0),
		...parseEventNameList(config.additionalEvents),
	]);
	return names.size === 0 ? undefined : names;
}

export type FilterDecision =
	| { pass: true }
	| { pass: false; reason: 'event_not_selected' | 'environment_not_selected'; message: string };

export interface FilterSubject {
	eventName: string;
	/** The payload's `environment` as sent (see payloadEnvironment); anything but a string is "missing". */
	environment: unknown;
}

/**
 * The payload's `environment`: v3 at the top level, v2 under `properties` (else the top level), as
 * payload.ts reads it for meta.sandbox. Undefined when absent.
 */
export function payloadEnvironment(body: Record<string, unknown>): unknown {
	const properties = body.properties;
	if (properties !== null && typeof properties === 'object' && !Array.isArray(properties)) {
		const nested = (properties as Record<string, unknown>).environment;
		if (nested !== undefined) return nested;
	}
	return body.environment;
}

export function isEnvironmentFilter(value: unknown): value is EnvironmentFilter {
	return typeof value === 'string' && (ENVIRONMENT_FILTERS as readonly string[]).includes(value);
}

export function decideEvent(config: EventFilterConfig, subject: FilterSubject): FilterDecision {
	const selected = selectedEventNames(config);
	if (selected !== undefined && !selected.has(asciiUpperCase(subject.eventName))) {
		return {
			pass: false,
			reason: 'event_not_selected',
			message: `event ${subject.eventName} is not among the selected events`,
		};
	}
	// Exact values only: a missing, empty or unexpected environment is neither production nor sandbox.
	const environment = subject.environment;
	const shown = typeof environment === 'string' && environment !== '' ? `environment ${JSON.stringify(environment.slice(0, 40))}` : 'no environment';
	if (config.environment === 'production' && environment !== 'PRODUCTION') {
		return {
			pass: false,
			reason: 'environment_not_selected',
			message: `event with ${shown} ignored: the trigger only accepts environment PRODUCTION`,
		};
	}
	if (config.environment === 'sandbox' && environment !== 'SANDBOX') {
		return {
			pass: false,
			reason: 'environment_not_selected',
			message: `event with ${shown} ignored: the trigger only accepts environment SANDBOX`,
		};
	}
	return { pass: true };
}
