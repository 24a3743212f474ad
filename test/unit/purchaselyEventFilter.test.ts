import {
	decideEvent,
	isEnvironmentFilter,
	parseEventNameList,
	selectedEventNames,
	type EventFilterConfig,
} from '../../nodes/PurchaselyTrigger/eventFilter';

const ALL: EventFilterConfig = { events: [], additionalEvents: '', environment: 'both' };

describe('Purchasely event filter: names', () => {
	it('lets every event through when nothing is selected, unknown names included', () => {
		expect(selectedEventNames(ALL)).toBeUndefined();
		expect(decideEvent(ALL, { eventName: 'ACTIVATE', sandbox: false })).toEqual({ pass: true });
		expect(decideEvent(ALL, { eventName: 'SOME_EVENT_ADDED_IN_2030', sandbox: true })).toEqual({ pass: true });
	});

	it('lets only the selected events through', () => {
		const config = { ...ALL, events: ['ACTIVATE', 'DEACTIVATE'] };
		expect(decideEvent(config, { eventName: 'ACTIVATE', sandbox: false }).pass).toBe(true);
		const refused = decideEvent(config, { eventName: 'RENEWAL_DISABLED', sandbox: false });
		expect(refused).toMatchObject({ pass: false, reason: 'event_not_selected' });
		if (!refused.pass) expect(refused.message).toContain('RENEWAL_DISABLED');
	});

	it('adds the additional names to the selection, case and separators notwithstanding', () => {
		const config = { ...ALL, events: ['ACTIVATE'], additionalEvents: ' new_event ,OTHER_EVENT\nthird;fourth ' };
		for (const name of ['ACTIVATE', 'NEW_EVENT', 'OTHER_EVENT', 'THIRD', 'FOURTH']) {
			expect(decideEvent(config, { eventName: name, sandbox: false }).pass).toBe(true);
		}
		expect(decideEvent(config, { eventName: 'DEACTIVATE', sandbox: false }).pass).toBe(false);
	});

	it('selects only the additional names when the picker is empty', () => {
		const config = { ...ALL, additionalEvents: 'NEW_EVENT' };
		expect(decideEvent(config, { eventName: 'NEW_EVENT', sandbox: false }).pass).toBe(true);
		expect(decideEvent(config, { eventName: 'ACTIVATE', sandbox: false }).pass).toBe(false);
	});

	it('parses name lists into unique upper-case names', () => {
		expect(parseEventNameList('a, b,,A\n c ')).toEqual(['A', 'B', 'C']);
		expect(parseEventNameList('   ')).toEqual([]);
	});
});

describe('Purchasely event filter: environment', () => {
	it('production only drops sandbox events', () => {
		const config = { ...ALL, environment: 'production' as const };
		expect(decideEvent(config, { eventName: 'ACTIVATE', sandbox: false }).pass).toBe(true);
		expect(decideEvent(config, { eventName: 'ACTIVATE', sandbox: true })).toMatchObject({
			pass: false,
			reason: 'environment_not_selected',
		});
	});

	it('sandbox only drops production events', () => {
		const config = { ...ALL, environment: 'sandbox' as const };
		expect(decideEvent(config, { eventName: 'ACTIVATE', sandbox: true }).pass).toBe(true);
		expect(decideEvent(config, { eventName: 'ACTIVATE', sandbox: false }).pass).toBe(false);
	});

	it('checks names before environments and combines both', () => {
		const config: EventFilterConfig = { events: ['ACTIVATE'], additionalEvents: '', environment: 'production' };
		expect(decideEvent(config, { eventName: 'DEACTIVATE', sandbox: true })).toMatchObject({
			reason: 'event_not_selected',
		});
		expect(decideEvent(config, { eventName: 'ACTIVATE', sandbox: true })).toMatchObject({
			reason: 'environment_not_selected',
		});
	});

	it('recognises the three environment values only', () => {
		expect(['both', 'production', 'sandbox'].every(isEnvironmentFilter)).toBe(true);
		expect(isEnvironmentFilter('PRODUCTION')).toBe(false);
		expect(isEnvironmentFilter(undefined)).toBe(false);
	});
});
