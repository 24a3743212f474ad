/**
 * The Batch node on the Trigger Events API 1.0 (app key in the URL path), against the simulator over real HTTP,
 * through a genuine n8n-core ExecuteContext.
 */
import { NodeApiError } from 'n8n-workflow';
import { expectNoSecrets, KEYS, outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();

const trigger = { operation: 'trackEvent', api: 'triggerEvents', eventNameSource: 'field' };

describe('Track Event on the Trigger Events API', () => {
	it('routes each item to the app of its Purchasely store, with label, tags and typed attributes', async () => {
		const stores = ['APPLE_APP_STORE', 'GOOGLE_PLAY_STORE', 'AMAZON_APPSTORE', 'STRIPE', 'HUAWEI_APPGALLERY'];
		const time = new Date(Date.now() - 60_000).toISOString();
		const result = await runBatchNode(
			sim,
			{
				...trigger,
				eventOptions: { label: 'renewal', tags: 'a,b', time },
				attributes: {
					attribute: [
						{ name: 'price', type: 'number', value: '9.99' },
						{ name: 'expires_at', type: 'date', value: '2030-01-01T00:00:00Z' },
						{ name: 'deeplink', type: 'url', value: 'myapp://ply/placements/RETENTION' },
					],
				},
			},
			purchaselyItems(5, (index) => ({ meta: { eventName: 'SUBSCRIPTION_RENEWED', userId: `user-${index}`, store: stores[index] } })),
			{ continueOnFail: true },
		);
		expectNoSecrets(result);
		const json = outputJson(result);
		expect(json.map((item) => [item.accepted, item.platforms])).toEqual([
			[true, ['ios']],
			[true, ['android']],
			[true, ['android']],
			[false, undefined],
			[true, ['android']],
		]);
		expect(json[3]).toMatchObject({
			api: 'triggerEvents',
			error: {
				stage: 'validation',
				field: 'meta.store',
				rule: 'unknownStore',
				message: expect.stringMatching(/^Item 3: meta\.store is "STRIPE"; only APPLE_APP_STORE \(iOS app key\)/),
			},
		});
		expect(sim.requests.map((request) => [request.path, request.operations])).toEqual([
			['/1.0/{ios}/events/users', 1],
			['/1.0/{android}/events/users', 3],
		]);
		const [event] = sim.triggerEvents(KEYS.androidApiKey, 'user-4');
		expect(event).toMatchObject({ platform: 'android', name: 'subscription_renewed', label: 'renewal', tags: ['a', 'b'], attributes: { price: 9.99, deeplink: 'myapp://ply/placements/RETENTION' } });
		expect(event.attributeTypes).toMatchObject({ price: 'float', expires_at: 'date', deeplink: 'string' });
		expect(event.time).toBe(time.slice(0, 19));
	});

	it('sends to both apps when asked, and reports each app', async () => {
		const result = await runBatchNode(sim, { ...trigger, platform: 'both' }, purchaselyItems(2));
		expect(outputJson(result)[0]).toMatchObject({
			accepted: true,
			platforms: ['ios', 'android'],
			batch: { status: 202, byPlatform: { ios: { accepted: true }, android: { accepted: true } } },
		});
		expect(sim.triggerEvents(KEYS.iosApiKey)).toHaveLength(2);
		expect(sim.triggerEvents(KEYS.androidApiKey)).toHaveLength(2);
	});

	it.each([
		[1, 1],
		[1000, 1],
		[1001, 2],
	])('%i events go out in %i request(s) of at most 1000 events', async (count, requests) => {
		const result = await runBatchNode(sim, { ...trigger, platform: 'ios' }, purchaselyItems(count));
		expect(outputJson(result).every((item) => item.accepted)).toBe(true);
		expect(sim.requests).toHaveLength(requests);
		expect(sim.stats().acceptedTriggerEvents).toBe(count);
	});

	it('fails the items of an app whose key is missing, and those of an app whose key is wrong, without showing keys', async () => {
		const missing = await runBatchNode(sim, trigger, purchaselyItems(2, (index) => ({ meta: { eventName: 'e', userId: `u${index}`, store: index ? 'GOOGLE_PLAY_STORE' : 'APPLE_APP_STORE' } })), {
			continueOnFail: true,
			credentials: { androidApiKey: '' },
		});
		expect(outputJson(missing).map((item) => item.accepted)).toEqual([true, false]);
		expect(outputJson(missing)[1]).toMatchObject({ error: { field: 'androidApiKey', rule: 'missingCredential' } });

		sim.reset();
		const wrongKey = 'WRONG_ANDROID_KEY_55aa';
		const wrong = await runBatchNode(sim, { ...trigger, platform: 'both' }, purchaselyItems(1), { credentials: { androidApiKey: wrongKey } });
		expect(wrong.error).toBeInstanceOf(NodeApiError);
		expect((wrong.error as Error).message).toMatch(/^Item 0: \[android app\] Batch answered HTTP 401 AUTHENTICATION_INVALID/);
		expect((wrong.error as NodeApiError).description).toContain('0 items were accepted');
		expectNoSecrets(wrong);
		const everything = JSON.stringify({ message: (wrong.error as Error).message, description: (wrong.error as NodeApiError).description, stack: (wrong.error as Error).stack });
		expect(everything).not.toContain(wrongKey);
	});

	it('accepts only Custom User IDs and Trigger Events value limits', async () => {
		const result = await runBatchNode(
			sim,
			{ ...trigger, platform: 'ios', attributesField: 'attrs' },
			[
				{ meta: { userId: 'a', eventName: 'e' }, attrs: { long: 'x'.repeat(65) } },
				{ meta: { userId: 'b', eventName: 'e' }, attrs: { list: ['x'] } },
				{ meta: { userId: 'c', eventName: 'ue.added_to_cart' }, attrs: {} },
			],
			{ continueOnFail: true },
		);
		const json = outputJson(result);
		expect(json[0]).toMatchObject({ error: { message: 'Item 0: attrs.long is 65 characters; Batch allows at most 64', rule: 'maxLength' } });
		expect(json[1]).toMatchObject({ error: { rule: 'unsupportedType', field: 'attrs.list' } });
		expect(json[2]).toMatchObject({ accepted: true, eventName: 'ue.added_to_cart' });
	});
});
