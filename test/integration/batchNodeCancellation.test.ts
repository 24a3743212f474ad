/**
 * Cancelling an execution (n8n's getExecutionCancelSignal, passed to the genuine n8n-core ExecuteContext as
 * WorkflowExecute does) aborts the requests in flight, the backoff waits and the rate-limit waits: the node
 * returns with every item reported. The assertions are on the outcome; the time taken is only logged (the
 * audit measured up to a minute; jest's 30 s timeout catches a node that does not return).
 */
import { outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';
import { recordN8nLogLines } from '../helpers/n8nExecuteContext';

const sim = useBatchSimulator();

/** What the node logged through n8n's logger (the retries it announces tell the test when it is waiting). */
let logLines: string[] = [];
beforeAll(() => {
	logLines = recordN8nLogLines();
});
beforeEach(() => (logLines.length = 0));

/** Runs the node and cancels the execution as soon as `when()` holds (polled every 5 ms). */
async function cancelWhen(when: () => boolean, run: (signal: AbortSignal) => Promise<ReturnType<typeof outputJson>>, label: string) {
	const controller = new AbortController();
	let abortedAt = 0;
	const poll = setInterval(() => {
		if (!controller.signal.aborted && when()) {
			abortedAt = Date.now();
			controller.abort();
		}
	}, 5);
	try {
		const json = await run(controller.signal);
		console.log(`cancellation (${label}): returned ${Date.now() - abortedAt} ms after the cancel signal`);
		return json;
	} finally {
		clearInterval(poll);
	}
}

describe('cancellation', () => {
	it('aborts requests in flight; every item says it may or may not have reached Batch', async () => {
		sim.injectFaults([{ delayMs: 60_000, times: 10 }]);
		// Cancelled once the four requests have reached the simulator, which holds them for a minute.
		const json = await cancelWhen(
			() => sim.stats().requests >= 4,
			async (signal) => outputJson(await runBatchNode(sim, { eventName: 'renewal', options: { batchSize: 10 } }, purchaselyItems(40), { continueOnFail: true, abortSignal: signal })),
			'in flight',
		);
		expect(json).toHaveLength(40);
		for (const item of json) {
			expect(item).toMatchObject({ accepted: false, error: { stage: 'network', code: 'CANCELLED' } });
			expect((item.error as { message: string }).message).toMatch(/cancelled while this request was in flight.*; it may or may not have reached Batch/);
		}
	});

	it('aborts a backoff wait (Retry-After 120 s)', async () => {
		sim.injectFaults([{ status: 503, retryAfter: 120, times: 10 }]);
		const json = await cancelWhen(
			() => logLines.some((line) => line.includes('retrying in 120000 ms')),
			async (signal) =>
				outputJson(await runBatchNode(sim, { eventName: 'renewal', options: { maxRetryDuration: 600 } }, purchaselyItems(5), { continueOnFail: true, abortSignal: signal })),
			'backoff',
		);
		expect(json).toHaveLength(5);
		for (const item of json) {
			expect(item).toMatchObject({ accepted: false, batch: { attempts: 1 }, error: { code: 'CANCELLED' } });
			expect((item.error as { message: string }).message).toMatch(/cancelled while waiting to retry/);
		}
		expect(sim.requests).toHaveLength(1);
	});

	it('aborts rate-limit waits: items not sent yet are reported as not sent', async () => {
		// 0.05 per second: the second request would wait 20 s. Cancelled once the first one was accepted.
		const json = await cancelWhen(
			() => sim.stats().acceptedOperations >= 1,
			async (signal) =>
				outputJson(
					await runBatchNode(sim, { eventName: 'renewal', options: { batchSize: 1, rateLimitPerSecond: 0.05, rateLimitBurst: 1, maxConcurrentRequests: 1 } }, purchaselyItems(4), {
						continueOnFail: true,
						abortSignal: signal,
					}),
				),
			'rate-limit wait',
		);
		expect(json).toHaveLength(4);
		// The first request may still have been in flight when the simulator counted it: then it says so.
		expect(json[0].accepted === true || /in flight/.test((json[0].error as { message: string }).message)).toBe(true);
		expect(json.slice(1).map((item) => item.accepted)).toEqual([false, false, false]);
		for (const item of json.slice(1)) expect((item.error as { message: string }).message).toMatch(/cancelled before this request was sent/);
		expect(sim.stats().requests).toBe(1);
	});

	it('throws for the first item when "Continue On Fail" is off, still after every item was accounted for', async () => {
		sim.injectFaults([{ delayMs: 60_000, times: 10 }]);
		const controller = new AbortController();
		const poll = setInterval(() => sim.stats().requests >= 1 && controller.abort(), 5);
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(3), { abortSignal: controller.signal });
		clearInterval(poll);
		expect((result.error as Error).message).toMatch(/^Item 0: .*CANCELLED/);
		expect((result.error as { description: string }).description).toMatch(/^3 of 3 items failed/);
	});
});

describe('cancellation, Output One Summary Item (version 2)', () => {
	it('the request in flight and every request after it report their items as cancelled; the summary accounts for all', async () => {
		sim.injectFaults([{ delayMs: 60_000, times: 1 }]);
		const parameters = {
			resource: 'profile',
			operation: 'updateAttributes',
			customUserId: '={{ $json.meta.userId }}',
			attributesObject: '={{ $json.body }}',
			options: { output: 'summary', endpoint: 'update', batchSize: 50 },
		};
		// The first request (50 items) is held by the simulator; cancelled once it is there. 250 items: 5 requests.
		const [summary] = await cancelWhen(
			() => sim.stats().requests >= 1,
			async (signal) => outputJson(await runBatchNode(sim, parameters, purchaselyItems(250), { version: 2, continueOnFail: true, abortSignal: signal })),
			'summary',
		);
		expect(summary).toMatchObject({ items: 250, accepted: 0, failed: 250 });
		const failedItems = summary.failedItems as Array<{ itemIndex: number; error: { code: string; message: string } }>;
		expect(failedItems.map((item) => item.itemIndex)).toEqual(Array.from({ length: 250 }, (_, index) => index));
		expect(failedItems.every((item) => item.error.code === 'CANCELLED')).toBe(true);
		expect(failedItems[0].error.message).toMatch(/cancelled while this request was in flight/);
		expect(sim.stats().requests).toBe(1); // nothing more was sent after the cancel
	});
});
