/**
 * Batch node version 2 end to end in a real n8n 2.41.1 with the package installed from its tarball: n8n loads
 * both versions of the one node type; a workflow with a version-2 node (dragged-field expressions, a ternary,
 * an Attributes Object expression) and a version-1 node on the same trigger runs on a signed Purchasely
 * event; the simulator received both; n8n's execution shows `sent` and the execution's custom data.
 * Dry Run: the same items through both APIs with the option on reach nothing (zero simulator requests), each item
 * shows its request with masked keys (one invalid item its error), and a real run of the same items sends exactly
 * the bodies the dry run showed.
 */
import { httpJson, installedTestEvents, postSigned, useSimulatorAndCredentials, type Workflow } from './support';
import { BATCH_TYPE, triggerToBatchDryRun, triggerToBatchV2AndV1 } from './workflows';

const e2e = useSimulatorAndCredentials('batch-v2', { recordBodies: true });

test('n8n offers the Batch node in versions 1 and 2, new nodes getting version 2, with the version-2 actions', async () => {
	// What the editor loads for its node panel: /types/nodes.json, behind the owner's session.
	const login = await e2e.n8n.rest('POST', '/login', { emailOrLdapLoginId: e2e.n8n.owner.email, email: e2e.n8n.owner.email, password: e2e.n8n.owner.password });
	expect(login.status).toBe(200);
	const cookie = login.headers.getSetCookie().map((entry) => entry.split(';')[0]).filter((entry) => entry.startsWith('n8n-auth='))[0];
	const res = await httpJson('GET', `${e2e.n8n.baseUrl}/types/nodes.json`, { headers: { cookie, 'browser-id': 'e2e-batch-v2' } });
	expect(res.status).toBe(200);
	const all = (Array.isArray(res.json) ? res.json : (res.json as { data: unknown[] }).data) as Array<{ name: string; version: number | number[]; defaultVersion?: number; properties: Array<{ name: string; options?: Array<{ action?: string; value?: string }> }> }>;
	const batch = all.filter((type) => type.name === BATCH_TYPE);
	const versions = batch.flatMap((type) => (Array.isArray(type.version) ? type.version : [type.version])).sort();
	expect(versions).toEqual([1, 2]);
	const v2 = batch.find((type) => (Array.isArray(type.version) ? type.version.includes(2) : type.version === 2))!;
	expect(v2.defaultVersion).toBe(2);
	// n8n adds its own options to operation lists (e.g. a custom API call for credentialed nodes): the node's are those with an action.
	const options = v2.properties.filter((property) => property.name === 'operation').flatMap((property) => property.options ?? []);
	const actions = options.map((option) => option.action).filter((action) => action !== undefined);
	expect(actions).toEqual(['Track an event in Batch', 'Update profile attributes in Batch']);
});

describe('Purchasely Trigger → Batch v2 (expressions) and Batch v1 (field paths) in one workflow', () => {
	let wf: Workflow;
	let url: string;

	beforeAll(async () => {
		wf = await e2e.n8n.importWorkflow(triggerToBatchV2AndV1('e2e: batch v2 and v1'), { credentials: e2e.creds });
		await e2e.n8n.activate(wf);
		url = e2e.n8n.webhookUrl(wf);
		await e2e.n8n.waitForWebhook(url);
	});

	test('a signed event reaches Batch through both nodes; the execution shows sent and is annotated', async () => {
		const events = installedTestEvents(e2e.n8n);
		const body = events.serializeTestEvent(events.buildTestEvent({ eventName: 'RENEWAL_DISABLED', userId: 'v2-user-1', store: 'GOOGLE_PLAY_STORE' }));
		const res = await postSigned(e2e.n8n, url, body, e2e.keys.sharedSecret);
		expect(res.status).toBe(200);

		// Version 2: the ternary chose the sandbox name (test events are SANDBOX), every expression resolved per item.
		const profile = e2e.sim.profile('custom_id', 'v2-user-1');
		expect(profile?.events).toHaveLength(1);
		expect(profile!.events[0]).toMatchObject({
			name: 'sandbox_renewal_disabled',
			label: 'premium_monthly',
			attributes: { store: 'GOOGLE_PLAY_STORE', country: 'FR', price: expect.any(Number) },
		});
		// Version 1, unchanged: field path for the user, an expression in an attribute row.
		expect(profile!.attributes).toMatchObject({ last_event: 'RENEWAL_DISABLED' });

		const [execution] = await e2e.n8n.waitForExecutions(wf.id, 1, { includeData: true });
		expect(execution.status).toBe('success');
		const runData = execution.data.resultData.runData;
		const v2Out = runData['Batch v2'][0].data.main[0][0].json;
		expect(v2Out).toMatchObject({
			accepted: true,
			identifier: 'v2-user-1',
			eventName: 'sandbox_renewal_disabled',
			sent: { identifiers: { custom_id: 'v2-user-1' }, events: [{ name: 'sandbox_renewal_disabled', attributes: { $label: 'premium_monthly', store: 'GOOGLE_PLAY_STORE', country: 'FR' } }] },
		});
		const v1Out = runData['Batch v1'][0].data.main[0][0].json;
		expect(v1Out).toEqual({ accepted: true, api: 'profile', operation: 'updateAttributes', identifierType: 'customId', identifier: 'v2-user-1', batch: { status: 202, code: 'SUCCESS', attempts: 1 } });
		expect(execution.data.resultData.metadata).toMatchObject({ batch_event: 'sandbox_renewal_disabled', batch_user: 'v2-user-1', batch_result: '1 accepted' });
		expect(JSON.stringify(execution.data)).not.toContain(e2e.keys.restApiKey);
	});
});

describe('Batch v2 Dry Run in a real n8n: both APIs, one invalid item, nothing sent; then the same items for real', () => {
	const run = `dry-${Date.now().toString(36)}`;
	const users = [
		{ userId: `${run}-a`, eventName: 'renewal', store: 'APPLE_APP_STORE' },
		{ userId: `${run}-b`, eventName: 'not valid!', store: 'GOOGLE_PLAY_STORE' },
		{ userId: `${run}-c`, eventName: 'renewal', store: 'GOOGLE_PLAY_STORE' },
	];
	type DryRun = { valid: boolean; url: string; headers: Record<string, string>; body: unknown; requestIndex: number; positionInRequest: number; platform?: string };
	type Out = { json: { accepted: boolean; identifier: string; error?: { message: string; stage: string }; dryRun?: DryRun; sent?: unknown } };
	const nodes = ['Batch Profile API', 'Batch Trigger Events API'] as const;

	async function runOnce(dryRun: boolean): Promise<Record<(typeof nodes)[number], Out[]>> {
		const wf = await e2e.n8n.importWorkflow(triggerToBatchDryRun(`e2e: batch v2 dry run ${dryRun ? 'on' : 'off'}`, users, dryRun), { credentials: e2e.creds });
		await e2e.n8n.activate(wf);
		try {
			const url = e2e.n8n.webhookUrl(wf);
			await e2e.n8n.waitForWebhook(url);
			const events = installedTestEvents(e2e.n8n);
			const body = events.serializeTestEvent(events.buildTestEvent({ eventName: 'RENEWAL_DISABLED', userId: `${run}-trigger`, store: 'APPLE_APP_STORE' }));
			expect((await postSigned(e2e.n8n, url, body, e2e.keys.sharedSecret)).status).toBe(200);
			const [execution] = await e2e.n8n.waitForExecutions(wf.id, 1, { includeData: true });
			expect(execution.status).toBe('success');
			const runData = execution.data.resultData.runData;
			expect(JSON.stringify(execution.data)).not.toContain(e2e.keys.restApiKey);
			return Object.fromEntries(nodes.map((name) => [name, runData[name][0].data.main[0] as Out[]])) as Record<(typeof nodes)[number], Out[]>;
		} finally {
			await e2e.n8n.deactivate(wf);
		}
	}

	test('Dry Run on: zero requests at the simulator; valid items show their request, the invalid one its error', async () => {
		e2e.sim.reset();
		const dry = await runOnce(true);
		expect(e2e.sim.requests).toHaveLength(0);
		expect(e2e.sim.stats().requests).toBe(0);
		for (const name of nodes) {
			const out = dry[name];
			expect(out.map((item) => item.json.identifier)).toEqual(users.map((user) => user.userId));
			expect(out.map((item) => item.json.dryRun?.valid)).toEqual([true, false, true]);
			expect(out[1].json.error).toMatchObject({ stage: 'validation', message: expect.stringMatching(/^\[item 1\] Event Name/) });
			for (const item of out) expect(item.json).not.toHaveProperty('sent');
			const text = JSON.stringify(out);
			for (const key of [e2e.keys.restApiKey, e2e.keys.projectKey, e2e.keys.iosApiKey, e2e.keys.androidApiKey]) {
				for (let start = 0; start + 8 <= key.length; start++) expect(text).not.toContain(key.slice(start, start + 8));
			}
		}
		expect(dry['Batch Profile API'][0].json.dryRun).toMatchObject({
			method: 'POST',
			url: `${e2e.sim.url}/2.11/profiles/update`,
			headers: { authorization: 'Bearer •••• (REST API key)', 'x-batch-project': '•••• (project key)' },
			body: { identifiers: { custom_id: users[0].userId }, events: [{ name: 'renewal', attributes: { source: 'dry_run_e2e' } }] },
			endpoint: 'update',
			itemsInRequest: 2,
		});
		expect(dry['Batch Trigger Events API'].map((item) => item.json.dryRun?.url)).toEqual([
			`${e2e.sim.url}/1.0/•••• (iOS API key)/events/users`,
			undefined,
			`${e2e.sim.url}/1.0/•••• (Android API key)/events/users`,
		]);

		// The same items for real: the simulator records exactly the bodies the dry run showed, request by request.
		e2e.sim.reset();
		const real = await runOnce(false);
		expect(real['Batch Profile API'].map((item) => item.json.accepted)).toEqual([true, false, true]);
		for (const [name, api] of [
			['Batch Profile API', 'profile'],
			['Batch Trigger Events API', 'triggerEvents'],
		] as const) {
			const shown: unknown[][] = [];
			for (const item of dry[name]) {
				const dryRun = item.json.dryRun!;
				if (!dryRun.valid) continue;
				(shown[dryRun.requestIndex] ??= [])[dryRun.positionInRequest] = dryRun.body;
			}
			expect(e2e.sim.requests.filter((request) => request.api === api).map((request) => request.body)).toEqual(shown);
			expect(real[name].map((item) => item.json.sent ?? null)).toEqual(dry[name].map((item) => (item.json.dryRun?.valid ? item.json.dryRun.body : null)));
		}
	});
});
