/**
 * Saved workflows keep working: the four templates as released with the Batch node version 1
 * (test/fixtures/templates-v1/, never edited) import and run unchanged in the real n8n 2.41.1 with
 * today's package. Signed events in, exactly the expected events / attributes at the simulator,
 * per user; a redelivered event_id still reaches Batch once.
 */
import {
	installedTestEvents,
	postSigned,
	randomKeys,
	sharedN8n,
	startSimulator,
	type BatchSimulator,
	type CredentialRef,
	type N8n,
	type Workflow,
} from './support';
import {
	billingAttributes,
	editRows,
	forwardAttributes,
	nodesOfType,
	readTemplate,
	syncAttributes,
	TEMPLATE_FILES,
	types,
	V1_TEMPLATES_DIR,
	values,
	winBackAttributes,
	type PurchaselyEvent,
	type TemplateKey,
	type Typed,
} from './templateScenarios';
import { BATCH_TYPE, TRIGGER_TYPE } from './workflows';

const KEYS = Object.keys(TEMPLATE_FILES) as TemplateKey[];

describe('version-1 templates (test/fixtures/templates-v1) run unchanged in n8n 2.41.1', () => {
	const keys = randomKeys();
	let n8n: N8n;
	let sim: BatchSimulator;
	let creds: { batchApi: CredentialRef; purchaselyWebhookApi: CredentialRef };
	const wf = {} as Record<TemplateKey, Workflow>;
	const started = new Map<string, number>();
	const SETTINGS = { app_scheme: 'acmefit', placement_id: 'RETENTION_50' };

	const event = (o: Record<string, unknown>) => installedTestEvents(n8n).buildTestEvent(o) as PurchaselyEvent;

	async function deliver(key: TemplateKey, events: PurchaselyEvent[]) {
		for (const e of events) {
			const res = await postSigned(n8n, n8n.webhookUrl(wf[key], 'Purchasely Trigger'), Buffer.from(JSON.stringify(e), 'utf8'), keys.sharedSecret);
			expect(res.status).toBe(200);
		}
		started.set(wf[key].id, (started.get(wf[key].id) ?? 0) + events.length);
		const execs = await n8n.waitForExecutions(wf[key].id, started.get(wf[key].id)!);
		expect(execs.map((x) => x.status)).toEqual(execs.map(() => 'success'));
	}
	const batchRequests = () => sim.requests.filter((r) => r.api === 'profile').length;
	function expectEvents(userId: string, expected: Array<{ name: string; attributes: Typed }>) {
		expect(sim.profile('custom_id', userId)).toEqual({
			attributes: {},
			attributeTypes: {},
			events: expected.map((x) => ({ name: x.name, time: expect.any(String), attributes: values(x.attributes), attributeTypes: types(x.attributes), receivedAt: expect.any(String) })),
		});
	}

	beforeAll(async () => {
		n8n = sharedN8n();
		sim = await startSimulator(keys);
		const batchApi = await n8n.createCredential({
			name: 'Batch API account (v1 templates)',
			type: 'batchApi',
			data: { restApiKey: keys.restApiKey, projectKey: keys.projectKey, iosApiKey: keys.iosApiKey, androidApiKey: keys.androidApiKey, baseUrl: sim.url },
		});
		const purchaselyWebhookApi = await n8n.createCredential({ name: 'Purchasely (v1 templates)', type: 'purchaselyWebhookApi', data: { sharedSecret: keys.sharedSecret } });
		creds = { batchApi, purchaselyWebhookApi };
		for (const key of KEYS) {
			let def = readTemplate(key, V1_TEMPLATES_DIR);
			if (key === 'winBack') def = editRows(def, 'Settings (edit me)', SETTINGS);
			if (key === 'billing') def = editRows(def, 'Settings (edit me)', { app_scheme: SETTINGS.app_scheme });
			// Fresh webhook ids: the current templates (other test files) use the released ones.
			wf[key] = await n8n.importWorkflow({ ...def, name: `${def.name} (v1)` }, { credentials: creds, freshWebhookIds: true });
			await n8n.activate(wf[key]);
			await n8n.waitForWebhook(n8n.webhookUrl(wf[key], 'Purchasely Trigger'));
		}
	});
	afterAll(async () => {
		for (const key of KEYS) if (wf[key]) await n8n.deactivate(wf[key]).catch(() => undefined);
		await sim?.close();
	});

	test('the fixtures are the released version-1 workflows: Batch node version 1 with field paths', () => {
		for (const key of KEYS) {
			const [batch] = nodesOfType(readTemplate(key, V1_TEMPLATES_DIR), BATCH_TYPE);
			expect(batch.typeVersion).toBe(1);
			expect(batch.parameters).toMatchObject({ identifierSource: 'field', identifierField: 'meta.userId', attributesField: 'attributes' });
			expect(nodesOfType(readTemplate(key, V1_TEMPLATES_DIR), TRIGGER_TYPE)).toHaveLength(1);
		}
	});

	test('forward: each event under its mapped Batch name with its typed attributes; a redelivery reaches Batch once', async () => {
		const sent = [
			event({ eventName: 'SUBSCRIPTION_STARTED', userId: 'v1t1-started', store: 'GOOGLE_PLAY_STORE', environment: 'PRODUCTION' }),
			event({ eventName: 'SUBSCRIPTION_UPGRADED', userId: 'v1t1-upgraded', store: 'STRIPE' }),
			event({ eventName: 'SUBSCRIPTION_CANCELLED_DURING_GRACE_PERIOD', userId: 'v1t1-cancelled' }),
		];
		const calls = batchRequests();
		await deliver('forward', sent);
		await deliver('forward', [{ ...sent[0] }]); // redelivery
		expect(batchRequests()).toBe(calls + 3);
		expectEvents('v1t1-started', [{ name: 'subscription_started', attributes: forwardAttributes(sent[0]) }]);
		expectEvents('v1t1-upgraded', [{ name: 'subscription_upgraded', attributes: forwardAttributes(sent[1]) }]);
		expectEvents('v1t1-cancelled', [{ name: 'cancelled_during_grace_period', attributes: forwardAttributes(sent[2]) }]);
	});

	test('win-back: renewal_disabled with the placement deeplink (URL attribute)', async () => {
		const e = event({ eventName: 'RENEWAL_DISABLED', userId: 'v1t2-user', environment: 'PRODUCTION' });
		await deliver('winBack', [e]);
		expectEvents('v1t2-user', [{ name: 'renewal_disabled', attributes: winBackAttributes(e, 'acmefit://ply/placements/RETENTION_50') }]);
	});

	test('billing problem: billing_issue with the update_billing deeplink; anonymous users filtered out', async () => {
		const grace = event({ eventName: 'GRACE_PERIOD_STARTED', userId: 'v1t3-grace' });
		const anonymous = event({ eventName: 'ENTERED_BILLING_RETRY', anonymousUserId: 'v1t3-anonymous' });
		const calls = batchRequests();
		await deliver('billing', [grace, anonymous]);
		expect(batchRequests()).toBe(calls + 1);
		expectEvents('v1t3-grace', [{ name: 'billing_issue', attributes: billingAttributes(grace, 'acmefit://ply/update_billing') }]);
		expect(sim.profile('custom_id', 'v1t3-anonymous')).toBeUndefined();
	});

	test('sync: the profile attributes, typed', async () => {
		const e = event({ eventName: 'SUBSCRIPTION_RENEWED', userId: 'v1t4-user', store: 'APPLE_APP_STORE' });
		await deliver('sync', [e]);
		const expected = syncAttributes(e);
		expect(sim.profile('custom_id', 'v1t4-user')).toEqual({ attributes: values(expected), attributeTypes: types(expected), events: [] });
	});
});
