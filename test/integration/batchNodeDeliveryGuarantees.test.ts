/**
 * Retries say what they risk. Batch has no idempotency key: a request retried after an uncertain failure (a
 * timeout or reset after it was sent, a 5xx) may be recorded twice. At least once (default): retried, and its
 * items say `batch.possibleDuplicate: true`. At most once: not retried, and its items fail saying they may or
 * may not have reached Batch. Through a genuine n8n-core ExecuteContext against the simulator's delay faults.
 * The audit's reproduction: request delayed 1.5 s, timeout 0.5 s, 100 items → 200 events recorded.
 */
import { outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';
import type { BatchSimulator } from '../../simulator/batchSimulator';

const sim = useBatchSimulator();

/** Events recorded for the 100 users, once the delayed first request has been handled too. */
async function recordedEvents(simulator: BatchSimulator, expected: number): Promise<number> {
	const count = () => Array.from({ length: 100 }, (_, index) => simulator.profile('custom_id', `user-${index}`)?.events.length ?? 0).reduce((a, b) => a + b, 0);
	const deadline = Date.now() + 5000;
	while (count() < expected && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
	return count();
}

const delayed = { eventName: 'renewal', options: { requestTimeout: 500 } };

describe('delivery guarantees', () => {
	it('at least once (default): retries after a timeout and marks every item of that request possibleDuplicate', async () => {
		sim.injectFaults([{ delayMs: 1500 }]);
		const result = await runBatchNode(sim, delayed, purchaselyItems(100), { continueOnFail: true });
		const json = outputJson(result);
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(json.every((item) => (item.batch as { possibleDuplicate?: boolean }).possibleDuplicate === true)).toBe(true);
		expect(json[0].batch).toMatchObject({ attempts: 2, possibleDuplicate: true });
		// What the flag warns about: Batch recorded both attempts.
		expect(await recordedEvents(sim, 200)).toBe(200);
	});

	it('at most once: does not retry after a timeout; the items fail saying they may or may not have reached Batch', async () => {
		sim.injectFaults([{ delayMs: 1500 }]);
		const result = await runBatchNode(sim, { ...delayed, options: { ...delayed.options, delivery: 'atMostOnce' } }, purchaselyItems(100), { continueOnFail: true });
		const json = outputJson(result);
		expect(json.every((item) => item.accepted === false)).toBe(true);
		expect(json[0]).toMatchObject({ batch: { attempts: 1 }, error: { stage: 'network', code: 'UND_ERR_HEADERS_TIMEOUT' } });
		expect((json[0].error as { message: string }).message).toMatch(/may or may not have reached Batch/);
		expect(json[0].batch).not.toHaveProperty('possibleDuplicate');
		expect(await recordedEvents(sim, 100)).toBe(100);
		expect(sim.requests).toHaveLength(1);
	});

	it('at most once still retries what Batch certainly did not process (429), and marks nothing', async () => {
		sim.injectFaults([{ status: 429, retryAfter: 0 }]);
		const result = await runBatchNode(sim, { eventName: 'renewal', options: { delivery: 'atMostOnce' } }, purchaselyItems(3), { continueOnFail: true });
		const json = outputJson(result);
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(json[0].batch).toMatchObject({ attempts: 2 });
		expect(json[0].batch).not.toHaveProperty('possibleDuplicate');
	});

	it('at least once: a 5xx then a success is a possible duplicate; a 429 then a success is not', async () => {
		sim.injectFaults([{ status: 503, retryAfter: 0 }]);
		const after503 = outputJson(await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(2), { continueOnFail: true }));
		expect(after503[1]).toMatchObject({ accepted: true, batch: { attempts: 2, possibleDuplicate: true } });
		sim.injectFaults([{ status: 429, retryAfter: 0 }]);
		const after429 = outputJson(await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(2), { continueOnFail: true }));
		expect(after429[1]).toMatchObject({ accepted: true, batch: { attempts: 2 } });
		expect(after429[1].batch).not.toHaveProperty('possibleDuplicate');
	});

	it('at most once: a 5xx fails the items without a retry, with the same warning', async () => {
		sim.injectFaults([{ status: 500 }]);
		const result = await runBatchNode(sim, { eventName: 'renewal', options: { delivery: 'atMostOnce' } }, purchaselyItems(2), { continueOnFail: true });
		const [first] = outputJson(result);
		expect(first).toMatchObject({ accepted: false, batch: { attempts: 1 }, error: { stage: 'batch', status: 500 } });
		expect((first.error as { message: string }).message).toMatch(/not retried \(At Most Once delivery\): it may or may not have reached Batch/);
		expect(sim.requests).toHaveLength(1);
	});
});
