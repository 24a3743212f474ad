import { prepareItem, type PreparationSettings } from '../../nodes/Batch/itemPreparation';

const NOW = Date.UTC(2026, 0, 10, 12);
const base: PreparationSettings = {
	operation: 'trackEvent',
	api: 'profile',
	platform: 'fromStore',
	identifierType: 'customId',
	identifierLabel: 'meta.userId',
	attributesFieldLabel: 'body.attrs',
	storeFieldLabel: 'meta.store',
};

describe('item preparation', () => {
	it('prepares a full Track Event item: lower-cased name, label, tags, typed attributes from editor and object', () => {
		const result = prepareItem(
			3,
			base,
			{
				identifier: 'user-1',
				eventName: 'RENEWAL_DISABLED',
				time: new Date(NOW - 60_000).toISOString(),
				label: 'monthly',
				tags: 'a, b',
				editorAttributes: [
					{ name: 'Plan', type: 'string', value: 'premium' },
					{ name: 'deeplink', type: 'url', value: 'myapp://ply/placements/RETENTION' },
				],
				objectAttributes: { price: 9.99, plan: 'basic', expires_at: '2026-02-01T00:00:00Z', gone: null },
			},
			NOW,
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.item).toMatchObject({ itemIndex: 3, identifier: 'user-1', eventName: 'renewal_disabled', label: 'monthly', tags: ['a', 'b'], timeMs: NOW - 60_000 });
		const byName = Object.fromEntries(result.item.attributes.map((a) => [a.name, [a.type, a.value]]));
		expect(byName).toEqual({
			price: ['number', 9.99],
			plan: ['string', 'premium'], // the editor wins over the object
			expires_at: ['date', Date.UTC(2026, 1, 1)],
			deeplink: ['url', 'myapp://ply/placements/RETENTION'],
		}); // null dropped on events
	});

	it('collects every issue of an item, each naming its field', () => {
		const result = prepareItem(
			5,
			base,
			{ identifier: '', eventName: 'bad name!', label: 'x'.repeat(201), tags: Array(11).fill('t'), editorAttributes: [{ name: '', type: 'string', value: 'v' }] },
			NOW,
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.issues.map((i) => i.field)).toEqual(['meta.userId', 'eventName', 'eventOptions.label', 'eventOptions.tags', 'attributes.attribute[0]']);
	});

	it('routes Trigger Events items by store and rejects unknown stores and installation ids', () => {
		const trigger = { ...base, api: 'triggerEvents' as const };
		expect(prepareItem(0, trigger, { identifier: 'u', eventName: 'e', store: 'APPLE_APP_STORE' }, NOW)).toMatchObject({ ok: true, item: { platforms: ['ios'] } });
		expect(prepareItem(0, trigger, { identifier: 'u', eventName: 'e', store: 'HUAWEI_APPGALLERY' }, NOW)).toMatchObject({ ok: true, item: { platforms: ['android'] } });
		expect(prepareItem(0, { ...trigger, platform: 'both' }, { identifier: 'u', eventName: 'e' }, NOW)).toMatchObject({ ok: true, item: { platforms: ['ios', 'android'] } });
		expect(prepareItem(0, trigger, { identifier: 'u', eventName: 'e', store: 'STRIPE' }, NOW)).toMatchObject({
			ok: false,
			issues: [expect.objectContaining({ field: 'meta.store', rule: 'unknownStore', message: expect.stringContaining('"STRIPE"') })],
		});
		expect(prepareItem(0, { ...trigger, identifierType: 'installationId' }, { identifier: 'u', eventName: 'e', store: 'APPLE_APP_STORE' }, NOW)).toMatchObject({ ok: false });
	});

	it('requires something to update and keeps null (attribute removal) on profiles', () => {
		const update = { ...base, operation: 'updateAttributes' as const };
		expect(prepareItem(0, update, { identifier: 'u' }, NOW)).toMatchObject({ ok: false, issues: [expect.objectContaining({ rule: 'required', field: 'attributes' })] });
		expect(prepareItem(0, update, { identifier: 'u', objectAttributes: { old: null } }, NOW)).toMatchObject({ ok: true, item: { attributes: [{ name: 'old', type: 'null' }] } });
		expect(prepareItem(0, update, { identifier: 'u', objectAttributes: 'nope' }, NOW)).toMatchObject({ ok: false, issues: [expect.objectContaining({ field: 'body.attrs' })] });
	});

	it("takes the attributes object's own keys only, in their order", () => {
		const update = { ...base, operation: 'updateAttributes' as const };
		const withInherited = Object.assign(Object.create({ inherited: 'no' }) as Record<string, unknown>, { plan: 'basic', 2: 'two', price: 1 });
		const prepared = prepareItem(0, update, { identifier: 'u', objectAttributes: withInherited }, NOW);
		expect(prepared.ok && prepared.item.attributes.map((attribute) => attribute.name)).toEqual(['2', 'plan', 'price']);
		const bare = Object.assign(Object.create(null) as Record<string, unknown>, { plan: 'basic' });
		expect(prepareItem(0, update, { identifier: 'u', objectAttributes: bare }, NOW)).toMatchObject({ ok: true, item: { attributes: [{ name: 'plan', value: 'basic' }] } });
	});

	it('accepts numeric identifiers as text and rejects objects', () => {
		expect(prepareItem(0, base, { identifier: 42, eventName: 'e' }, NOW)).toMatchObject({ ok: true, item: { identifier: '42' } });
		expect(prepareItem(0, base, { identifier: { id: 1 }, eventName: 'e' }, NOW)).toMatchObject({ ok: false, issues: [expect.objectContaining({ rule: 'type' })] });
	});
});
