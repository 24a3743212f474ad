import { chooseProfileEndpoint, MASS_UPDATE_CLIENT_RATE_SHARE, rateSettingsFor, readEndpointSetting } from '../../nodes/Batch/endpointSelection';
import { rateScopeId } from '../../nodes/Batch/rateLimiter';

describe('endpoint selection', () => {
	it('Automatic: mass update above one /update burst (1,000 operations), else /update', () => {
		expect(chooseProfileEndpoint('auto', 1000)).toBe('update');
		expect(chooseProfileEndpoint('auto', 1001)).toBe('massUpdate');
		expect(chooseProfileEndpoint('update', 100_000)).toBe('update');
		expect(chooseProfileEndpoint('massUpdate', 1)).toBe('massUpdate');
	});

	it('reads the option: absent → the version default; unknown → an error naming the option and the values', () => {
		expect(readEndpointSetting(undefined, 'update')).toEqual({ ok: true, setting: 'update' });
		expect(readEndpointSetting('', 'auto')).toEqual({ ok: true, setting: 'auto' });
		expect(readEndpointSetting('massUpdate', 'update')).toEqual({ ok: true, setting: 'massUpdate' });
		expect(readEndpointSetting('mass-update', 'update')).toEqual({ ok: false, message: 'Options → Endpoint (options.endpoint) is "mass-update"; it must be one of auto, update, massUpdate' });
		expect(readEndpointSetting(3, 'update')).toMatchObject({ ok: false, message: expect.stringContaining('is number') });
	});

	it('rate budgets: /update and Trigger Events follow the options; mass update its own, scaled by a lower share, off with 0', () => {
		expect(rateSettingsFor('profile', { ratePerSecond: 300, burst: 1000 })).toEqual({ ratePerSecond: 300, burst: 1000 });
		expect(rateSettingsFor('triggerEvents', { ratePerSecond: 50, burst: 10 })).toEqual({ ratePerSecond: 50, burst: 10 });
		expect(rateSettingsFor('profileMassUpdate', { ratePerSecond: 300, burst: 1000 })).toEqual({ ratePerSecond: 10_000 * MASS_UPDATE_CLIENT_RATE_SHARE, burst: 10_000 });
		expect(rateSettingsFor('profileMassUpdate', { ratePerSecond: 600, burst: 1000 })).toEqual({ ratePerSecond: 10_000 * MASS_UPDATE_CLIENT_RATE_SHARE, burst: 10_000 });
		expect(rateSettingsFor('profileMassUpdate', { ratePerSecond: 100, burst: 1000 })).toEqual({ ratePerSecond: (10_000 / 3) * MASS_UPDATE_CLIENT_RATE_SHARE, burst: 3333 });
		expect(rateSettingsFor('profileMassUpdate', { ratePerSecond: 0, burst: 1000 }).ratePerSecond).toBe(0);
	});

	it('mass update and /update are separate registry keys of one project', () => {
		const scope = { baseUrl: 'http://127.0.0.1:1', key: 'project' };
		expect(rateScopeId({ ...scope, api: 'profile' })).not.toBe(rateScopeId({ ...scope, api: 'profileMassUpdate' }));
	});
});
