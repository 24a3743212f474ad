import {
	eventActionName,
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

	it('labels picker options with group, readable name and raw name: current groups first, legacy last', () => {
		const options = eventPickerOptions();
		expect(options).toHaveLength(49);
		expect(options.map((o) => o.value).sort()).toEqual([...KNOWN_EVENT_NAMES].sort());
		expect(options).toContainEqual({
			name: 'Lifecycle: Renewal Disabled (RENEWAL_DISABLED)',
			value: 'RENEWAL_DISABLED',
			action: 'On renewal disabled',
		});
		expect(options.find((o) => o.value === 'USER_IDENTIFIED')).toMatchObject({
			name: 'Legacy v2: User Identified (USER_IDENTIFIED)',
			action: 'On user identified (legacy v2)',
		});
		expect(options.find((o) => o.value === 'TRIAL_STARTED')?.name).toBe('Offer: Trial Started (TRIAL_STARTED)');
		const groups = options.map((o) => o.name.split(':')[0]);
		const seen: string[] = [];
		for (const group of groups) if (seen[seen.length - 1] !== group) seen.push(group);
		expect(seen).toEqual(['Entitlement', 'Transaction', 'Lifecycle', 'Offer', 'Legacy v2']);
		// Sorted by name inside each group.
		for (const group of seen) {
			const names = options.filter((o) => o.name.startsWith(`${group}:`)).map((o) => o.name);
			expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
		}
	});

	it('names each event once in n8n\'s node panel, without doubled words', () => {
		const options = eventPickerOptions();
		expect(options.slice(0, 3).map((o) => o.action)).toEqual([
			'On activate (access granted)',
			'On deactivate (access revoked)',
			'On transaction processed',
		]);
		for (const { action } of options) {
			const words = action.replace(/[()]/g, '').split(' ');
			for (let i = 1; i < words.length; i++) expect(`${words[i - 1]} ${words[i]}`).not.toMatch(/^(\w+) \1$/);
		}
		expect(eventActionName('SUBSCRIPTION_RECOVERED_FROM_BILLING_RETRY')).toBe('On subscription recovered from billing retry');
		expect(eventActionName('SOMETHING_NEW')).toBe('On something new');
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
