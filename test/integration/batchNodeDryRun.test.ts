/**
 * Batch node version 2, option Dry Run, through a genuine n8n-core ExecuteContext with the Batch simulator
 * started here: nothing reaches the simulator (zero requests) and no rate budget is created or spent; each item
 * shows its request (keys masked) and the error a real run would give it, as On Error says; and the dry-run
 * bodies, put back together per request, equal the bodies the simulator records when the same items are sent
 * for real (both APIs, both operations, mass update).
 */
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { sharedBucketCount } from '../../nodes/Batch/rateLimiter';
import { expectNoSecrets, KEYS, outputJson, purchaselyItems, runBatchNode, serialiseRun, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator({ recordBodies: true });
const V2 = { version: 2 };

const track = (extra: INodeParameters = {}, options: IDataObject = {}): INodeParameters => ({
	resource: 'event',
	operation: 'track',
	customUserId: '={{ $json.meta.userId }}',
	eventName: '={{ $json.meta.eventName }}',
	attributes: { attribute: [{ name: 'plan', type: 'string', value: '={{ $json.body.plan }}' }] },
	...extra,
	options: options as INodeParameters,
});
const updateAttributes = (options: IDataObject = {}): INodeParameters => ({
	resource: 'profile',
	operation: 'updateAttributes',
	customUserId: '={{ $json.meta.userId }}',
	attributesObject: '={{ $json.body }}',
	options: options as INodeParameters,
});

interface DryRunJson {
	valid: boolean;
	method: string;
	url: string;
	headers: Record<string, string>;
	body: unknown;
	endpoint?: string;
	platform?: string;
	requestIndex: number;
	requestCount: number;
	itemsInRequest: number;
	positionInRequest: number;
	byPlatform?: Record<string, DryRunJson>;
	eventTimeCheckedAt?: string;
}

/** Every request of a dry run, rebuilt from its items: url and body (entries in request order). */
function requestsOf(output: IDataObject[]): Array<{ url: string; body: unknown[] }> {
	const requests: Array<{ url: string; body: unknown[] }> = [];
	for (const json of output) {
		const dryRun = json.dryRun as DryRunJson;
		if (!dryRun.valid) continue;
		for (const request of dryRun.byPlatform ? Object.values(dryRun.byPlatform) : [dryRun]) {
			requests[request.requestIndex] ??= { url: request.url, body: [] };
			requests[request.requestIndex].body[request.positionInRequest] = request.body;
		}
	}
	return requests;
}

/** Every piece of 8 characters or more of every key. */
function expectNoKeyPieces(text: string): void {
	for (const key of Object.values(KEYS)) {
		for (let start = 0; start + 8 <= key.length; start++) expect(text).not.toContain(key.slice(start, start + 8));
	}
}

/** A dry run, then the same items for real: the simulator saw nothing from the first, and exactly its bodies from the second. */
async function dryThenReal(parameters: (options: IDataObject) => INodeParameters, items: IDataObject[], options: IDataObject = {}) {
	const dry = await runBatchNode(sim, parameters({ ...options, dryRun: true }), items, { ...V2, continueOnFail: true });
	expectNoSecrets(dry);
	expectNoKeyPieces(serialiseRun(dry));
	expect(sim.requests).toHaveLength(0);
	const dryOutput = outputJson(dry);
	const shown = requestsOf(dryOutput);
	const real = await runBatchNode(sim, parameters(options), items, { ...V2, continueOnFail: true });
	const recorded = sim.requests;
	expect(recorded.map((request) => request.body)).toEqual(shown.map((request) => request.body));
	expect(recorded.map((request) => `${sim.url}${request.path}`)).toEqual(shown.map((request) => request.url.replace('•••• (iOS API key)', '{ios}').replace('•••• (Android API key)', '{android}')));
	return { dryOutput, realOutput: outputJson(real), shown };
}

describe('Batch v2 Dry Run: nothing sent, every request shown', () => {
	it('Profile API, Track: zero requests and no rate budget; each item its request with masked keys and its operation', async () => {
		const result = await runBatchNode(sim, track({}, { dryRun: true, batchSize: 2 }), purchaselyItems(3), V2);
		expect(sim.requests).toHaveLength(0);
		expect(sim.stats().requests).toBe(0);
		expect(sharedBucketCount()).toBe(0);
		expectNoSecrets(result);
		expectNoKeyPieces(serialiseRun(result));
		const output = outputJson(result);
		expect(output[0]).toEqual({
			accepted: false,
			api: 'profile',
			operation: 'trackEvent',
			identifierType: 'customId',
			identifier: 'user-0',
			eventName: 'subscription_renewed',
			dryRun: {
				valid: true,
				method: 'POST',
				url: `${sim.url}/2.11/profiles/update`,
				headers: { 'content-type': 'application/json', authorization: 'Bearer •••• (REST API key)', 'x-batch-project': '•••• (project key)' },
				body: { identifiers: { custom_id: 'user-0' }, events: [{ name: 'subscription_renewed', attributes: { plan: 'premium_monthly' } }] },
				endpoint: 'update',
				requestIndex: 0,
				requestCount: 2,
				itemsInRequest: 2,
				positionInRequest: 0,
			},
		});
		expect(output[2].dryRun).toMatchObject({ requestIndex: 1, itemsInRequest: 1, positionInRequest: 0 });
		for (const json of output) expect(json).not.toHaveProperty('sent');
		for (const json of output) expect(json).not.toHaveProperty('batch');
		expect(result.node.typeVersion).toBe(2);
	});

	it('an invalid item with On Error "Continue": its error as a real run gives it, the others their requests', async () => {
		const items = purchaselyItems(3, (index) => (index === 1 ? { meta: { userId: 'user-1', eventName: 'not valid!' } } : {}));
		const dry = outputJson(await runBatchNode(sim, track({}, { dryRun: true }), items, { ...V2, continueOnFail: true }));
		expect(sim.requests).toHaveLength(0);
		const real = outputJson(await runBatchNode(sim, track(), items, { ...V2, continueOnFail: true }));
		expect(dry[1]).toEqual({ ...real[1], dryRun: { valid: false } });
		expect(dry[1].error).toMatchObject({ stage: 'validation', field: 'Event Name' });
		expect((dry[1].error as { message: string }).message).toMatch(/^\[item 1\] /);
		expect(dry.map((json) => (json.dryRun as DryRunJson).valid)).toEqual([true, false, true]);
		expect(dry[2].dryRun).toMatchObject({ itemsInRequest: 2, positionInRequest: 1 });
	});

	it('an invalid item with On Error "Stop": the same error is thrown, saying nothing was sent; zero requests', async () => {
		const items = purchaselyItems(2, (index) => (index === 1 ? { meta: { userId: '', eventName: 'renewal' } } : {}));
		const result = await runBatchNode(sim, track({}, { dryRun: true }), items, V2);
		expect(sim.requests).toHaveLength(0);
		expect(result.output).toBeUndefined();
		const error = result.error as Error & { description?: string };
		expect(error.message).toMatch(/^\[item 1\] Custom User ID is empty/);
		expect(error.description).toMatch(/^Dry Run: nothing was sent to Batch\. 1 of 2 items would fail \(items 1\); 1 item is valid\./);
		expectNoSecrets(result);
	});

	it('an event time older than 24 hours is refused at dry-run time, as a real run refuses it when sending; dryRun says when it was checked', async () => {
		const items = purchaselyItems(2, (index) => ({ body: { plan: 'p', at: new Date(Date.now() - (index === 0 ? 60_000 : 25 * 3600_000)).toISOString() } }));
		const parameters = track({ eventOptions: { time: '={{ $json.body.at }}' } }, { dryRun: true });
		const before = Date.now();
		const output = outputJson(await runBatchNode(sim, parameters, items, { ...V2, continueOnFail: true }));
		expect(sim.requests).toHaveLength(0);
		const checkedAt = Date.parse((output[0].dryRun as DryRunJson).eventTimeCheckedAt!);
		expect(checkedAt).toBeGreaterThanOrEqual(before - 1);
		expect(output[0].dryRun).toMatchObject({ valid: true, itemsInRequest: 1 });
		expect(output[1]).toMatchObject({ error: { stage: 'validation', rule: 'timeWindow', field: 'Event Options › Time' }, dryRun: { valid: false } });
	});
});

describe('Batch v2 Dry Run: the bodies shown are the bodies a real run sends (the simulator records them)', () => {
	it('Profile API, Track, two requests', async () => {
		const { dryOutput, realOutput } = await dryThenReal((options) => track({}, options), purchaselyItems(5), { batchSize: 3 });
		expect(dryOutput.map((json) => (json.dryRun as DryRunJson).body)).toEqual(realOutput.map((json) => json.sent));
	});

	it('Profile API, Update Attributes (with an installation ID)', async () => {
		const items = [0, 1].map((index) => ({ meta: { userId: `u-${index}` }, body: { plan: 'premium', price: 4.5 + index, renews: true } }));
		await dryThenReal(updateAttributes, items);
		const installation = (options: IDataObject) => ({ ...updateAttributes(options), identifierType: 'installationId', installationId: '={{ $json.meta.userId }}' });
		sim.reset();
		await dryThenReal(installation, items);
	});

	it('mass update: Automatic picks mass-update above 1,000 items in both runs; Mass Update by choice too', async () => {
		const items = purchaselyItems(1001);
		const { shown } = await dryThenReal((options) => track({}, options), items);
		expect(shown.map((request) => request.url)).toEqual([`${sim.url}/2.11/profiles/mass-update`]);
		expect(sim.requests.map((request) => request.endpoint)).toEqual(['profiles/mass-update']);
		sim.reset();
		const chosen = await dryThenReal((options) => track({}, options), purchaselyItems(2), { endpoint: 'massUpdate' });
		expect(chosen.shown.map((request) => request.url)).toEqual([`${sim.url}/2.11/profiles/mass-update`]);
		sim.reset();
		const small = await dryThenReal((options) => track({}, options), purchaselyItems(2));
		expect(small.shown.map((request) => request.url)).toEqual([`${sim.url}/2.11/profiles/update`]);
	}, 30_000);

	it('Trigger Events API: one request per app, the app key masked in the URL, an item sent to both apps', async () => {
		const items = purchaselyItems(3, (index) => ({ meta: { userId: `te-${index}`, eventName: 'renewal', store: index === 1 ? 'GOOGLE_PLAY_STORE' : 'APPLE_APP_STORE' } }));
		const { dryOutput, realOutput, shown } = await dryThenReal((options) => track({ api: 'triggerEvents' }, options), items);
		expect(shown.map((request) => request.url)).toEqual([`${sim.url}/1.0/•••• (iOS API key)/events/users`, `${sim.url}/1.0/•••• (Android API key)/events/users`]);
		expect(dryOutput[1].dryRun).toMatchObject({ platform: 'android', headers: { 'x-authorization': '•••• (REST API key)' } });
		expect(dryOutput.map((json) => (json.dryRun as DryRunJson).body)).toEqual(realOutput.map((json) => json.sent));
		sim.reset();
		const both = await dryThenReal((options) => track({ api: 'triggerEvents', platform: 'both' }, options), items.slice(0, 1));
		expect(Object.keys((both.dryOutput[0].dryRun as DryRunJson).byPlatform!)).toEqual(['ios', 'android']);
	});

	it('version 1 ignores options.dryRun: it sends, exactly as before', async () => {
		const result = await runBatchNode(sim, { eventName: 'renewal', options: { dryRun: true } }, purchaselyItems(1));
		expect(outputJson(result)[0]).toMatchObject({ accepted: true, batch: { status: 202 } });
		expect(outputJson(result)[0]).not.toHaveProperty('dryRun');
		expect(sim.requests).toHaveLength(1);
	});
});
