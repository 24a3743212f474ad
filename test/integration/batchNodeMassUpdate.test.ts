/**
 * The Endpoint option (Profile API): `/profiles/mass-update` for large runs, `/profiles/update` otherwise.
 * Run through genuine n8n-core ExecuteContexts against the simulator over real HTTP, the simulator enforcing
 * Batch's documented limits on both endpoints (update: 200 a call, 300/s, bursts of 1,000; mass update: 10,000 a
 * call, 10,000/s, no burst). Wall times are logged, never asserted (speed: npm run bench -- --mass-update).
 */
import type { INodeParameters } from 'n8n-workflow';
import { PROFILE_API_VERSION } from '../../nodes/Batch/profileApiRequest';
import { existingSharedBucket } from '../../nodes/Batch/rateLimiter';
import { KEYS, expectNoSecrets, outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();

const track = (options: INodeParameters = {}): INodeParameters => ({ eventName: 'renewal', options });
const attributes = (options: INodeParameters = {}): INodeParameters => ({ operation: 'updateAttributes', attributesField: 'body', options });

/** Calls per endpoint that Batch's budget let through (a 429 caused by timing jitter on a loaded machine is retried). */
function endpointCounts() {
	const endpoints = sim.endpoints();
	return {
		update: endpoints['profiles/update'].requests - endpoints['profiles/update'].rateLimited,
		massUpdate: endpoints['profiles/mass-update'].requests - endpoints['profiles/mass-update'].rateLimited,
		massMaxOperations: endpoints['profiles/mass-update'].maxOperations,
	};
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<T> {
	const started = Date.now();
	const result = await run();
	console.log(`${label}: ${Date.now() - started} ms`);
	return result;
}

describe('Endpoint: Automatic', () => {
	it('10,000 items (Track Event) go to /profiles/mass-update in one request, all accepted', async () => {
		const result = await timed('auto, 10,000 items, mass update at default limits', () =>
			runBatchNode(sim, track({ endpoint: 'auto' }), purchaselyItems(10_000), { continueOnFail: true }),
		);
		const json = outputJson(result);
		expect(json).toHaveLength(10_000);
		expect(json.filter((item) => item.accepted === true)).toHaveLength(10_000);
		expect(json[0]).toMatchObject({ accepted: true, batch: { status: 202, code: 'SUCCESS', endpoint: 'massUpdate', attempts: 1 } });
		expect(endpointCounts()).toEqual({ update: 0, massUpdate: 1, massMaxOperations: 10_000 });
		expect(sim.requests[0].path).toBe(`/${PROFILE_API_VERSION}/profiles/mass-update`);
		expect(sim.endpoints()['profiles/mass-update'].acceptedOperations).toBe(10_000);
		expect(sim.profile('custom_id', 'user-9999')?.events[0]).toMatchObject({ name: 'renewal' });
		expectNoSecrets(result);
	}, 60_000);

	it('500 items stay on /profiles/update (200 a request)', async () => {
		const json = outputJson(await runBatchNode(sim, track({ endpoint: 'auto' }), purchaselyItems(500), { continueOnFail: true }));
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(json[499]).toMatchObject({ batch: { endpoint: 'update' } });
		expect(endpointCounts()).toMatchObject({ update: 3, massUpdate: 0 });
	});

	it('Update Attributes, 2,000 items: mass update, attributes recorded', async () => {
		const items = purchaselyItems(2000, (index) => ({ body: { plan: index % 2 ? 'monthly' : 'yearly', seats: index } }));
		const json = outputJson(await runBatchNode(sim, attributes({ endpoint: 'auto' }), items, { continueOnFail: true }));
		expect(json.every((item) => item.accepted === true && (item.batch as { endpoint?: string }).endpoint === 'massUpdate')).toBe(true);
		expect(endpointCounts()).toMatchObject({ update: 0, massUpdate: 1, massMaxOperations: 2000 });
		expect(sim.profile('custom_id', 'user-1999')?.attributes).toMatchObject({ plan: 'monthly', seats: 1999 });
	});

	it('counts the items it will send: 1,001 items of which 2 are invalid stay on /profiles/update', async () => {
		const items = purchaselyItems(1001, (index) => (index < 2 ? { meta: { userId: '' } } : {}));
		const json = outputJson(await runBatchNode(sim, track({ endpoint: 'auto' }), items, { continueOnFail: true }));
		expect(json.filter((item) => item.accepted === true)).toHaveLength(999);
		expect(endpointCounts()).toMatchObject({ massUpdate: 0, update: 5 });
	});
});

describe('Endpoint: forced', () => {
	it('Real-Time Update: 1,500 items go to /profiles/update even though Automatic would mass update', async () => {
		const json = outputJson(await runBatchNode(sim, track({ endpoint: 'update' }), purchaselyItems(1500), { continueOnFail: true }));
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(json[0]).toMatchObject({ batch: { endpoint: 'update' } });
		expect(endpointCounts()).toMatchObject({ update: 8, massUpdate: 0 });
	}, 30_000);

	it('Mass Update: 3 items go to /profiles/mass-update', async () => {
		const json = outputJson(await runBatchNode(sim, attributes({ endpoint: 'massUpdate' }), purchaselyItems(3)));
		expect(json.map((item) => (item.batch as { endpoint: string }).endpoint)).toEqual(['massUpdate', 'massUpdate', 'massUpdate']);
		expect(endpointCounts()).toMatchObject({ update: 0, massUpdate: 1 });
	});

	it('version 1 without the option keeps /profiles/update for 1,500 items (behaviour unchanged)', async () => {
		const json = outputJson(await runBatchNode(sim, track(), purchaselyItems(1500), { continueOnFail: true }));
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(json[0].batch).not.toHaveProperty('endpoint'); // its output as it always was
		expect(endpointCounts()).toMatchObject({ update: 8, massUpdate: 0 });
	}, 30_000);

	it('version 2 without the option is Automatic: 2,000 items mass update, 500 items /profiles/update', async () => {
		const v2 = { resource: 'event', operation: 'track', customUserId: '={{ $json.meta.userId }}', eventName: 'renewal' };
		const big = outputJson(await runBatchNode(sim, v2, purchaselyItems(2000), { continueOnFail: true, version: 2 }));
		expect(big.every((item) => item.accepted === true && (item.batch as { endpoint?: string }).endpoint === 'massUpdate')).toBe(true);
		expect(endpointCounts()).toMatchObject({ update: 0, massUpdate: 1 });
		sim.reset();
		const small = outputJson(await runBatchNode(sim, v2, purchaselyItems(500), { continueOnFail: true, version: 2 }));
		expect(small.every((item) => item.accepted === true && (item.batch as { endpoint?: string }).endpoint === 'update')).toBe(true);
		expect(endpointCounts()).toMatchObject({ update: 3, massUpdate: 0 });
		sim.reset();
		const forced = outputJson(await runBatchNode(sim, { ...v2, options: { endpoint: 'update' } }, purchaselyItems(1200), { continueOnFail: true, version: 2 }));
		expect(forced[0]).toMatchObject({ accepted: true, batch: { endpoint: 'update' } });
		expect(endpointCounts()).toMatchObject({ update: 6, massUpdate: 0 });
	}, 60_000);

	it('Batch Size applies to mass update and is capped at 10,000', async () => {
		await runBatchNode(sim, track({ endpoint: 'massUpdate', batchSize: 2500 }), purchaselyItems(6000), { continueOnFail: true });
		expect(endpointCounts()).toMatchObject({ update: 0, massUpdate: 3, massMaxOperations: 2500 });
		sim.reset();
		const json = outputJson(await runBatchNode(sim, track({ endpoint: 'massUpdate', batchSize: 50_000 }), purchaselyItems(12_000), { continueOnFail: true }));
		expect(json.filter((item) => item.accepted === true)).toHaveLength(12_000);
		expect(endpointCounts()).toMatchObject({ massUpdate: 2, massMaxOperations: 10_000 });
	}, 60_000);

	it('the Trigger Events API ignores the option', async () => {
		const json = outputJson(
			await runBatchNode(sim, { eventName: 'renewal', api: 'triggerEvents', platform: 'ios', options: { endpoint: 'massUpdate' } }, purchaselyItems(3)),
		);
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(json[0].batch).not.toHaveProperty('endpoint');
		expect(sim.endpoints()['trigger-events'].requests).toBe(1);
		expect(endpointCounts()).toMatchObject({ update: 0, massUpdate: 0 });
	});

	it('an unknown endpoint value (from an expression) is refused before anything is sent', async () => {
		const result = await runBatchNode(sim, track({ endpoint: '={{ "bulk" }}' }), purchaselyItems(2));
		expect(String((result.error as Error).message)).toBe('Options → Endpoint (options.endpoint) is "bulk"; it must be one of auto, update, massUpdate');
		expect(sim.stats().requests).toBe(0);
	});
});

describe('mass update: outcomes, retries, delivery, cancellation', () => {
	it('partial errors in a 10,000-operation call are reported on the right items (bulk_index, invalid items skipped)', async () => {
		// Items 3 and 7 fail validation: 10,000 items are sent in one call, at positions shifted from the input's.
		const items = purchaselyItems(10_002, (index) => (index === 3 || index === 7 ? { meta: { userId: '' } } : {}));
		sim.injectFaults([{ path: 'mass-update', rejectCustomIds: ['user-0', 'user-8', 'user-5000', 'user-10001'], reason: 'refused for the test' }]);
		const json = outputJson(await runBatchNode(sim, track({ endpoint: 'auto' }), items, { continueOnFail: true }));
		expect(endpointCounts()).toEqual({ update: 0, massUpdate: 1, massMaxOperations: 10_000 });
		const failed = json.flatMap((item, index) => (item.accepted ? [] : [index]));
		expect(failed).toEqual([0, 3, 7, 8, 5000, 10_001]);
		for (const index of [0, 8, 5000, 10_001]) {
			expect(json[index]).toMatchObject({
				identifier: `user-${index}`,
				batch: { code: 'SUCCESS_WITH_PARTIAL_ERRORS', endpoint: 'massUpdate' },
				error: { stage: 'batch', category: 'operation' },
			});
			expect((json[index].error as { message: string }).message).toMatch(new RegExp(`^Item ${index}: Batch dropped this operation .*refused for the test`));
		}
		expect(json[3]).toMatchObject({ error: { stage: 'validation' } });
		expect(json[3]).not.toHaveProperty('batch');
		expect(json[9]).toMatchObject({ accepted: true, identifier: 'user-9', batch: { endpoint: 'massUpdate' } });
		expect(sim.endpoints()['profiles/mass-update'].acceptedOperations).toBe(9_996);
		expect(sim.profile('custom_id', 'user-8')).toBeUndefined();
		expect(sim.profile('custom_id', 'user-9')).toBeDefined();
	}, 60_000);

	it('a 429 from mass update is retried and slows mass update’s budget only, not /profiles/update’s', async () => {
		const scope = (api: 'profile' | 'profileMassUpdate') => ({ baseUrl: sim.url, api, key: KEYS.projectKey });
		// Make sure the /update budget exists and is full, then see that a mass-update 429 leaves it alone.
		await runBatchNode(sim, track({ endpoint: 'update' }), purchaselyItems(1));
		await new Promise((resolve) => setTimeout(resolve, 3500));
		const updateBefore = existingSharedBucket(scope('profile'))?.available() ?? 0;
		sim.clearRequests();
		sim.injectFaults([{ path: 'mass-update', status: 429, retryAfter: 1, times: 2 }]);
		const json = outputJson(await runBatchNode(sim, track({ endpoint: 'massUpdate', maxAttempts: 1 }), purchaselyItems(50)));
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(json[0]).toMatchObject({ batch: { attempts: 3, endpoint: 'massUpdate' } });
		expect(sim.requests.map((entry) => entry.status)).toEqual([429, 429, 202]);
		expect(updateBefore).toBeGreaterThan(990);
		expect(existingSharedBucket(scope('profile'))?.available()).toBeGreaterThan(990);
		expect(existingSharedBucket(scope('profileMassUpdate'))).toBeDefined();
	}, 30_000);

	it('two concurrent executions of 10,000 share mass update’s budget: calls a second apart, 20,000 accepted', async () => {
		await new Promise((resolve) => setTimeout(resolve, 1100)); // the budget refills from the tests above
		const runs = await timed('2 × 10,000 concurrent, mass update', () =>
			Promise.all([0, 1].map((run) => runBatchNode(sim, track({ endpoint: 'auto' }), purchaselyItems(10_000, (index) => ({ meta: { userId: `r${run}-${index}` } })), { continueOnFail: true }))),
		);
		const accepted = runs.flatMap((run) => outputJson(run)).filter((item) => item.accepted === true).length;
		expect(accepted).toBe(20_000);
		// One budget: the second execution's call waits for the first's second; two budgets would send both at once
		// (then one 429). Arrival times, not a 429 count: a loaded machine's jitter can still cost a retry.
		const [first, second] = sim.requests.map((entry) => Date.parse(entry.at));
		console.log(`  arrivals ${second - first} ms apart; ${sim.endpoints()['profiles/mass-update'].rateLimited} × 429`);
		expect(second - first).toBeGreaterThanOrEqual(800);
		expect(sim.endpoints()['profiles/mass-update'].acceptedOperations).toBe(20_000);
	}, 60_000);

	it('at least once: a 503 is retried and the items say possibleDuplicate; at most once: not retried', async () => {
		sim.injectFaults([{ path: 'mass-update', status: 503 }]);
		const once = outputJson(await runBatchNode(sim, track({ endpoint: 'massUpdate' }), purchaselyItems(4), { continueOnFail: true }));
		expect(once[0]).toMatchObject({ accepted: true, batch: { attempts: 2, possibleDuplicate: true, endpoint: 'massUpdate' } });
		sim.reset();
		sim.injectFaults([{ path: 'mass-update', status: 503 }]);
		const atMost = outputJson(await runBatchNode(sim, track({ endpoint: 'massUpdate', delivery: 'atMostOnce' }), purchaselyItems(4), { continueOnFail: true }));
		expect(atMost[0]).toMatchObject({ accepted: false, batch: { attempts: 1, endpoint: 'massUpdate' }, error: { status: 503 } });
		expect((atMost[0].error as { message: string }).message).toMatch(/may or may not have reached Batch/);
		expect(sim.endpoints()['profiles/mass-update'].requests).toBe(1);
	});

	it('cancelling the execution aborts a mass-update request in flight; every item is reported', async () => {
		sim.injectFaults([{ path: 'mass-update', delayMs: 60_000 }]);
		const controller = new AbortController();
		const poll = setInterval(() => {
			if (sim.stats().requests >= 1) controller.abort();
		}, 5);
		try {
			const json = outputJson(await runBatchNode(sim, track({ endpoint: 'massUpdate' }), purchaselyItems(2000), { continueOnFail: true, abortSignal: controller.signal }));
			expect(json).toHaveLength(2000);
			expect(json[1999]).toMatchObject({ accepted: false, error: { stage: 'network', code: 'CANCELLED' } });
		} finally {
			clearInterval(poll);
		}
	});
});

describe('mass update wall time at default limits (logged, not asserted)', () => {
	it.each([10_000, 100_000])('%i items', async (count) => {
		await new Promise((resolve) => setTimeout(resolve, 1100)); // start with a full budget
		const result = await timed(`mass update, ${count} items, default limits (genuine ExecuteContext + simulator)`, () =>
			runBatchNode(sim, track({ endpoint: 'auto' }), purchaselyItems(count), { continueOnFail: true }),
		);
		const json = outputJson(result);
		expect(json.filter((item) => item.accepted === true)).toHaveLength(count);
		const stats = sim.endpoints()['profiles/mass-update'];
		expect(stats).toMatchObject({ acceptedOperations: count, maxOperations: 10_000 });
		console.log(`  ${count} items: simulator saw ${stats.requests} mass-update requests (${stats.rateLimited} × 429)`);
	}, 180_000);
});
