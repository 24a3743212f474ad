/**
 * Every event name Purchasely's server webhook is documented to send, grouped the way its
 * documentation groups them (webhook API version 3), plus the names that only the legacy
 * API version 2 sends.
 *
 * The catalog only feeds the "Events" picker and the test-event builder: the trigger never
 * rejects a name it does not know, because Purchasely adds events over time.
 */

export type EventGroup = 'entitlement' | 'transaction' | 'lifecycle' | 'offers';

export const EVENT_GROUP_LABELS: Readonly<Record<EventGroup | 'legacy', string>> = {
	entitlement: 'Entitlement',
	transaction: 'Transaction',
	lifecycle: 'Lifecycle',
	offers: 'Offer',
	legacy: 'Legacy v2',
};

/** Webhook API version 3 event names, by group. */
export const V3_EVENTS_BY_GROUP: Readonly<Record<EventGroup, readonly string[]>> = {
	entitlement: ['ACTIVATE', 'DEACTIVATE'],
	transaction: ['TRANSACTION_PROCESSED'],
	lifecycle: [
		'SUBSCRIPTION_STARTED',
		'RENEWAL_DISABLED',
		'RENEWAL_ENABLED',
		'SUBSCRIPTION_TERMINATED',
		'FAMILY_SHARED_REVOKED',
		'GRACE_PERIOD_STARTED',
		'GRACE_PERIOD_TERMINATED',
		'SUBSCRIPTION_CANCELLED_DURING_GRACE_PERIOD',
		'SUBSCRIPTION_RECOVERED_FROM_GRACE_PERIOD',
		'ENTERED_BILLING_RETRY',
		'SUBSCRIPTION_RECOVERED_FROM_BILLING_RETRY',
		'SUBSCRIPTION_RENEWED',
		'SUBSCRIPTION_DEFERRED',
		'SUBSCRIPTION_REACTIVATED',
		'SUBSCRIPTION_CROSSGRADED',
		'SUBSCRIPTION_DOWNGRADED',
		'SUBSCRIPTION_UPGRADED',
		'SUBSCRIPTION_REFUNDED_REVOKED',
		'SUBSCRIPTION_TRANSFERRED',
		'SUBSCRIPTION_RECEIVED',
		'ONE_TIME_PURCHASE_TRANSFERRED',
		'ONE_TIME_PURCHASE_RECEIVED',
		'SUBSCRIPTION_WILL_PAUSE',
		'SUBSCRIPTION_PAUSED',
		'SUBSCRIPTION_UNPAUSED',
		'SUBSCRIPTION_CANCELLED_DURING_PAUSE',
		'SUBSCRIPTION_WILL_NOT_PAUSE',
	],
	offers: [
		'TRIAL_STARTED',
		'TRIAL_CONVERTED',
		'TRIAL_NOT_CONVERTED',
		'INTRO_OFFER_STARTED',
		'INTRO_OFFER_CONVERTED',
		'INTRO_OFFER_NOT_CONVERTED',
		'PROMO_CODE_STARTED',
		'PROMO_CODE_CONVERTED',
		'PROMO_CODE_NOT_CONVERTED',
		'PROMOTIONAL_OFFER_STARTED',
		'PROMOTIONAL_OFFER_CONVERTED',
		'PROMOTIONAL_OFFER_NOT_CONVERTED',
	],
};

/** All 42 webhook API version 3 event names. */
export const V3_EVENT_NAMES: readonly string[] = Object.values(V3_EVENTS_BY_GROUP).flat();

/** Every event name the legacy webhook API version 2 sends (some also exist in version 3). */
export const LEGACY_V2_EVENT_NAMES: readonly string[] = [
	'PURCHASE_VALIDATED',
	'PURCHASE_REFUND',
	'PURCHASE_TRANSFERRED',
	'RENEWAL_DISABLED',
	'RENEWAL_ENABLED',
	'SUBSCRIPTION_CHANGED',
	'SUBSCRIPTION_EXPIRED',
	'SUBSCRIPTION_RENEWED',
	'SUBSCRIPTION_UNPAID',
	'TRIAL_CONVERTED',
	'TRIAL_NOT_CONVERTED',
	'TRIAL_STARTED',
	'USER_IDENTIFIED',
];

/** Names only API version 2 sends: the shared ones are covered by their version 3 entry. */
export const LEGACY_ONLY_EVENT_NAMES: readonly string[] = LEGACY_V2_EVENT_NAMES.filter(
	(name) => !V3_EVENT_NAMES.includes(name),
);

/** Every name the picker offers (42 version 3 names + the legacy-only ones). */
export const KNOWN_EVENT_NAMES: readonly string[] = [...V3_EVENT_NAMES, ...LEGACY_ONLY_EVENT_NAMES];

export function groupOf(eventName: string): EventGroup | 'legacy' | undefined {
	for (const [group, names] of Object.entries(V3_EVENTS_BY_GROUP) as Array<[EventGroup, readonly string[]]>) {
		if (names.includes(eventName)) return group;
	}
	return LEGACY_ONLY_EVENT_NAMES.includes(eventName) ? 'legacy' : undefined;
}

/** "RENEWAL_DISABLED" -> "Renewal Disabled" */
export function humanizeEventName(eventName: string): string {
	return eventName
		.toLowerCase()
		.split('_')
		.filter((word) => word.length > 0)
		.map((word) => word[0].toUpperCase() + word.slice(1))
		.join(' ');
}

export interface EventOption {
	name: string;
	value: string;
	/** The entry n8n's node panel lists for this event ("On renewal disabled"). */
	action: string;
	description?: string;
}

const OPTION_DESCRIPTIONS: Readonly<Record<string, string>> = {
	ACTIVATE: 'Grant access now (also sent at each renewal)',
	DEACTIVATE: 'Revoke access now',
	TRANSACTION_PROCESSED:
		'The only event to count money from; source_event_name says which event caused it, refunds are negative',
};

/** Node-panel names that would not read well from the event name alone. */
const ACTION_NAMES: Readonly<Record<string, string>> = {
	ACTIVATE: 'On activate (access granted)',
	DEACTIVATE: 'On deactivate (access revoked)',
};

/** The order of the groups in the picker and in n8n's node panel: current events first, legacy last. */
const GROUP_ORDER: ReadonlyArray<EventGroup | 'legacy'> = ['entitlement', 'transaction', 'lifecycle', 'offers', 'legacy'];

/**
 * "RENEWAL_DISABLED" -> "On renewal disabled", the name n8n's node panel lists. n8n builds a
 * trigger's panel entries from the options of its "Events" parameter, using each option's `action`
 * when it has one (else "On " + the option name in lower case, which doubled the raw name here).
 */
export function eventActionName(eventName: string): string {
	const fixed = ACTION_NAMES[eventName];
	if (fixed !== undefined) return fixed;
	const words = humanizeEventName(eventName).toLowerCase();
	return groupOf(eventName) === 'legacy' ? `On ${words} (legacy v2)` : `On ${words}`;
}

/**
 * Options for the "Events" picker: "Lifecycle: Renewal Disabled (RENEWAL_DISABLED)", one per
 * event name, the groups in GROUP_ORDER (legacy-only names last), sorted by name inside a group.
 */
export function eventPickerOptions(): EventOption[] {
	const rank = (value: string) => GROUP_ORDER.indexOf(groupOf(value) ?? 'legacy');
	const options: EventOption[] = KNOWN_EVENT_NAMES.map((value) => {
		const group = groupOf(value) ?? 'legacy';
		const option: EventOption = {
			name: `${EVENT_GROUP_LABELS[group]}: ${humanizeEventName(value)} (${value})`,
			value,
			action: eventActionName(value),
		};
		const description =
			OPTION_DESCRIPTIONS[value] ??
			(group === 'legacy' ? 'Sent only by the legacy webhook API version 2' : undefined);
		if (description !== undefined) option.description = description;
		return option;
	});
	return options.sort((a, b) => rank(a.value) - rank(b.value) || a.name.localeCompare(b.name, 'en'));
}
