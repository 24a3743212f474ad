/**
 * The package in n8n's **queue mode** (a real one, n8n 2.41.1): a throw-away redis-server, one
 * shared N8N_USER_FOLDER (SQLite, the package installed from its tarball), a main `n8n start`,
 * two `n8n worker --concurrency=5` and an `n8n webhook` process (scripts/n8n/queueMode.js).
 * Requests go ONLY to the webhook process: it runs the trigger's webhook code (signature check,
 * event filter) and hands each execution to a worker through Redis; the workers run the workflow
 * (Batch node, Data table nodes). So the issue's requirements are checked where they matter:
 * - the trigger keeps no state in process memory between requests (what it checks on the webhook
 *   process, what runs on the workers);
 * - the templates' redelivery check (Data table rows in the shared database) holds across workers:
 *   a burst of distinct events, each delivered twice at the same moment → Batch holds each once.
 * Executions are read on main (public API); which process did what, from n8n's own log lines
 * ("Enqueued execution N" on the webhook process, "Worker started execution N" on a worker).
 * Skipped, with a message, when redis-server is not installed (`.ci/run` installs it).
 */
import {
	createCredentials,
	executionsAfterControl,
	installedSigning,
	installedTestEvents,
	postRaw,
	postSigned,
	randomKeys,
	startSimulator,
	type BatchSimulator,
	type CredentialRef,
	type Execution,
	type HttpResult,
	type N8n,
	type Workflow,
} from './support';
import { startQueueMode, type QueueMode } from '../../scripts/n8n/queueMode';
import { postgresUnavailableReason } from '../../scripts/n8n/postgres';
import { findRedisServer } from '../../scripts/n8n/redis';
import { assignments, CHECK_NODES, checkVerdict, forwardAttributes, nodeNamed, outputOf, readTemplate, types, values, type PurchaselyEvent } from './templateScenarios';
import { triggerToBatchTrackEvent } from './workflows';

const REDIS = findRedisServer();
if (!REDIS) {
	console.warn('[queue-mode] SKIPPED: redis-server is not installed (Debian: apt-get install -y redis-server; .ci/run installs it).');
}
const describeQueue = REDIS ? describe : describe.skip;

// Node names of the template (its public face, as templates.test.ts relies on them).
const REMEMBER = CHECK_NODES.remember;

describeQueue('n8n queue mode: main + 2 workers + webhook process, one Redis, one shared user folder', () => {
	const keys = randomKeys();
	let q: QueueMode;
	let n8n: N8n;
	let sim: BatchSimulator;
	let creds: { batchApi: CredentialRef; purchaselyWebhookApi: CredentialRef };

	const event = (o: Record<string, unknown>) => installedTestEvents(n8n).buildTestEvent(o) as PurchaselyEvent;
	const bytes = (e: PurchaselyEvent) => Buffer.from(JSON.stringify(e), 'utf8');
	const post = (url: string, e: PurchaselyEvent): Promise<HttpResult> => postSigned(n8n, url, bytes(e), keys.sharedSecret);
	const profileCalls = () => sim.requests.filter((r) => r.api === 'profile').length;

	async function importAndActivate(def: Parameters<N8n['importWorkflow']>[0]): Promise<{ wf: Workflow; url: string }> {
		const wf = await n8n.importWorkflow(def, { credentials: creds });
		await n8n.activate(wf);
		const url = q.webhookUrl(wf);
		await n8n.waitForWebhook(url); // registration as the webhook process sees it (shared database)
		return { wf, url };
	}

	/** Every execution: enqueued by the webhook process (never main), run by exactly one worker. */
	function expectRunByWorkers(execs: Execution[]): Set<string> {
		const workers = new Set<string>();
		for (const x of execs) {
			expect({ id: x.id, enqueuedBy: q.enqueuedBy(x.id) }).toEqual({ id: x.id, enqueuedBy: ['webhook'] });
			const ran = q.ranOn(x.id);
			expect({ id: x.id, workers: ran.length }).toEqual({ id: x.id, workers: 1 });
			workers.add(ran[0]);
		}
		return workers;
	}

	beforeAll(async () => {
		const tarball = process.env.E2E_TARBALL;
		if (!tarball) throw new Error('E2E_TARBALL is not set: run the e2e suite with jest -c jest.e2e.config.js');
		sim = await startSimulator(keys);
		// Postgres is the database n8n supports for queue mode: with SQLite shared by four processes, a
		// loaded machine gave SQLITE_BUSY in workers (executions failed). SQLite only where Postgres is missing.
		const database = postgresUnavailableReason() ? 'sqlite' : 'postgres';
		if (database === 'sqlite') console.warn(`[queue-mode] on SQLite: ${postgresUnavailableReason()}`);
		q = await startQueueMode({
			tarball,
			workers: 2,
			concurrency: 5,
			database,
			readinessTimeoutMs: 300_000,
			// n8n's default pool of 2 connections made the webhook process answer 503 under bursts (queue-postgres.test.ts).
			env: database === 'postgres' ? { DB_POSTGRESDB_POOL_SIZE: '10', DB_PING_TIMEOUT_MS: '30000', DB_PING_MAX_FAILURES_BEFORE_RECOVERY: '5' } : {},
		});
		n8n = q.main;
		creds = await createCredentials(n8n, keys, sim.url, 'queue-mode');
	}, 8 * 60_000);

	afterAll(async () => {
		await q?.stop();
		await sim?.close();
	}, 60_000);

	test('the processes: main, two workers and the webhook process are up on their own ports, one user folder', () => {
		const ports = [q.main.port, ...q.workers.map((w) => w.port), q.webhook.port, q.redis.port];
		expect(new Set(ports).size).toBe(ports.length);
		const pids = [q.main.pid, ...q.workers.map((w) => w.pid), q.webhook.pid, q.redis.pid];
		expect(pids.every((p) => typeof p === 'number')).toBe(true);
		expect(new Set(pids).size).toBe(pids.length);
		expect(q.main.userFolder).toBe(q.userFolder);
		expect(q.main.packageInstall?.installed.sort()).toEqual(['n8n-nodes-purchasely-batch', 'undici']);
	});

	describe('Purchasely Trigger → Batch Track Event, requests sent to the webhook process only', () => {
		let wf: Workflow;
		let url: string;

		beforeAll(async () => {
			({ wf, url } = await importAndActivate(triggerToBatchTrackEvent('queue: trigger to batch', { events: ['ACTIVATE', 'RENEWAL_DISABLED'] })));
			expect(new URL(url).port).toBe(String(q.webhook.port));
		});

		test('signed events (sent at once) reach Batch exactly as sent, each run by a worker, every execution a success', async () => {
			const sent = [
				event({ eventName: 'ACTIVATE', userId: 'q-user-1' }),
				event({ eventName: 'RENEWAL_DISABLED', userId: 'q-user-1' }),
				event({ eventName: 'ACTIVATE', userId: 'q-user-2' }),
				event({ eventName: 'RENEWAL_DISABLED', userId: 'q-user-3' }),
				event({ eventName: 'ACTIVATE', userId: 'q-user-4' }),
				event({ eventName: 'ACTIVATE', userId: 'q-user-5' }),
			];
			const results = await Promise.all(sent.map((e) => post(url, e)));
			expect(results.map((r) => r.status)).toEqual(sent.map(() => 200));

			const execs = await n8n.waitForExecutions(wf.id, sent.length);
			expect(execs).toHaveLength(sent.length);
			expect(execs.map((x) => `${x.mode}:${x.status}`)).toEqual(execs.map(() => 'webhook:success'));
			expectRunByWorkers(execs);

			expect(sim.profile('custom_id', 'q-user-1')?.events.map((e) => e.name).sort()).toEqual(['activate', 'renewal_disabled']);
			for (const [user, name] of [['q-user-2', 'activate'], ['q-user-3', 'renewal_disabled'], ['q-user-4', 'activate'], ['q-user-5', 'activate']]) {
				expect(sim.profile('custom_id', user)?.events.map((e) => e.name)).toEqual([name]);
			}
			expect(profileCalls()).toBe(sent.length);

			// What the trigger (webhook process) handed over and the worker ran: the full run data.
			const one = await n8n.getExecution(execs[0].id, { includeData: true });
			expect(Object.keys(one.data.resultData.runData).sort()).toEqual(['Batch', 'Purchasely Trigger']);
			expect(one.data.resultData.runData['Purchasely Trigger'][0].data.main[0][0].json.meta).toMatchObject({ signature: 'request', apiVersion: 3 });
		});

		test('a forged signature → 401 from the webhook process, no execution, nothing in Batch', async () => {
			const before = (await n8n.listExecutions({ workflowId: wf.id })).length;
			const calls = profileCalls();
			const body = bytes(event({ eventName: 'ACTIVATE', userId: 'q-forger' }));
			const forged = installedSigning(n8n).sign({ secret: 'not-the-shared-secret', timestamp: String(Math.floor(Date.now() / 1000)), rawBody: body });
			const res = await postRaw(url, body, forged);
			expect(res.status).toBe(401);

			const { count, control } = await executionsAfterControl(n8n, wf.id, before, () => post(url, event({ eventName: 'ACTIVATE', userId: 'q-control-401' })));
			expect(control.status).toBe(200);
			expect(count).toBe(before + 1);
			expect(profileCalls()).toBe(calls + 1); // the control event only
			expect(sim.profile('custom_id', 'q-forger')).toBeUndefined();
			expect(sim.profile('custom_id', 'q-control-401')?.events.map((e) => e.name)).toEqual(['activate']);
		});

		test('an event the trigger does not select → 200 "ignored", no execution', async () => {
			const before = (await n8n.listExecutions({ workflowId: wf.id })).length;
			const calls = profileCalls();
			const res = await post(url, event({ eventName: 'SUBSCRIPTION_RENEWED', userId: 'q-filtered' }));
			expect(res.status).toBe(200);
			expect(res.text).toMatch(/ignored/);

			const { count, control } = await executionsAfterControl(n8n, wf.id, before, () => post(url, event({ eventName: 'RENEWAL_DISABLED', userId: 'q-control-filter' })));
			expect(control.status).toBe(200);
			expect(count).toBe(before + 1);
			expect(profileCalls()).toBe(calls + 1);
			expect(sim.profile('custom_id', 'q-filtered')).toBeUndefined();
		});

		test('all executions of this workflow: success, enqueued by the webhook process, run by a worker', async () => {
			const execs = await n8n.listExecutions({ workflowId: wf.id });
			expect(execs).toHaveLength(8); // 6 events + 2 control events
			expect(execs.map((x) => x.status)).toEqual(execs.map(() => 'success'));
			expectRunByWorkers(execs);
		});
	});

	describe('acknowledge "After the Workflow Succeeds": the webhook process answers with the outcome of the worker\'s run', () => {
		let wf: Workflow;
		let url: string;

		beforeAll(async () => {
			({ wf, url } = await importAndActivate(
				triggerToBatchTrackEvent('queue: acknowledge after workflow', {
					acknowledge: 'afterWorkflow',
					batchOptions: { maxAttempts: 2, maxRetryDuration: 5, requestTimeout: 10000 },
				}),
			));
		});

		afterAll(() => sim?.clearFaults());

		test('Batch answering 503 → an error status, a failed execution (NodeApiError 503) on a worker; after recovery the redelivery gets 200 and Batch holds it once', async () => {
			const body = bytes(event({ eventName: 'ACTIVATE', userId: 'q-ack-user' })); // redelivered as is (same event_id, fresh signature)
			sim.injectFaults([{ path: '/profiles/update', status: 503, times: 1000 }]);
			const failed = await postSigned(n8n, url, body, keys.sharedSecret);
			expect(failed.status).toBeGreaterThanOrEqual(500);
			const execs = await n8n.waitForExecutions(wf.id, 1, { includeData: true });
			expect(execs).toHaveLength(1);
			expect(execs[0].status).toBe('error');
			expect(execs[0].data.resultData.error).toMatchObject({ name: 'NodeApiError' });
			expect(String(execs[0].data.resultData.error.httpCode)).toBe('503');
			expect(sim.requests.filter((r) => r.path.includes('/profiles/update') && r.status === 503)).toHaveLength(2); // maxAttempts: 2
			expect(sim.profile('custom_id', 'q-ack-user')).toBeUndefined();

			sim.clearFaults();
			const redelivered = await postSigned(n8n, url, body, keys.sharedSecret);
			expect(redelivered.status).toBe(200);
			const after = await n8n.waitForExecutions(wf.id, 2);
			expect(after.map((x) => x.status).sort()).toEqual(['error', 'success']);
			expectRunByWorkers(after);
			expect(sim.profile('custom_id', 'q-ack-user')?.events.map((e) => e.name)).toEqual(['activate']);
		});
	});

	describe('template forward-subscription-events-to-batch: the redelivery check across workers', () => {
		let wf: Workflow;
		let url: string;
		let sent: PurchaselyEvent[] = [];
		const def = readTemplate('forward');
		const names = Object.fromEntries(assignments(nodeNamed(def, 'Batch event names (edit me)')).map((r) => [r.name, String(r.value)]));

		beforeAll(async () => {
			({ wf, url } = await importAndActivate(def));
		});

		function expectOnce(e: PurchaselyEvent) {
			const attributes = forwardAttributes(e);
			expect(sim.profile('custom_id', String(e.user_id))).toEqual({
				attributes: {},
				attributeTypes: {},
				events: [{ name: names[String(e.event_name)], time: expect.any(String), attributes: values(attributes), attributeTypes: types(attributes), receivedAt: expect.any(String) }],
			});
		}

		/** Per event_id: executions that claimed the event and went on to Batch, and those the check stopped. */
		async function verdicts(execs: Execution[]) {
			const out = new Map<string, { first: number; duplicate: number }>();
			for (const x of execs) {
				const exec = await n8n.getExecution(x.id, { includeData: true });
				const [row] = outputOf(exec, REMEMBER) as Array<{ json: { event_id: string } }>;
				const v = out.get(row.json.event_id) ?? { first: 0, duplicate: 0 };
				const verdict = checkVerdict(exec);
				expect(verdict).not.toBe('not reached');
				if (verdict === 'passed') v.first++;
				else v.duplicate++;
				out.set(row.json.event_id, v);
			}
			return out;
		}

		test('15 distinct events, each delivered twice at the same moment (30 requests at once, fresh database): Batch holds each exactly once; both workers ran some', async () => {
			const kinds = Object.keys(names);
			sent = Array.from({ length: 15 }, (_, i) => event({ eventName: kinds[i % kinds.length], userId: `q-burst-${i}` }));
			expect(new Set(sent.map((e) => e.event_id)).size).toBe(15);
			const calls = profileCalls();
			const deliveries = [...sent, ...sent].map((e) => ({ ...e })); // e1 … e15 e1 … e15, all at once
			const results = await Promise.all(deliveries.map((e) => post(url, e)));
			expect(results.map((r) => r.status)).toEqual(deliveries.map(() => 200));

			const execs = await n8n.waitForExecutions(wf.id, deliveries.length, { timeoutMs: 120_000 });
			expect(execs).toHaveLength(deliveries.length);
			expect(execs.map((x) => `${x.mode}:${x.status}`)).toEqual(execs.map(() => 'webhook:success'));
			expect(profileCalls()).toBe(calls + sent.length);
			for (const e of sent) expectOnce(e);
			const v = await verdicts(execs);
			for (const e of sent) expect({ event_id: e.event_id, ...v.get(String(e.event_id)) }).toEqual({ event_id: e.event_id, first: 1, duplicate: 1 });
			// The check held across processes: the deliveries of one burst ran on both workers.
			expect([...expectRunByWorkers(execs)].sort()).toEqual(['worker-1', 'worker-2']);
		});

		test('the same 15 redelivered at once again: no Batch call, every execution stopped at the check', async () => {
			const before = (await n8n.listExecutions({ workflowId: wf.id })).length;
			const calls = profileCalls();
			const again = sent.map((e) => ({ ...e })); // the same event_ids, fresh signatures
			expect(again).toHaveLength(15);
			const results = await Promise.all(again.map((e) => post(url, e)));
			expect(results.map((r) => r.status)).toEqual(again.map(() => 200));
			const execs = await n8n.waitForExecutions(wf.id, before + again.length, { timeoutMs: 120_000 });
			expect(execs).toHaveLength(before + again.length);
			expect(execs.map((x) => x.status)).toEqual(execs.map(() => 'success'));
			expect(profileCalls()).toBe(calls);
			const v = await verdicts(execs);
			for (const [id, x] of v) expect({ id, ...x }).toEqual({ id, first: 1, duplicate: 2 });
			expectRunByWorkers(execs);
		});
	});
});

if (!REDIS) {
	test.skip('n8n queue mode (needs redis-server: apt-get install -y redis-server)', () => {});
}
