import {
	eventPickerOptions,
	groupOf,
	humanizeEventName,
	KNOWN_EVENT_NAMES,
	LEGACY_ONLY_EVENT_NAMES,
	LEGACY_V2_EVENT_NAMES,
	V3_EVENT_NAMES,
	V3_EVENTS_BY_GROUP,
} from '../../nodes/PurchaselyTrigger/eventCatalog';

describe('Purchasely event catalog', () => {
	it('lists the 42 webhook API v3 names once each, in four groups', () => {
		expect(V3_EVENT_NAMES).toHaveLength(42);
		expect(new Set(V3_EVENT_NAMES).size).toBe(42);
		expect(V3_EVENTS_BY_GROUP.entitlement).toEqual(['ACTIVATE', 'DEACTIVATE']);
		expect(V3_EVENTS_BY_GROUP.transaction).toEqual(['TRANSACTION_PROCESSED']);
		expect(V3_EVENTS_BY_GROUP.lifecycle).toHaveLength(27);
		expect(V3_EVENTS_BY_GROUP.offers).toHaveLength(12);
	});

	it('adds the 7 names only the legacy API v2 sends', () => {
		expect(LEGACY_V2_EVENT_NAMES).toHaveLength(13);
		expect([...LEGACY_ONLY_EVENT_NAMES].sort()).toEqual(
			[
				'PURCHASE_VALIDATED',
				'PURCHASE_REFUND',
				'PURCHASE_TRANSFERRED',
				'SUBSCRIPTION_CHANGED',
				'SUBSCRIPTION_EXPIRED',
				'SUBSCRIPTION_UNPAID',
				'USER_IDENTIFIED',
			].sort(),
		);
		expect(KNOWN_EVENT_NAMES).toHaveLength(49);
	});

	it('labels picker options with group, readable name and raw name, sorted by label', () => {
		const options = eventPickerOptions();
		expect(options).toHaveLength(49);
		expect(options.map((o) => o.value).sort()).toEqual([...KNOWN_EVENT_NAMES].sort());
		expect(options).toContainEqual({ name: 'Lifecycle: Renewal Disabled (RENEWAL_DISABLED)', value: 'RENEWAL_DISABLED' });
		expect(options.find((o) => o.value === 'USER_IDENTIFIED')?.name).toBe('Legacy v2: User Identified (USER_IDENTIFIED)');
		expect(options.find((o) => o.value === 'TRIAL_STARTED')?.name).toBe('Offer: Trial Started (TRIAL_STARTED)');
		const names = options.map((o) => o.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
		// Each group is contiguous.
		const groups = names.map((n) => n.split(':')[0]);
		const seen: string[] = [];
		for (const group of groups) if (seen[seen.length - 1] !== group) seen.push(group);
		expect(seen).toEqual([...new Set(groups)]);
	});

	it('knows the group of an event and nothing about unknown ones', () => {
		expect(groupOf('ACTIVATE')).toBe('entitlement');
		expect(groupOf('PROMO_CODE_CONVERTED')).toBe('offers');
		expect(groupOf('SUBSCRIPTION_EXPIRED')).toBe('legacy');
		expect(groupOf('NOT_AN_EVENT')).toBeUndefined();
		expect(humanizeEventName('SUBSCRIPTION_RECOVERED_FROM_BILLING_RETRY')).toBe(
			'Subscription Recovered From Billing Retry',
		);
	});
});
