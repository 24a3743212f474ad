/**
 * Batch node version 2 through a genuine n8n-core ExecuteContext (real Workflow, real expression evaluation per
 * item) against the Batch simulator over real HTTP: parameters as a dragged field writes them
 * (`={{ $json.meta.userId }}`), fixed values, non-trivial expressions, Attributes Object, `[item N]` errors
 * with display names, `sent` in the output, the execution's custom data, and version 1 still as it was.
 */
import { NodeOperationError } from 'n8n-workflow';
import { expectNoSecrets, KEYS, outputJson, purchaselyItems, runBatchNode, serialiseRun, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();
const V2 = { version: 2 };

/** Parameters as n8n stores them for a new version-2 node whose fields were dragged from the input panel. */
const dragged = {
	resource: 'event',
	operation: 'track',
	customUserId: '={{ $json.meta.userId }}',
	eventName: '={{ $json.meta.eventName }}',
};

const internalNames = /identifierType|identifierField|identifierValue|eventOptions\.|attributesField|attributesObject|customUserId|storeField|iosApiKey|androidApiKey/;

describe('Batch v2: parameters as fixed values, dragged fields and expressions', () => {
	it('a new node with its defaults and dragged fields tracks each item on the Profile API; sent shows the operation', async () => {
		const result = await runBatchNode(
			sim,
			{
				...dragged,
				attributes: { attribute: [{ name: 'plan', type: 'string', value: '={{ $json.body.plan }}' }, { name: 'source', type: 'string', value: 'n8n' }] },
			},
			purchaselyItems(3),
			V2,
		);
		expectNoSecrets(result);
		expect(result.node.typeVersion).toBe(2);
		expect(result.node.parameters.customUserId).toBe('={{ $json.meta.userId }}');
		const output = outputJson(result);
		expect(output[1]).toEqual({
			accepted: true,
			api: 'profile',
			operation: 'trackEvent',
			identifierType: 'customId',
			identifier: 'user-1',
			eventName: 'subscription_renewed',
			batch: { status: 202, code: 'SUCCESS', attempts: 1, endpoint: 'update' },
			sent: { identifiers: { custom_id: 'user-1' }, events: [{ name: 'subscription_renewed', attributes: { plan: 'premium_monthly', source: 'n8n' } }] },
		});
		const event = sim.profile('custom_id', 'user-2')!.events[0];
		expect(event).toMatchObject({ name: 'subscription_renewed', attributes: { plan: 'premium_monthly', source: 'n8n' } });
		// `sent` is what Batch recorded for this item.
		for (const json of output) {
			const sent = json.sent as { identifiers: { custom_id: string }; events: Array<{ name: string; attributes: object }> };
			const recorded = sim.profile('custom_id', sent.identifiers.custom_id)!.events[0];
			expect({ name: recorded.name, attributes: recorded.attributes }).toEqual(sent.events[0]);
		}
		expect(sim.requests).toHaveLength(1);
	});

	it('the default Custom User ID reads meta.userId without the parameter being set at all', async () => {
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(2), V2);
		expect(outputJson(result).map((json) => [json.accepted, json.identifier])).toEqual([
			[true, 'user-0'],
			[true, 'user-1'],
		]);
		expect(sim.profile('custom_id', 'user-1')!.events[0].name).toBe('renewal');
	});

	it('fixed values, a ternary, a dragged field in a collection and in an attribute row, all per item', async () => {
		const time = new Date(Date.now() - 60_000).toISOString();
		const items = purchaselyItems(4, (index) => ({ body: { plan: index % 2 ? 'premium_yearly' : 'premium_monthly', price: 9.99 + index, at: time } }));
		const result = await runBatchNode(
			sim,
			{
				customUserId: '={{ $json.meta.userId }}',
				eventName: '={{ $json.body.plan.endsWith("yearly") ? "Yearly_Renewal" : "monthly_renewal" }}',
				eventOptions: { label: '={{ $json.body.plan }}', tags: 'n8n, {{ $json.meta.store }}', time: '={{ $json.body.at }}' },
				attributes: { attribute: [{ name: 'price', type: 'number', value: '={{ $json.body.price }}' }] },
			},
			items,
			V2,
		);
		expectNoSecrets(result);
		expect(outputJson(result).map((json) => json.eventName)).toEqual(['monthly_renewal', 'yearly_renewal', 'monthly_renewal', 'yearly_renewal']);
		const event = sim.profile('custom_id', 'user-3')!.events[0];
		expect(event).toMatchObject({ name: 'yearly_renewal', label: 'premium_yearly', tags: ['n8n', '{{ $json.meta.store }}'], attributes: { price: 12.99 } });
		expect(Date.parse(event.time)).toBe(Date.parse(time));
	});

	it('Attributes Object: an expression giving an object, its keys typed by value; the editor rows win; empty = none', async () => {
		const items = [
			{ meta: { userId: 'obj-1' }, attributes: { plan: 'basic', price: 4.5, renews: true, link: 'myapp://ply/placements/RETENTION', gone: null } },
			{ meta: { userId: 'obj-2' } },
		];
		const result = await runBatchNode(
			sim,
			{
				resource: 'profile',
				operation: 'updateAttributes',
				attributesObject: '={{ $json.attributes }}',
				attributes: { attribute: [{ name: 'plan', type: 'string', value: 'premium' }] },
			},
			items,
			{ ...V2, continueOnFail: true },
		);
		const [first, second] = outputJson(result);
		expect(first).toMatchObject({ accepted: true, operation: 'updateAttributes', identifier: 'obj-1' });
		expect(first.sent).toEqual({
			identifiers: { custom_id: 'obj-1' },
			attributes: { plan: 'premium', price: 4.5, renews: true, 'url(link)': 'myapp://ply/placements/RETENTION', gone: null },
		});
		expect(sim.profile('custom_id', 'obj-1')!.attributes).toMatchObject({ plan: 'premium', price: 4.5, renews: true });
		// obj-2 has no `attributes`: the object is empty (none), and the editor row alone is sent.
		expect(second).toMatchObject({ accepted: true, sent: { identifiers: { custom_id: 'obj-2' }, attributes: { plan: 'premium' } } });
	});

	it('Trigger Events API: Store defaults to the dragged meta.store; sent is the item entry of the request body', async () => {
		const items = purchaselyItems(2, (index) => ({ meta: { userId: `te-${index}`, eventName: 'RENEWAL', store: index === 0 ? 'APPLE_APP_STORE' : 'GOOGLE_PLAY_STORE' } }));
		const result = await runBatchNode(sim, { ...dragged, api: 'triggerEvents', eventOptions: { label: 'fixed' } }, items, V2);
		expectNoSecrets(result);
		const output = outputJson(result);
		expect(output.map((json) => json.platforms)).toEqual([['ios'], ['android']]);
		expect(output[1].sent).toEqual({ id: 'te-1', events: [{ name: 'renewal', label: 'fixed' }] });
		expect(sim.triggerEvents(KEYS.androidApiKey, 'te-1')).toHaveLength(1);
		expect(sim.triggerEvents(KEYS.iosApiKey, 'te-0')).toHaveLength(1);
	});
});

describe('Batch v2: errors name the item and the parameter as the editor shows it, and say how to fix it', () => {
	it('empty Custom User ID, bad Event Name, bad Time, bad attribute: one [item N] message each, no internal names', async () => {
		const items = [
			{ meta: { userId: '', eventName: 'renewal' } },
			{ meta: { userId: 'u1', eventName: 'has space' } },
			{ meta: { userId: 'u2', eventName: 'renewal' }, at: 'yesterday' },
			{ meta: { userId: 'u3', eventName: 'renewal' }, price: 'free' },
			{ meta: { userId: 'u4', eventName: 'renewal' } },
		];
		const result = await runBatchNode(
			sim,
			{
				...dragged,
				eventOptions: { time: '={{ $json.at }}' },
				attributes: { attribute: [{ name: 'plan', type: 'number', value: '={{ $json.price ?? 1 }}' }] },
			},
			items,
			{ ...V2, continueOnFail: true },
		);
		const output = outputJson(result);
		const messages = output.map((json) => (json.error as { message?: string } | undefined)?.message);
		expect(messages[0]).toBe("[item 0] Custom User ID is empty. Drag the user's ID from the input panel onto Custom User ID, or type one.");
		expect(messages[1]).toMatch(/^\[item 1\] Event Name "has space" may only contain letters, digits and underscores .*\. Replace the other characters/);
		expect(messages[2]).toMatch(/^\[item 2\] Event Options › Time is "yesterday"; Batch needs an ISO 8601 date-time .*Give Event Options › Time a date-time, or leave it empty\.$/);
		expect(messages[3]).toMatch(/^\[item 3\] Attributes › plan is "free"; a number attribute needs a finite number\. Fix the value, or change the attribute's Type\.$/);
		expect(messages[4]).toBeUndefined();
		expect(output[0]).toMatchObject({ accepted: false, error: { stage: 'validation', field: 'Custom User ID', rule: 'required' } });
		expect(output[0].sent).toBeUndefined();
		for (const message of messages.filter(Boolean)) expect(message).not.toMatch(internalNames);
		expect(sim.profile('custom_id', 'u4')).toBeDefined();
	});

	it('Attributes Object that is not an object, and Update Attributes with nothing to update', async () => {
		const result = await runBatchNode(
			sim,
			{ resource: 'profile', operation: 'updateAttributes', attributesObject: '={{ $json.attributes }}' },
			[{ meta: { userId: 'a' }, attributes: 'plan=premium' }, { meta: { userId: 'b' } }],
			{ ...V2, continueOnFail: true },
		);
		const [first, second] = outputJson(result).map((json) => (json.error as { message: string }).message);
		expect(first).toBe('[item 0] Attributes Object gives "plan=premium"; it must give an object whose keys become attributes, e.g. {{ $json.attributes }}. Leave it empty for none.');
		expect(second).toBe('[item 1] Attributes: nothing to update. Add an attribute under Attributes, or give an object in Attributes Object.');
		expect(sim.requests).toHaveLength(0);
	});

	it('an expression that fails for one item fails that item only, naming the parameter', async () => {
		const result = await runBatchNode(
			sim,
			// n8n swallows most errors inside {{ }} (the value is then empty); an ExpressionError, such as a reference
			// to a node that does not exist, is thrown: here for the second item only.
			{ customUserId: '={{ $json.other ? $("No Such Node").item.json.id : $json.id.toUpperCase() }}', eventName: 'renewal' },
			[{ id: 'ok' }, { other: true }],
			{ ...V2, continueOnFail: true },
		);
		const output = outputJson(result);
		expect(output[0]).toMatchObject({ accepted: true, identifier: 'OK' });
		expect((output[1].error as { message: string }).message).toMatch(/^\[item 1\] Custom User ID: its expression failed \(.+\)\. Check it in the node, for this item\.$/);
		expect(sim.profile('custom_id', 'OK')).toBeDefined();
	});

	it('with On Error "Stop", the first failing item is thrown with [item N] after the valid items were sent', async () => {
		const result = await runBatchNode(sim, dragged, [{ meta: { userId: 'x1', eventName: 'ok' } }, { meta: { userId: '', eventName: 'ok' } }], V2);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect((result.error as Error).message).toBe("[item 1] Custom User ID is empty. Drag the user's ID from the input panel onto Custom User ID, or type one.");
		expect(sim.profile('custom_id', 'x1')).toBeDefined();
	});

	it('credential problems in operator words, without key names or keys', async () => {
		const noProject = await runBatchNode(sim, dragged, purchaselyItems(1), { ...V2, credentials: { projectKey: '' } });
		expect((noProject.error as Error).message).toBe(
			'The Batch API credential has no Project Key, which the Profile API needs. Add it to the credential (Batch: Settings › General), or choose the Trigger Events API.',
		);
		const noAndroid = await runBatchNode(
			sim,
			{ ...dragged, api: 'triggerEvents', platform: 'android' },
			purchaselyItems(1),
			{ ...V2, continueOnFail: true, credentials: { androidApiKey: '' } },
		);
		const message = (outputJson(noAndroid)[0].error as { message: string }).message;
		expect(message).toBe(
			'[item 0] The Batch API credential has no Android API Key (Live), which the Trigger Events API needs to reach the Android app. Add it to the credential, or change Platform.',
		);
		expect(serialiseRun(noAndroid)).not.toMatch(/androidApiKey/);
		expectNoSecrets(noAndroid);
	});
});

describe('Batch v2: execution custom data, for the executions list', () => {
	it('records the event names, the users and the result, within n8n limits', async () => {
		const result = await runBatchNode(sim, dragged, purchaselyItems(2), V2);
		expect(result.customData).toEqual({ batch_event: 'subscription_renewed', batch_user: 'user-0, user-1', batch_result: '2 accepted' });
		const many = await runBatchNode(sim, dragged, purchaselyItems(200, (index) => ({ meta: { userId: `a-rather-long-user-identifier-${index}`, eventName: 'renewal' } })), V2);
		expect(many.customData.batch_user.length).toBeLessThanOrEqual(255);
		expect(many.customData.batch_user).toMatch(/^a-rather-long-user-identifier-0, a-rather-long-user-identifier-1, .*, …$/);
		expect(many.customData.batch_result).toBe('200 accepted');
	});

	it('version 1 writes no custom data and no sent: its output is as it always was', async () => {
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(1));
		expect(result.node.typeVersion).toBe(1);
		expect(result.customData).toEqual({});
		expect(outputJson(result)).toEqual([
			{ accepted: true, api: 'profile', operation: 'trackEvent', identifierType: 'customId', identifier: 'user-0', eventName: 'renewal', batch: { status: 202, code: 'SUCCESS', attempts: 1 } },
		]);
		const failed = await runBatchNode(sim, { eventName: 'renewal' }, [{ meta: { userId: '' } }], { continueOnFail: true });
		expect((outputJson(failed)[0].error as { message: string }).message).toBe('Item 0: meta.userId is empty; a Custom User ID is required');
	});
});
