/**
 * Option Output "One Summary Item" (version 2) through a genuine n8n-core ExecuteContext against the Batch
 * simulator over real HTTP: one output item for the run, the same fate for every item and the same requests as a run
 * that outputs each item (Profile API: operations packed as they are prepared; Trigger Events API: windows), Endpoint
 * "Automatic" deciding as before, Dry Run, "Continue On Fail" off, a bad value for the option, and no key anywhere.
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { expectNoSecrets, outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();
const V2 = { version: 2 };

const track = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'event',
	operation: 'track',
	customUserId: '={{ $json.meta.userId }}',
	eventName: 'renewal',
	options,
});
const attributes = (options: INodeParameters = {}): INodeParameters => ({
	resource: 'profile',
	operation: 'update',
	customUserId: '={{ $json.meta.userId }}',
	attributesObject: '={{ $json.body }}',
	options,
});

/** Items `invalid` have no user ID: refused before sending. */
const itemsWithInvalid = (count: number, invalid: readonly number[]) => purchaselyItems(count, (index) => (invalid.includes(index) ? { meta: { userId: '' } } : {}));

function onlyItem(result: Awaited<ReturnType<typeof runBatchNode>>): IDataObject {
	const json = outputJson(result);
	expect(json).toHaveLength(1);
	return json[0];
}

describe('Output: One Summary Item', () => {
	it('25,000 profile updates: one item with the counts and each failed item; mass update one request at a time', async () => {
		const invalid = [3, 12_345, 24_999];
		sim.injectFaults([{ path: 'mass-update', rejectCustomIds: ['user-7', 'user-20000'], reason: 'attribute value rejected' }]);
		const result = await runBatchNode(sim, attributes({ output: 'summary' }), itemsWithInvalid(25_000, invalid), { ...V2, continueOnFail: true });
		const summary = onlyItem(result);
		expect(summary).toMatchObject({ items: 25_000, accepted: 24_996, failed: 4, possibleDuplicates: 0, requests: 3, api: 'profile', operation: 'updateAttributes', endpoint: 'massUpdate' });
		const failedItems = summary.failedItems as IDataObject[];
		// user-7 is refused by Batch in the first request; user-20000 is accepted then (the fault applies once).
		expect(failedItems.map((item) => item.itemIndex)).toEqual([3, 7, 12_345, 24_999]);
		expect(failedItems[0]).toMatchObject({ itemIndex: 3, accepted: false, identifier: '', error: { stage: 'validation', field: 'Custom User ID', rule: 'required' } });
		expect((failedItems[0].error as IDataObject).message).toBe("[item 3] Custom User ID is empty. Drag the user's ID from the input panel onto Custom User ID, or type one.");
		expect(failedItems[1]).toMatchObject({ itemIndex: 7, identifier: 'user-7', batch: { status: 202, endpoint: 'massUpdate' }, error: { stage: 'batch', category: 'operation' } });
		expect((failedItems[1].error as IDataObject).message).toMatch(/^\[item 7\] Batch dropped this operation .*attribute value rejected/);
		expect(failedItems[1].sent).toEqual({ identifiers: { custom_id: 'user-7' }, attributes: { plan: 'premium_monthly', price: 9.99 } });
		// Requests cut as with One Item per Input Item: 10,000 valid operations each, the last one shorter.
		const mass = sim.requests.filter((request) => request.path.endsWith('/profiles/mass-update') && request.status === 202);
		expect(mass.map((request) => request.operations)).toEqual([10_000, 10_000, 4_997]);
		expect(sim.profile('custom_id', 'user-24998')?.attributes).toMatchObject({ plan: 'premium_monthly' });
		expect(sim.profile('custom_id', 'user-7')).toBeUndefined();
		// Like n8n's Aggregate node, the summary comes from every input item.
		const pairedItem = result.output![0][0].pairedItem as Array<{ item: number }>;
		expect(pairedItem).toHaveLength(25_000);
		expect(pairedItem[24_999]).toEqual({ item: 24_999 });
		expect(result.customData).toMatchObject({ batch_result: '24996 accepted, 4 failed' });
		expect(result.customData.batch_user).toMatch(/^user-0, user-1, user-2, user-4, /);
		expectNoSecrets(result);
	}, 120_000);

	it('every item has the same fate as with One Item per Input Item (Batch Size 3)', async () => {
		const items = itemsWithInvalid(40, [0, 5, 6, 39]);
		const options = { batchSize: 3, maxConcurrentRequests: 2, endpoint: 'update', maxAttempts: 1 };
		// Item by item failures (a whole request refused depends on which items share it: see the next tests).
		const faults = () => sim.injectFaults([{ path: 'profiles/update', rejectCustomIds: ['user-9', 'user-30'], times: 20 }]);

		faults();
		const each = outputJson(await runBatchNode(sim, track(options), items, { ...V2, continueOnFail: true }));
		const eachFailed = each.flatMap((json, itemIndex) => (json.accepted === true ? [] : [{ itemIndex, ...json }]));
		sim.reset();

		faults();
		const result = await runBatchNode(sim, track({ ...options, output: 'summary' }), items, { ...V2, continueOnFail: true });
		const summary = onlyItem(result);
		expect(eachFailed.map((item) => item.itemIndex)).toEqual([0, 5, 6, 9, 30, 39]);
		expect(summary.failedItems).toEqual(eachFailed);
		expect(summary).toMatchObject({ items: 40, accepted: 34, failed: 6, requests: sim.requests.length, endpoint: 'update' });
		// Requests cut as with One Item per Input Item: 36 valid items, 3 a request, one request at a time.
		expect(sim.requests.map((request) => request.operations)).toEqual(Array<number>(12).fill(3));
	});

	it('a request Batch refuses whole fails its items only; the next requests go on', async () => {
		sim.injectFaults([{ path: 'profiles/update', status: 400, times: 1 }]);
		const summary = onlyItem(await runBatchNode(sim, track({ batchSize: 3, endpoint: 'update', maxAttempts: 1, output: 'summary' }), purchaselyItems(9), { ...V2, continueOnFail: true }));
		expect(summary).toMatchObject({ items: 9, accepted: 6, failed: 3, requests: 3 });
		expect(summary.failedItems).toEqual([0, 1, 2].map((itemIndex) => expect.objectContaining({ itemIndex, error: expect.objectContaining({ stage: 'batch', status: 400 }) })));
		expect(sim.profile('custom_id', 'user-8')).toBeDefined();
	});

	it('each request carries its own items (bodies written again in place), also after a request that got no answer', async () => {
		// Every item its own plan (and one with text of several bytes per character), so that a body holding a byte of
		// an earlier request shows as a wrong attribute.
		const items = purchaselyItems(30, (index) => ({ body: { plan: `plan-${index}-${'é✓'.repeat(index % 4)}`, price: index } }));
		const expectProfiles = (indexes: number[]) => {
			for (const index of indexes) expect(sim.profile('custom_id', `user-${index}`)?.attributes).toEqual(items[index].body);
		};
		// The first request's connection is dropped (no answer, not retried): its items fail, the next requests go on.
		sim.injectFaults([{ path: 'profiles/update', drop: true, times: 1 }]);
		const dropped = onlyItem(await runBatchNode(sim, attributes({ batchSize: 7, endpoint: 'update', maxAttempts: 1, output: 'summary' }), items, { ...V2, continueOnFail: true }));
		expect(dropped).toMatchObject({ items: 30, accepted: 23, failed: 7, requests: 5 });
		expect((dropped.failedItems as IDataObject[]).map((item) => [item.itemIndex, (item.error as IDataObject).stage])).toEqual([0, 1, 2, 3, 4, 5, 6].map((index) => [index, 'network']));
		expect(sim.profile('custom_id', 'user-0')).toBeUndefined();
		expectProfiles(Array.from({ length: 23 }, (_, index) => index + 7));
		expect(sim.requests.map((request) => [request.status, request.operations])).toEqual([[0, 0], [202, 7], [202, 7], [202, 7], [202, 2]]);
		sim.reset();

		// Dropped once and retried: the retry sends the same body.
		sim.injectFaults([{ path: 'profiles/update', drop: true, times: 1 }]);
		const retried = onlyItem(await runBatchNode(sim, attributes({ batchSize: 7, endpoint: 'update', maxAttempts: 2, output: 'summary' }), items, { ...V2, continueOnFail: true }));
		expect(retried).toMatchObject({ items: 30, accepted: 30, failed: 0, requests: 5 });
		expectProfiles(Array.from({ length: 30 }, (_, index) => index));
		expect(sim.requests.map((request) => [request.status, request.operations])).toEqual([[0, 0], [202, 7], [202, 7], [202, 7], [202, 7], [202, 2]]);
	});

	it('Endpoint Automatic decides as before: 1,001 items of which 2 are invalid stay on /profiles/update', async () => {
		const summary = onlyItem(await runBatchNode(sim, track({ output: 'summary' }), itemsWithInvalid(1001, [0, 1]), { ...V2, continueOnFail: true }));
		expect(summary).toMatchObject({ items: 1001, accepted: 999, failed: 2, requests: 5, endpoint: 'update' });
		const more = onlyItem(await runBatchNode(sim, track({ output: 'summary' }), itemsWithInvalid(1003, [0, 1]), { ...V2, continueOnFail: true }));
		expect(more).toMatchObject({ items: 1003, accepted: 1001, failed: 2, requests: 1, endpoint: 'massUpdate' });
	}, 60_000);

	it('Trigger Events API to both apps: counts items, lists a failed item once', async () => {
		const parameters = { ...track({ output: 'summary', batchSize: 4 }), api: 'triggerEvents', platform: 'both' };
		const summary = onlyItem(await runBatchNode(sim, parameters, itemsWithInvalid(10, [4]), { ...V2, continueOnFail: true }));
		expect(summary).toMatchObject({ items: 10, accepted: 9, failed: 1, api: 'triggerEvents' });
		expect(summary).not.toHaveProperty('endpoint');
		expect((summary.failedItems as IDataObject[]).map((item) => item.itemIndex)).toEqual([4]);
		expect(sim.triggerEvents()).toHaveLength(18);
	});

	it('Dry Run: nothing sent; valid and failed counted, the requests a real run would send', async () => {
		const summary = onlyItem(await runBatchNode(sim, attributes({ output: 'summary', dryRun: true }), itemsWithInvalid(12_000, [11_999]), { ...V2, continueOnFail: true }));
		expect(summary).toMatchObject({ items: 12_000, dryRun: true, valid: 11_999, failed: 1, requests: 2, endpoint: 'massUpdate' });
		expect(summary).not.toHaveProperty('accepted');
		expect((summary.failedItems as IDataObject[])[0]).toMatchObject({ itemIndex: 11_999, dryRun: { valid: false }, error: { rule: 'required' } });
		expect(sim.requests).toHaveLength(0);
	}, 60_000);

	it('On Error "Stop": every valid item is sent, then the first failing item is thrown; the description says where the list is', async () => {
		const result = await runBatchNode(sim, track({ output: 'summary' }), itemsWithInvalid(5, [2, 4]), V2);
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect((result.error as Error).message).toBe("[item 2] Custom User ID is empty. Drag the user's ID from the input panel onto Custom User ID, or type one.");
		expect((result.error as NodeOperationError).description).toMatch(/^2 of 5 items failed \(items 2, 4\); 3 items were accepted by Batch .* to get the summary item, which lists every failed item/);
		expect(sim.profile('custom_id', 'user-3')).toBeDefined();

		sim.injectFaults([{ path: 'profiles/update', status: 400 }]);
		const refused = await runBatchNode(sim, track({ output: 'summary', maxAttempts: 1 }), purchaselyItems(2), V2);
		expect(refused.error).toBeInstanceOf(NodeApiError);
		expect((refused.error as Error).message).toMatch(/^\[item 0\] Batch answered HTTP 400/);
		expectNoSecrets(refused);
	});

	it('an Output value that is neither choice stops the run before anything is sent', async () => {
		const result = await runBatchNode(sim, track({ output: '={{ "totals" }}' }), purchaselyItems(2), { ...V2, continueOnFail: true });
		expect((result.error as Error).message).toBe('Options → Output (options.output) is "totals"; it must be one of eachItem, summary');
		expect(sim.requests).toHaveLength(0);
	});

	it('version 1 ignores an output value: one item per input item, as always', async () => {
		const json = outputJson(await runBatchNode(sim, { eventName: 'renewal', options: { output: 'summary' } }, purchaselyItems(3)));
		expect(json).toHaveLength(3);
		expect(json.every((item) => item.accepted === true)).toBe(true);
	});
});
