/**
 * Event times are checked against Batch's window (the last 24 hours, nothing in the future: 0 s ahead) when each
 * request is built, and an item out of the window is reported on its own: it never fails the other items' call.
 * The audit's reproduction: one event a few seconds in the future failed a whole Trigger Events bulk call.
 * Through a genuine n8n-core ExecuteContext against the simulator (which applies the same window on arrival).
 */
import { KEYS, outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();

const iso = (ms: number) => new Date(ms).toISOString();

describe('event times', () => {
	it('reports an event a few seconds in the future on its own; the other events of its bulk call go', async () => {
		const now = Date.now();
		const items = purchaselyItems(5, (index) => ({ time: iso(index === 2 ? now + 5_000 : now - 60_000) }));
		const result = await runBatchNode(sim, { api: 'triggerEvents', platform: 'ios', eventName: 'renewal', eventOptions: { time: '={{ $json.time }}' } }, items, {
			continueOnFail: true,
		});
		const json = outputJson(result);
		expect(json.map((item) => item.accepted)).toEqual([true, true, false, true, true]);
		expect(json[2].error).toMatchObject({ stage: 'validation', field: 'eventOptions.time', rule: 'timeWindow' });
		expect((json[2].error as { message: string }).message).toMatch(/is in the future; Batch accepts no events from the future/);
		expect(sim.triggerEvents(KEYS.iosApiKey)).toHaveLength(4);
	});

	it('the same on the Profile API', async () => {
		const now = Date.now();
		const items = purchaselyItems(3, (index) => ({ time: iso(index === 0 ? now + 5_000 : now - 60_000) }));
		const result = await runBatchNode(sim, { eventName: 'renewal', eventOptions: { time: '={{ $json.time }}' } }, items, { continueOnFail: true });
		expect(outputJson(result).map((item) => item.accepted)).toEqual([false, true, true]);
		expect(sim.stats().acceptedOperations).toBe(2);
	});

	it('checks the time when the request is built, not when the execution starts', async () => {
		// One event per request at 1 per second: the third request is built about 2 s after the start, by when an
		// event stamped 1.5 s after the start is in the past.
		const start = Date.now();
		const items = purchaselyItems(3, (index) => ({ time: iso(index === 2 ? start + 1_500 : start - 60_000) }));
		const result = await runBatchNode(
			sim,
			{ api: 'triggerEvents', platform: 'ios', eventName: 'renewal', eventOptions: { time: '={{ $json.time }}' }, options: { batchSize: 1, rateLimitPerSecond: 1, rateLimitBurst: 1, maxConcurrentRequests: 1 } },
			items,
			{ continueOnFail: true },
		);
		expect(outputJson(result).map((item) => item.accepted)).toEqual([true, true, true]);
		expect(sim.triggerEvents(KEYS.iosApiKey)).toHaveLength(3);
	});
});
