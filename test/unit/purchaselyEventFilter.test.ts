import {
	decideEvent,
	isEnvironmentFilter,
	payloadEnvironment,
	parseEventNameList,
	selectedEventNames,
	type EventFilterConfig,
} from '../../nodes/PurchaselyTrigger/eventFilter';

const ALL: EventFilterConfig = { events: [], additionalEvents: '', environment: 'both' };

describe('Purchasely event filter: names', () => {
	it('lets every event through when nothing is selected, unknown names included', () => {
		expect(selectedEventNames(ALL)).toBeUndefined();
		expect(decideEvent(ALL, { eventName: 'ACTIVATE', environment: 'PRODUCTION' })).toEqual({ pass: true });
		expect(decideEvent(ALL, { eventName: 'SOME_EVENT_ADDED_IN_2030', environment: 'SANDBOX' })).toEqual({ pass: true });
	});

	it('lets only the selected events through', () => {
		const config = { ...ALL, events: ['ACTIVATE', 'DEACTIVATE'] };
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'PRODUCTION' }).pass).toBe(true);
		const refused = decideEvent(config, { eventName: 'RENEWAL_DISABLED', environment: 'PRODUCTION' });
		expect(refused).toMatchObject({ pass: false, reason: 'event_not_selected' });
		if (!refused.pass) expect(refused.message).toContain('RENEWAL_DISABLED');
	});

	it('adds the additional names to the selection, case and separators notwithstanding', () => {
		const config = { ...ALL, events: ['ACTIVATE'], additionalEvents: ' new_event ,OTHER_EVENT\nthird;fourth ' };
		for (const name of ['ACTIVATE', 'NEW_EVENT', 'OTHER_EVENT', 'THIRD', 'FOURTH']) {
			expect(decideEvent(config, { eventName: name, environment: 'PRODUCTION' }).pass).toBe(true);
		}
		expect(decideEvent(config, { eventName: 'DEACTIVATE', environment: 'PRODUCTION' }).pass).toBe(false);
	});

	it('selects only the additional names when the picker is empty', () => {
		const config = { ...ALL, additionalEvents: 'NEW_EVENT' };
		expect(decideEvent(config, { eventName: 'NEW_EVENT', environment: 'PRODUCTION' }).pass).toBe(true);
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'PRODUCTION' }).pass).toBe(false);
	});

	it('compares event names in ASCII only: a dotless ı or a long ſ does not fold into a selected name', () => {
		const config = { ...ALL, events: ['ACTIVATE'], additionalEvents: 'other_event' };
		expect(decideEvent(config, { eventName: 'actıvate', environment: 'PRODUCTION' }).pass).toBe(false);
		expect(decideEvent(config, { eventName: 'activate', environment: 'PRODUCTION' }).pass).toBe(true);
		expect(decideEvent(config, { eventName: 'OTHER_EVENT', environment: 'PRODUCTION' }).pass).toBe(true);
		expect(decideEvent({ ...ALL, additionalEvents: 'actıvate' }, { eventName: 'ACTIVATE', environment: 'PRODUCTION' }).pass).toBe(false);
		expect(decideEvent({ ...ALL, additionalEvents: 'ſtart' }, { eventName: 'START', environment: 'PRODUCTION' }).pass).toBe(false);
	});

	it('parses name lists into unique upper-case names', () => {
		expect(parseEventNameList('a, b,,A\n c ')).toEqual(['A', 'B', 'C']);
		expect(parseEventNameList('   ')).toEqual([]);
	});
});

describe('Purchasely event filter: environment', () => {
	it('production only lets through environment === "PRODUCTION" exactly: missing or odd values are ignored', () => {
		const config = { ...ALL, environment: 'production' as const };
		for (const environment of [undefined, null, '', 'production', 'Production', 'PRODUCTION ', 'STAGING', 'TEST', 1, true]) {
			expect(decideEvent(config, { eventName: 'ACTIVATE', environment })).toMatchObject({ pass: false, reason: 'environment_not_selected' });
		}
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'PRODUCTION' }).pass).toBe(true);
	});

	it('sandbox only lets through environment === "SANDBOX" exactly; both lets every value through', () => {
		const config = { ...ALL, environment: 'sandbox' as const };
		for (const environment of [undefined, 'sandbox', 'PRODUCTION']) {
			expect(decideEvent(config, { eventName: 'ACTIVATE', environment }).pass).toBe(false);
		}
		for (const environment of [undefined, 'odd', 'SANDBOX', 'PRODUCTION']) {
			expect(decideEvent(ALL, { eventName: 'ACTIVATE', environment }).pass).toBe(true);
		}
	});

	it('reads the environment where each payload version puts it', () => {
		expect(payloadEnvironment({ environment: 'PRODUCTION' })).toBe('PRODUCTION');
		expect(payloadEnvironment({ properties: { environment: 'SANDBOX' }, environment: 'PRODUCTION' })).toBe('SANDBOX');
		expect(payloadEnvironment({ properties: {} })).toBeUndefined();
		expect(payloadEnvironment({})).toBeUndefined();
	});

	it('production only drops sandbox events', () => {
		const config = { ...ALL, environment: 'production' as const };
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'PRODUCTION' }).pass).toBe(true);
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'SANDBOX' })).toMatchObject({
			pass: false,
			reason: 'environment_not_selected',
		});
	});

	it('sandbox only drops production events', () => {
		const config = { ...ALL, environment: 'sandbox' as const };
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'SANDBOX' }).pass).toBe(true);
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'PRODUCTION' }).pass).toBe(false);
	});

	it('checks names before environments and combines both', () => {
		const config: EventFilterConfig = { events: ['ACTIVATE'], additionalEvents: '', environment: 'production' };
		expect(decideEvent(config, { eventName: 'DEACTIVATE', environment: 'SANDBOX' })).toMatchObject({
			reason: 'event_not_selected',
		});
		expect(decideEvent(config, { eventName: 'ACTIVATE', environment: 'SANDBOX' })).toMatchObject({
			reason: 'environment_not_selected',
		});
	});

	it('recognises the three environment values only', () => {
		expect(['both', 'production', 'sandbox'].every(isEnvironmentFilter)).toBe(true);
		expect(isEnvironmentFilter('PRODUCTION')).toBe(false);
		expect(isEnvironmentFilter(undefined)).toBe(false);
	});
});
