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

/** "new_event, OTHER_EVENT\nTHIRD" -> ["NEW_EVENT", "OTHER_EVENT", "THIRD"] (trimmed, upper-cased, unique). */
export function parseEventNameList(text: string): string[] {
	const names = text
		.split(/[\s,;]+/)
		.map((name) => name.trim().toUpperCase())
		.filter((name) => name.length > 0);
	return [...new Set(names)];
}

/** The names to let through, or `undefined` for "every event" (both parameters empty). */
export function selectedEventNames(config: Pick<EventFilterConfig, 'events' | 'additionalEvents'>): Set<string> | undefined {
	const names = new Set<string>([
		...config.events.map((name) => name.trim().toUpperCase()).filter((name) => name.length > 0),
		...parseEventNameList(config.additionalEvents),
	]);
	return names.size === 0 ? undefined : names;
}

export type FilterDecision =
	| { pass: true }
	| { pass: false; reason: 'event_not_selected' | 'environment_not_selected'; message: string };

export interface FilterSubject {
	eventName: string;
	/** meta.sandbox: true only when the payload says environment "SANDBOX". */
	sandbox: boolean;
}

export function isEnvironmentFilter(value: unknown): value is EnvironmentFilter {
	return typeof value === 'string' && (ENVIRONMENT_FILTERS as readonly string[]).includes(value);
}

export function decideEvent(config: EventFilterConfig, subject: FilterSubject): FilterDecision {
	const selected = selectedEventNames(config);
	if (selected !== undefined && !selected.has(subject.eventName.toUpperCase())) {
		return {
			pass: false,
			reason: 'event_not_selected',
			message: `event ${subject.eventName} is not among the selected events`,
		};
	}
	if (config.environment === 'production' && subject.sandbox) {
		return {
			pass: false,
			reason: 'environment_not_selected',
			message: 'sandbox event ignored: the trigger only accepts production events',
		};
	}
	if (config.environment === 'sandbox' && !subject.sandbox) {
		return {
			pass: false,
			reason: 'environment_not_selected',
			message: 'production event ignored: the trigger only accepts sandbox events',
		};
	}
	return { pass: true };
}
