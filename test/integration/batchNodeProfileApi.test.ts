/**
 * The Batch node against the Batch simulator over real HTTP on 127.0.0.1, Profile API 2.x, run through a
 * genuine n8n-core ExecuteContext.
 */
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { startBatchSimulator, type BatchSimulator } from '../../simulator/batchSimulator';
import { expectNoSecrets, outputJson, purchaselyItems, runBatchNode, simulatorKeys, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();

const recent = () => new Date(Date.now() - 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('Track Event on the Profile API', () => {
	it('sends typed editor attributes, label, tags and time; Batch records their types', async () => {
		const time = recent();
		const result = await runBatchNode(
			sim,
			{
				operation: 'trackEvent',
				eventName: 'Subscription_Renewed',
				eventOptions: { label: 'monthly', tags: 'premium, renewal', time },
				attributes: {
					attribute: [
						{ name: 'plan', type: 'string', value: 'premium_monthly' },
						{ name: 'price', type: 'number', value: '9.99' },
						{ name: 'months', type: 'number', value: '3' },
						{ name: 'is_trial', type: 'boolean', value: 'false' },
						{ name: 'expires_at', type: 'date', value: '2030-01-01T00:00:00Z' },
						{ name: 'deeplink', type: 'url', value: 'myapp://ply/placements/RETENTION' },
						{ name: 'features', type: 'stringList', value: 'ads_free, offline' },
					],
				},
			},
			purchaselyItems(2),
		);
		expectNoSecrets(result);
		expect(outputJson(result)).toEqual([
			{ accepted: true, api: 'profile', operation: 'trackEvent', identifierType: 'customId', identifier: 'user-0', eventName: 'subscription_renewed', batch: { status: 202, code: 'SUCCESS', attempts: 1 } },
			{ accepted: true, api: 'profile', operation: 'trackEvent', identifierType: 'customId', identifier: 'user-1', eventName: 'subscription_renewed', batch: { status: 202, code: 'SUCCESS', attempts: 1 } },
		]);
		expect(result.output![0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const event = sim.profile('custom_id', 'user-1')!.events[0];
		expect(event).toMatchObject({ name: 'subscription_renewed', label: 'monthly', tags: ['premium', 'renewal'] });
		expect(Date.parse(event.time)).toBe(Date.parse(time));
		expect(event.attributes).toMatchObject({ plan: 'premium_monthly', price: 9.99, months: 3, is_trial: false, deeplink: 'myapp://ply/placements/RETENTION', features: ['ads_free', 'offline'] });
		expect(event.attributeTypes).toEqual({ plan: 'string', price: 'float', months: 'integer', is_trial: 'boolean', expires_at: 'date', deeplink: 'url', features: 'array' });
		expect(sim.requests).toHaveLength(1);
	});

	it('infers attribute types from an object in the item, reads names and ids by field path and by expression', async () => {
		const items = [
			{ user: { id: 'abc' }, ev: 'TRIAL_STARTED', attrs: { offer: 'intro', amount: 4.5, renews: true, ends_at: '2030-02-01T10:00:00+01:00', link: 'myapp://ply/placements/RETENTION', segments: ['a', 'b'] } },
		];
		const result = await runBatchNode(
			sim,
			{ identifierSource: 'value', identifierValue: '={{ $json.user.id }}', eventNameSource: 'field', eventNameField: 'ev', attributesField: 'attrs' },
			items,
		);
		expect(outputJson(result)[0]).toMatchObject({ accepted: true, identifier: 'abc', eventName: 'trial_started' });
		const event = sim.profile('custom_id', 'abc')!.events[0];
		expect(event.attributeTypes).toEqual({ offer: 'string', amount: 'float', renews: 'boolean', ends_at: 'date', link: 'url', segments: 'array' });
		expect(Date.parse(String(event.attributes.ends_at))).toBe(Date.UTC(2030, 1, 1, 9));
	});
});

describe('Update Profile Attributes', () => {
	it('updates attributes by custom id, removes null ones, and by installation id', async () => {
		await runBatchNode(sim, { operation: 'updateAttributes', attributesField: 'body' }, [{ meta: { userId: 'u1' }, body: { plan: 'premium', old_flag: true } }]);
		const result = await runBatchNode(
			sim,
			{ operation: 'updateAttributes', api: 'triggerEvents', attributesField: 'body', attributes: { attribute: [{ name: 'renewed_at', type: 'date', value: '2030-01-01T00:00:00Z' }] } },
			[{ meta: { userId: 'u1' }, body: { old_flag: null, interests: ['bikes'] } }],
		);
		// api is a Track Event choice: updates always go to the Profile API
		expect(outputJson(result)[0]).toMatchObject({ accepted: true, api: 'profile', operation: 'updateAttributes' });
		expect(sim.profile('custom_id', 'u1')).toMatchObject({
			attributes: { plan: 'premium', interests: ['bikes'] },
			attributeTypes: { plan: 'string', interests: 'array', renewed_at: 'date' },
		});
		expect(sim.profile('custom_id', 'u1')!.attributes).not.toHaveProperty('old_flag');

		const byInstallation = await runBatchNode(sim, { operation: 'updateAttributes', identifierType: 'installationId', identifierField: 'install', attributesField: 'body' }, [
			{ install: 'inst-42', body: { plan: 'free' } },
		]);
		expect(outputJson(byInstallation)[0]).toMatchObject({ accepted: true, identifierType: 'installationId', identifier: 'inst-42' });
		expect(sim.profile('installation', 'inst-42')!.attributes).toEqual({ plan: 'free' });
	});
});

describe('batching', () => {
	it.each([
		[1, 1],
		[200, 1],
		[201, 2],
		[1000, 5],
	])('%i items go out in %i request(s) of at most 200 operations', async (count, requests) => {
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(count));
		const json = outputJson(result);
		expect(json).toHaveLength(count);
		expect(json.every((item) => item.accepted === true)).toBe(true);
		expect(sim.requests.map((request) => request.operations)).toEqual(
			Array.from({ length: requests }, (_, index) => Math.min(200, count - index * 200)).sort((a, b) => b - a),
		);
		expect(sim.stats().acceptedOperations).toBe(count);
	});

	it('honours a smaller batch size', async () => {
		await runBatchNode(sim, { eventName: 'renewal', options: { batchSize: 50 } }, purchaselyItems(201));
		expect(sim.requests).toHaveLength(5);
	});

	it('paces requests with the client-side token bucket so that Batch never answers 429', async () => {
		// Batch's bucket: 400/s, burst 100. The node's: 300/s, burst 100 (a margin, so that network jitter between the
		// two clocks cannot make the server's bucket look emptier than the client's).
		const tight = await startBatchSimulator({ ...simulatorKeys, rateLimit: { perSecond: 400, burst: 100 } });
		try {
			const paced = await runBatchNode(tight, { eventName: 'renewal', options: { batchSize: 100, rateLimitPerSecond: 300, rateLimitBurst: 100, maxAttempts: 1 } }, purchaselyItems(300));
			expect(outputJson(paced).every((item) => item.accepted)).toBe(true);
			expect(tight.stats().rateLimited).toBe(0);
			tight.reset();
			// The same traffic without the client-side limit is refused by Batch's bucket: the test above can fail.
			const unpaced = await runBatchNode(tight, { eventName: 'renewal', options: { batchSize: 100, rateLimitPerSecond: 0, maxAttempts: 1, maxRetryDuration: 0, maxConcurrentRequests: 3 } }, purchaselyItems(300), {
				continueOnFail: true,
			});
			expect(tight.stats().rateLimited).toBeGreaterThan(0);
			expect(outputJson(unpaced).some((item) => item.accepted === false && (item.error as { code: string }).code === 'TOO_MANY_REQUESTS')).toBe(true);
		} finally {
			await tight.close();
		}
	});
});

describe('validation before sending', () => {
	const items = () => purchaselyItems(5, (index) => (index === 3 ? { label: 'x'.repeat(241) } : { label: 'ok' }));
	const parameters = { eventName: 'renewal', eventOptions: { label: '={{ $json.label }}' } };

	it('reports the failing item (continue on fail) and still sends the others', async () => {
		const result = await runBatchNode(sim, parameters, items(), { continueOnFail: true });
		const json = outputJson(result);
		expect(json.map((item) => item.accepted)).toEqual([true, true, true, false, true]);
		expect(json[3]).toMatchObject({
			accepted: false,
			identifier: 'user-3',
			error: { message: 'Item 3: eventOptions.label is 241 characters; Batch allows at most 200', stage: 'validation', field: 'eventOptions.label', rule: 'maxLength' },
		});
		expect(json[3]).not.toHaveProperty('batch');
		expect(sim.requests).toHaveLength(1);
		expect(sim.requests[0].operations).toBe(4);
		expectNoSecrets(result);
	});

	it('without continue on fail, sends the valid items first, then throws naming the item', async () => {
		const result = await runBatchNode(sim, parameters, items());
		expect(result.error).toBeInstanceOf(NodeOperationError);
		const error = result.error as NodeOperationError;
		expect(error.message).toBe('Item 3: eventOptions.label is 241 characters; Batch allows at most 200');
		expect(error.description).toMatch(/^1 of 5 items failed \(items 3\); 4 items were accepted by Batch/);
		expect(error.context.itemIndex).toBe(3);
		expect(sim.stats().acceptedOperations).toBe(4);
		expectNoSecrets(result);
	});

	it('checks names, the 24-hour window, tags and custom id length', async () => {
		const result = await runBatchNode(
			sim,
			{ eventName: '={{ $json.name }}', eventOptions: { time: '={{ $json.time }}', tags: '={{ $json.tags }}' } },
			[
				{ meta: { userId: 'a' }, name: 'bad name', time: '', tags: '' },
				{ meta: { userId: 'b' }, name: 'ok', time: new Date(Date.now() - 25 * 3600_000).toISOString(), tags: '' },
				{ meta: { userId: 'c' }, name: 'ok', time: '', tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
				{ meta: { userId: 'd'.repeat(1025) }, name: 'ok', time: '', tags: '' },
				{ meta: {}, name: 'ok', time: '', tags: '' },
			],
			{ continueOnFail: true },
		);
		const errors = outputJson(result).map((item) => item.error as { field: string; rule: string; message: string });
		expect(errors.map((error) => [error.field, error.rule])).toEqual([
			['eventName', 'namePattern'],
			['eventOptions.time', 'timeWindow'],
			['eventOptions.tags', 'maxItems'],
			['meta.userId', 'maxLength'],
			['meta.userId', 'required'],
		]);
		expect(errors[3].message).toBe('Item 3: meta.userId is 1025 characters; Batch allows at most 1024 for a Custom User ID');
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Batch answers', () => {
	it('maps partial errors (bulk_index) back to their input items', async () => {
		sim.injectFaults([{ rejectOperations: [1, 3], reason: 'simulated rejection' }]);
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(5), { continueOnFail: true });
		const json = outputJson(result);
		expect(json.map((item) => item.accepted)).toEqual([true, false, true, false, true]);
		expect(json[1]).toMatchObject({
			identifier: 'user-1',
			batch: { status: 202, code: 'SUCCESS_WITH_PARTIAL_ERRORS' },
			error: { stage: 'batch', category: 'operation', message: expect.stringMatching(/^Item 1: Batch dropped this operation \(SUCCESS_WITH_PARTIAL_ERRORS, operation\): simulated rejection/) },
		});
		expect(result.output![0][3].pairedItem).toEqual({ item: 3 });
	});

	it('retries a 429 with Retry-After and one without', async () => {
		sim.injectFaults([{ status: 429, retryAfter: 1, times: 1 }, { status: 429, times: 1 }]);
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(3));
		expect(outputJson(result).map((item) => item.batch)).toEqual(Array(3).fill({ status: 202, code: 'SUCCESS', attempts: 3 }));
		expect(sim.requests.map((request) => request.status)).toEqual([429, 429, 202]);
	});

	it('retries 5xx then succeeds', async () => {
		sim.injectFaults([{ status: 503, times: 1 }, { status: 500, times: 1 }]);
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(2));
		expect(outputJson(result)[0]).toMatchObject({ accepted: true, batch: { attempts: 3 } });
		expect(sim.stats().acceptedOperations).toBe(2);
	});

	it('gives up after max attempts, with continue on fail and without', async () => {
		sim.injectFaults([{ status: 500, times: 100 }]);
		const soft = await runBatchNode(sim, { eventName: 'renewal', options: { maxAttempts: 2 } }, purchaselyItems(2), { continueOnFail: true });
		expect(outputJson(soft)[1]).toMatchObject({
			accepted: false,
			batch: { status: 500, code: 'SERVER_ERROR', attempts: 2 },
			error: { stage: 'batch', status: 500, code: 'SERVER_ERROR', message: expect.stringMatching(/^Item 1: Batch answered HTTP 500 SERVER_ERROR after 2 attempts/) },
		});
		const hard = await runBatchNode(sim, { eventName: 'renewal', options: { maxAttempts: 2 } }, purchaselyItems(2));
		expect(hard.error).toBeInstanceOf(NodeApiError);
		expect((hard.error as NodeApiError).message).toMatch(/^Item 0: Batch answered HTTP 500 SERVER_ERROR after 2 attempts/);
		expect((hard.error as NodeApiError).httpCode).toBe('500');
		expectNoSecrets(hard);
	});

	it('retries dropped connections, and reports them when they never stop', async () => {
		sim.injectFaults([{ drop: true, times: 1 }]);
		const recovered = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(2));
		expect(outputJson(recovered)[0]).toMatchObject({ accepted: true, batch: { attempts: 2 } });
		sim.reset();
		sim.injectFaults([{ drop: true, times: 100 }]);
		const lost = await runBatchNode(sim, { eventName: 'renewal', options: { maxAttempts: 3 } }, purchaselyItems(1), { continueOnFail: true });
		expect(outputJson(lost)[0]).toMatchObject({ accepted: false, error: { stage: 'network', message: expect.stringMatching(/^Item 0: no answer from Batch after 3 attempts \(UND_ERR_SOCKET/) } });
		expectNoSecrets(lost);
	});

	it('refuses to run the Profile API without a project key, before sending anything', async () => {
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(2), { credentials: { projectKey: '' } });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect((result.error as Error).message).toBe('The Batch API credential has no project key; the Profile API needs it (X-Batch-Project)');
		expect(sim.requests).toHaveLength(0);
	});

	it('does not retry a wrong REST key, and never shows the key', async () => {
		const result = await runBatchNode(sim, { eventName: 'renewal' }, purchaselyItems(3), { credentials: { restApiKey: 'WRONG_REST_KEY_123' } });
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as Error).message).toMatch(/^Item 0: Batch answered HTTP 401 AUTHENTICATION_INVALID/);
		expect(sim.requests).toHaveLength(1);
		expect(serialiseNoKey(result)).not.toContain('WRONG_REST_KEY_123');
		expectNoSecrets(result);
	});
});

function serialiseNoKey(result: Awaited<ReturnType<typeof runBatchNode>>): string {
	return JSON.stringify({ output: result.output, message: (result.error as Error)?.message, description: (result.error as { description?: string })?.description });
}
