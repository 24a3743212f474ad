/**
 * One rate budget per Batch project and API per n8n process: concurrent executions of the Batch node share it,
 * and a 429 slows every one of them down. Run through genuine n8n-core ExecuteContexts against the simulator,
 * which enforces Batch's documented bucket (300 profile updates per second, bursts of 1,000).
 * The audit's reproduction: 3 executions × 2,000 items at once lost 400 to 800 items to TOO_MANY_REQUESTS.
 */
import { outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();

describe('one rate budget per Batch project per process', () => {
	it('3 concurrent executions × 2,000 items at 300/s, burst 1,000: 6,000 of 6,000 accepted', async () => {
		const started = Date.now();
		const runs = await Promise.all(
			[0, 1, 2].map((run) =>
				runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(2000, (index) => ({ meta: { userId: `run${run}-user-${index}` } })), { continueOnFail: true }),
			),
		);
		const items = runs.flatMap((run) => outputJson(run));
		const accepted = items.filter((item) => item.accepted === true).length;
		const stats = sim.stats();
		// Figures for the log only (speed is measured by npm run bench, not asserted here).
		console.log(`shared budget: ${accepted}/6000 accepted in ${Date.now() - started} ms; simulator: ${stats.requests} requests, ${stats.rateLimited} × 429`);
		expect(items).toHaveLength(6000);
		expect(accepted).toBe(6000);
		expect(stats.acceptedOperations).toBe(6000);
	}, 120_000);

	it('keeps retrying 429s without Retry-After past Max Attempts, within Max Retry Duration', async () => {
		sim.injectFaults([{ status: 429, times: 4 }]);
		const result = await runBatchNode(sim, { eventName: 'renewal', options: { maxAttempts: 1, maxRetryDuration: 60 } }, purchaselyItems(3), { continueOnFail: true });
		const json = outputJson(result);
		expect(json.map((item) => item.accepted)).toEqual([true, true, true]);
		expect(json[0].batch).toMatchObject({ attempts: 5 });
		expect(json[0].batch).not.toHaveProperty('possibleDuplicate');
		expect(sim.stats().acceptedOperations).toBe(3);
	}, 60_000);

	it('gives up on 429s once Max Retry Duration is spent, saying so', async () => {
		sim.injectFaults([{ status: 429, retryAfter: 5, times: 10 }]);
		const result = await runBatchNode(sim, { eventName: 'renewal', options: { maxRetryDuration: 2 } }, purchaselyItems(2), { continueOnFail: true });
		const [first] = outputJson(result);
		expect(first).toMatchObject({ accepted: false, error: { code: 'TOO_MANY_REQUESTS', status: 429 } });
		expect(sim.requests).toHaveLength(1);
	});
});
