/**
 * The workflow templates (templates/*.json) end to end, in the real n8n 2.41.1 the e2e run shares,
 * with the package installed from its tarball and the Batch simulator as Batch:
 * - the files themselves: importable shape, credentials by name only, no secret, stable distinct
 *   webhook ids, parameters n8n knows (checked with n8n's own code, as the editor does), a
 *   left-to-right layout where no sticky note covers a node, Batch's naming rules;
 * - all four imported and active at once (their own webhook ids, one shared trigger secret), each
 *   fed signed events of every kind it handles: the simulator must hold exactly the expected
 *   events / attributes (values and types) for each user, a redelivered event_id reaches Batch
 *   once (also when deliveries run at the same moment: bursts of distinct events, of the same
 *   event_id), unhandled events make no Batch call, and n8n's execution records agree;
 * - operator edits the sticky notes describe (settings, an event without a Batch name, acknowledge
 *   after the workflow), and `n8n import:workflow` as is.
 * User ids are prefixed per template (t1- … t4-) so each assertion on a user is exact.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import {
	executionsAfterControl,
	installedPackageDir,
	installedTestEvents,
	postSigned,
	randomKeys,
	sharedN8n,
	startSimulator,
	type BatchSimulator,
	type CredentialRef,
	type Execution,
	type HttpResult,
	type N8n,
	type Workflow,
	type WorkflowInput,
	type WorkflowNode,
} from './support';
import {
	assignments,
	BACKFILL,
	billingAttributes,
	CHECK_NODES,
	checkVerdict,
	createCredentialAsEditor,
	connectionList,
	DELIVERIES_TABLE,
	editNode,
	editorParameterCheck,
	editRows,
	executeAsEditor,
	forwardAttributes,
	importTemplateAsEditor,
	nodeBox,
	nodeNamed,
	nodesOfType,
	outputOf,
	overlaps,
	pinnedSample,
	readTemplate,
	stickyBox,
	syncAttributes,
	TEMPLATE_FILES,
	TEMPLATES_DIR,
	types,
	values,
	winBackAttributes,
	type PurchaselyEvent,
	type TemplateKey,
	type Typed,
} from './templateScenarios';
import { BATCH_TYPE, TRIGGER_TYPE } from './workflows';

const KEYS = Object.keys(TEMPLATE_FILES) as TemplateKey[];
const FILES = KEYS.map((k) => TEMPLATE_FILES[k]);
const STICKY = 'n8n-nodes-base.stickyNote';
const SET = 'n8n-nodes-base.set';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BATCH_NAME = /^[a-z0-9_]{1,30}$/;
// The names n8n's editor gives a new credential of each type (editorCredentialName): the templates
// reference them by these names, so import links them when they exist.
const CREDENTIAL_NAMES = { batchApi: 'Batch account', purchaselyWebhookApi: 'Purchasely Webhook account' };

// Node names the tests rely on (the templates' public face).
const TRIGGER = 'Purchasely Trigger';
// Redelivery check: the deliveries data table (shared by every n8n process, so it holds in queue mode).
const SEEN_TABLE = CHECK_NODES.table;
const REMEMBER = CHECK_NODES.remember;
const HOLD_BACK = CHECK_NODES.holdBack;
const ALL_DELIVERIES = CHECK_NODES.all;
const DEDUP = CHECK_NODES.first;
const CLAIM = CHECK_NODES.claim;
const TABLE_NAME = DELIVERIES_TABLE;
const DATA_TABLE = 'n8n-nodes-base.dataTable';
const RESTORE = CHECK_NODES.restore;
const ACCEPTED = CHECK_NODES.accepted;
const FAILED_FORGET = CHECK_NODES.forget;
const FAIL = CHECK_NODES.fail;
const BATCH_NODE: Record<TemplateKey, string> = {
	forward: 'Track event in Batch',
	winBack: 'Track renewal_disabled in Batch',
	billing: 'Track billing_issue in Batch',
	sync: 'Update profile in Batch',
};
const FILTER_NODE: Record<TemplateKey, string> = {
	forward: 'Keep mapped events of logged-in users',
	winBack: 'Logged-in users only',
	billing: 'Logged-in users only',
	sync: 'Subscription events of logged-in users',
};

// ---------------------------------------------------------------------------------------------
describe('the template files', () => {
	const templates = Object.fromEntries(KEYS.map((k) => [k, readTemplate(k)])) as Record<TemplateKey, WorkflowInput>;

	test('templates/ holds exactly the four templates and the backfill template (templates-backfill.test.ts)', () => {
		expect(fs.readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.json')).sort()).toEqual([...FILES, BACKFILL.file].sort());
	});

	test.each(KEYS)('%s: importable shape, unique clear names, only n8n core nodes and this package, every node wired', (key) => {
		const wf = templates[key];
		expect(typeof wf.name).toBe('string');
		expect(wf.name).toMatch(/^Purchasely → Batch: /);
		expect(wf.settings).toMatchObject({ executionOrder: 'v1' });
		expect(wf.active).toBe(false);
		// One pinned sample event, on the trigger only (checked in detail below).
		expect(Object.keys(wf.pinData as object)).toEqual([TRIGGER]);
		const names = wf.nodes.map((n) => n.name);
		expect(new Set(names).size).toBe(names.length);
		for (const n of wf.nodes) {
			expect(n.type.startsWith('n8n-nodes-base.') || n.type === TRIGGER_TYPE || n.type === BATCH_TYPE).toBe(true);
			expect(n.id).toMatch(UUID_V4);
			expect(n.name).not.toMatch(/^(Edit Fields|Set|Filter|If|Remove Duplicates|Data table|Batch|Stop and Error)\d*$/); // no default names
		}
		const working = wf.nodes.filter((n) => n.type !== STICKY);
		expect(nodesOfType(wf, TRIGGER_TYPE)).toHaveLength(1);
		expect(nodesOfType(wf, BATCH_TYPE)).toHaveLength(1);
		// Every node is reachable from the trigger; every connection joins existing nodes.
		const edges = connectionList(wf);
		for (const [s, , t] of edges) {
			expect(names).toContain(s);
			expect(names).toContain(t);
		}
		const reached = new Set([TRIGGER]);
		for (let changed = true; changed; ) {
			changed = false;
			for (const [s, , t] of edges) if (reached.has(s) && !reached.has(t)) (reached.add(t), (changed = true));
		}
		expect([...reached].sort()).toEqual(working.map((n) => n.name).sort());
		// Sticky notes explain the setup and the redelivery / failure handling.
		expect(nodesOfType(wf, STICKY).length).toBeGreaterThanOrEqual(4);
		// The same redelivery / failure wiring in every template: the event → deliveries table →
		// remember → hold back later deliveries → all deliveries → first? → claim → restore (the event
		// as it entered the table node) → Batch; Batch → check → forget this event_id → fail.
		const into = (name: string) => edges.filter(([, , t]) => t === name).map(([s, i]) => `${s}#${i}`);
		const from = (name: string) => edges.filter(([s]) => s === name).map(([, i, t]) => `${i}:${t}`).sort();
		const beforeDedup = into(SEEN_TABLE);
		expect(beforeDedup).toHaveLength(1);
		const eventNode = beforeDedup[0].split('#')[0];
		expect(beforeDedup[0]).toBe(`${eventNode}#0`);
		expect(from(eventNode)).toEqual([`0:${SEEN_TABLE}`]);
		expect(from(SEEN_TABLE)).toEqual([`0:${REMEMBER}`]);
		expect(from(REMEMBER)).toEqual([`0:${HOLD_BACK}`]);
		expect(from(HOLD_BACK)).toEqual([`0:${ALL_DELIVERIES}`]);
		expect(from(ALL_DELIVERIES)).toEqual([`0:${DEDUP}`]);
		expect(into(DEDUP)).toEqual([`${ALL_DELIVERIES}#0`]);
		expect(from(DEDUP)).toEqual([`0:${CLAIM}`]); // a redelivery leaves by the false output, to nothing
		expect(from(CLAIM)).toEqual([`0:${RESTORE}`]); // held back meanwhile: the claim updates no row and outputs nothing
		expect(into(RESTORE)).toEqual([`${CLAIM}#0`]);
		// One event per execution: the nodes after the check read the event and this delivery's row with
		// .first() (the Get returns several rows and the If runs once, so item pairing cannot lead back).
		expect(nodeNamed(wf, RESTORE).parameters.jsonOutput).toBe(`={{ $('${eventNode}').first().json }}`);
		expect(into(BATCH_NODE[key]).sort()).toEqual([`${RESTORE}#0`]);
		expect(nodeNamed(wf, BATCH_NODE[key]).onError).toBe('continueRegularOutput');
		expect(into(ACCEPTED)).toEqual([`${BATCH_NODE[key]}#0`]);
		expect(into(FAILED_FORGET)).toEqual([`${ACCEPTED}#1`]);
		expect(into(FAIL)).toEqual([`${FAILED_FORGET}#0`]);
		// What each of them does.
		const table = { __rl: true, mode: 'name', value: TABLE_NAME };
		const ev = `$('${eventNode}').item.json`;
		expect(nodesOfType(wf, DATA_TABLE).map((n) => n.name).sort()).toEqual([ALL_DELIVERIES, CLAIM, FAILED_FORGET, HOLD_BACK, REMEMBER, SEEN_TABLE].sort());
		expect(nodesOfType(wf, 'n8n-nodes-base.removeDuplicates')).toEqual([]);
		expect(nodeNamed(wf, SEEN_TABLE)).toMatchObject({
			onError: 'continueRegularOutput', // two first deliveries at once: one creates it, the other's name clash is harmless
			parameters: {
				resource: 'table',
				operation: 'create',
				tableName: TABLE_NAME,
				columns: { column: [{ name: 'event_id', type: 'string' }, { name: 'workflow_id', type: 'string' }, { name: 'event_name', type: 'string' }, { name: 'state', type: 'string' }] },
				options: { createIfNotExists: true },
			},
		});
		expect(nodeNamed(wf, REMEMBER).parameters).toMatchObject({
			resource: 'row',
			operation: 'insert',
			dataTableId: table,
			columns: {
				mappingMode: 'defineBelow',
				value: { event_id: `={{ ($execution.mode === 'test' ? 'manual-run-' + $execution.id + ':' : '') + (${ev}.meta.eventId || 'no-event-id-' + $execution.id) }}`, workflow_id: '={{ $workflow.id }}', event_name: `={{ ${ev}.meta.eventName }}` },
			},
		});
		expect(nodeNamed(wf, REMEMBER).onError).toBeUndefined(); // no table, no insert: the execution fails rather than let the event through unchecked
		// Rows of this event_id (and workflow), as this delivery's inserted row names them.
		const me = `$('${REMEMBER}').first().json`;
		const thisEvent = [
			{ keyName: 'event_id', condition: 'eq', keyValue: `={{ ${me}.event_id }}` },
			{ keyName: 'workflow_id', condition: 'eq', keyValue: `={{ ${me}.workflow_id }}` },
		];
		// Column mappings as n8n's editor writes them once it has loaded the table's columns (all of them, in
		// order, the ones a node does not set marked removed), so that opening a node changes nothing.
		const schema = (used: string[]) =>
			['event_id', 'workflow_id', 'event_name', 'state'].map((id) => ({ id, displayName: id, required: false, defaultMatch: false, display: true, type: 'string', readOnly: false, removed: !used.includes(id) }));
		const setState = (state: string) => ({ mappingMode: 'defineBelow', value: { state }, matchingColumns: [], schema: schema(['state']), attemptToConvertTypes: false, convertFieldsToString: false });
		expect((nodeNamed(wf, REMEMBER).parameters.columns as { schema: unknown }).schema).toEqual(schema(['event_id', 'workflow_id', 'event_name'])); // state stays empty
		expect(nodeNamed(wf, HOLD_BACK)).toMatchObject({
			alwaysOutputData: true, // usually there is no later delivery to hold back, and the check goes on
			parameters: {
				resource: 'row',
				operation: 'update',
				dataTableId: table,
				matchType: 'allConditions',
				filters: { conditions: [...thisEvent, { keyName: 'id', condition: 'gt', keyValue: `={{ ${me}.id }}` }, { keyName: 'state', condition: 'isEmpty' }] },
				columns: setState('held back'),
			},
		});
		expect(nodeNamed(wf, ALL_DELIVERIES)).toMatchObject({
			executeOnce: true,
			parameters: { resource: 'row', operation: 'get', dataTableId: table, matchType: 'allConditions', filters: { conditions: thisEvent }, returnAll: true },
		});
		expect(nodeNamed(wf, DEDUP).executeOnce).toBe(true);
		const first = (nodeNamed(wf, DEDUP).parameters.conditions as { conditions: unknown[]; combinator: string });
		expect(first.combinator).toBe('and');
		const rows = `$('${ALL_DELIVERIES}').all()`;
		expect(first.conditions).toEqual([
			{ id: expect.any(String), leftValue: `={{ ${rows}.filter(row => row.json.id < ${me}.id).length }}`, rightValue: 0, operator: { type: 'number', operation: 'equals' } },
			{ id: expect.any(String), leftValue: `={{ ${rows}.filter(row => row.json.state === 'passed').length }}`, rightValue: 0, operator: { type: 'number', operation: 'equals' } },
		]);
		expect(nodeNamed(wf, CLAIM)).toMatchObject({
			parameters: {
				resource: 'row',
				operation: 'update',
				dataTableId: table,
				matchType: 'allConditions',
				filters: { conditions: [{ keyName: 'id', condition: 'eq', keyValue: `={{ ${me}.id }}` }, { keyName: 'state', condition: 'isEmpty' }] },
				columns: setState('passed'),
			},
		});
		expect(nodeNamed(wf, CLAIM).alwaysOutputData).toBeUndefined(); // no row claimed → no item → the execution ends here
		expect(nodeNamed(wf, FAILED_FORGET)).toMatchObject({
			alwaysOutputData: true, // the execution still fails when there was nothing to delete
			parameters: {
				resource: 'row',
				operation: 'deleteRows',
				dataTableId: table,
				matchType: 'allConditions',
				filters: {
					conditions: [
						{ keyName: 'event_id', condition: 'eq', keyValue: `={{ ${me}.event_id }}` },
						{ keyName: 'workflow_id', condition: 'eq', keyValue: '={{ $workflow.id }}' },
					],
				},
			},
		});
	});

	test('the redelivery / failure nodes are the same in all four templates (but for the name of the node before them)', () => {
		const dedupNodes = (key: TemplateKey) => {
			const wf = templates[key];
			const eventNode = connectionList(wf).find(([, , t]) => t === SEEN_TABLE)![0];
			return [SEEN_TABLE, REMEMBER, HOLD_BACK, ALL_DELIVERIES, DEDUP, CLAIM, RESTORE, FAILED_FORGET, FAIL].map((name) => {
				const { id: _id, position: _position, ...rest } = nodeNamed(wf, name);
				const text = JSON.stringify(rest).split(`$('${eventNode}')`).join("$('<event>')");
				return JSON.parse(text.replace(/"id":"[0-9a-f-]{36}"/g, '"id":"<uuid>"')) as unknown;
			});
		};
		for (const key of KEYS) expect(dedupNodes(key)).toEqual(dedupNodes('forward'));
	});

	test.each(KEYS)('%s: credentials referenced by name only (n8n links them on import), no secret anywhere', (key) => {
		const wf = templates[key];
		for (const n of wf.nodes) {
			if (n.type === TRIGGER_TYPE) expect(n.credentials).toEqual({ purchaselyWebhookApi: { id: null, name: CREDENTIAL_NAMES.purchaselyWebhookApi } });
			else if (n.type === BATCH_TYPE) expect(n.credentials).toEqual({ batchApi: { id: null, name: CREDENTIAL_NAMES.batchApi } });
			else expect(n.credentials).toBeUndefined();
		}
		const text = fs.readFileSync(path.join(TEMPLATES_DIR, TEMPLATE_FILES[key]), 'utf8');
		for (const field of ['sharedSecret', 'restApiKey', 'projectKey', 'iosApiKey', 'androidApiKey', 'apiKey', 'password', 'token']) {
			expect(text).not.toMatch(new RegExp(`"${field}"\\s*:`, 'i'));
		}
		expect(text).not.toMatch(/\bBearer\s+\w|project_[0-9a-f]{8,}|https?:\/\/(?!docs\.n8n\.io)[^\s"]*\/webhook/i);
	});

	test('webhook ids: one uuid v4 per template, all distinct, so the four can be active at once', () => {
		const ids = KEYS.map((k) => nodesOfType(templates[k], TRIGGER_TYPE)[0].webhookId);
		for (const id of ids) expect(id).toMatch(UUID_V4);
		expect(new Set(ids).size).toBe(KEYS.length);
	});

	test.each(KEYS)('%s: canvas: the business steps on one row, the redelivery check grouped below in a note, short notes, nothing covered', (key) => {
		const wf = templates[key];
		const byName = new Map(wf.nodes.map((n) => [n.name, n]));
		const working = wf.nodes.filter((n) => n.type !== STICKY);
		const stickies = wf.nodes.filter((n) => n.type === STICKY);
		for (const n of wf.nodes) for (const c of n.position) expect(Math.abs(c % 20)).toBe(0);
		for (const [s, , t] of connectionList(wf)) expect(byName.get(t)!.position[0]).toBeGreaterThan(byName.get(s)!.position[0]);
		const trigger = nodesOfType(wf, TRIGGER_TYPE)[0];
		for (const n of working) if (n !== trigger) expect(n.position[0]).toBeGreaterThan(trigger.position[0]);
		// Business row: trigger → … → the event node → Batch → Batch accepted?, all at the trigger's height.
		const edges = connectionList(wf);
		const eventNode = edges.find(([, , t]) => t === SEEN_TABLE)![0];
		const business: string[] = [TRIGGER];
		while (business[business.length - 1] !== eventNode) business.push(edges.find(([s, i]) => s === business[business.length - 1] && i === 0)![2]);
		business.push(BATCH_NODE[key], ACCEPTED);
		for (const name of business) expect({ name, y: nodeNamed(wf, name).position[1] }).toEqual({ name, y: trigger.position[1] });
		// The redelivery check on one row below it, inside one note; the failure path below too, in another.
		const check = [SEEN_TABLE, REMEMBER, HOLD_BACK, ALL_DELIVERIES, DEDUP, CLAIM, RESTORE];
		const checkY = nodeNamed(wf, SEEN_TABLE).position[1];
		expect(checkY).toBeGreaterThan(trigger.position[1] + 200);
		for (const name of [...check, FAILED_FORGET, FAIL]) expect({ name, y: nodeNamed(wf, name).position[1] }).toEqual({ name, y: checkY });
		const inside = (s: WorkflowNode, n: WorkflowNode) => {
			const a = stickyBox(s);
			const b = nodeBox(n);
			return a.x1 <= b.x1 && b.x2 <= a.x2 && a.y1 <= b.y1 && b.y2 <= a.y2;
		};
		const groupOf = (names: string[]) => stickies.filter((s) => names.every((name) => inside(s, nodeNamed(wf, name))));
		expect(groupOf(check).map((s) => s.name)).toEqual(['Note: redelivery check']);
		expect(groupOf([FAILED_FORGET, FAIL]).map((s) => s.name)).toEqual(['Note: when Batch fails']);
		// No note covers a node it does not hold whole; notes do not overlap; nodes do not overlap.
		const problems: string[] = [];
		working.forEach((a, i) => working.slice(i + 1).forEach((b) => overlaps(nodeBox(a), nodeBox(b)) && problems.push(`${a.name} / ${b.name}`)));
		for (const s of stickies) for (const n of working) if (overlaps(stickyBox(s), nodeBox(n)) && !inside(s, n)) problems.push(`${s.name} covers part of ${n.name}`);
		stickies.forEach((a, i) => stickies.slice(i + 1).forEach((b) => overlaps(stickyBox(a), stickyBox(b)) && problems.push(`${a.name} / ${b.name}`)));
		expect(problems).toEqual([]);
		// Short notes (details are in templates/README.md), which a reader can take in at zoom-to-fit.
		for (const s of stickies) expect({ name: s.name, short: String(s.parameters.content).length <= 420 }).toEqual({ name: s.name, short: true });
		expect(stickies.map((s) => s.name).sort()).toEqual(['Note: redelivery check', 'Note: try it', 'Note: what it does', 'Note: when Batch fails']);
		expect(String(nodeNamed(wf, 'Note: what it does').parameters.content)).toContain('templates/README.md');
	});

	test.each(KEYS)('%s: the pinned sample is exactly what the Purchasely Trigger outputs for its signed payload, an event it selects, of a logged-in user', (key) => {
		const wf = templates[key];
		const sample = pinnedSample(wf);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const payload = require(path.join(installedPackageDir(sharedN8n()), 'dist/nodes/PurchaselyTrigger/payload.js')) as {
			parsePayload(raw: Buffer): { ok: true; body: unknown; apiVersion: 3; eventName: string };
			deriveMeta(p: unknown, c: { signature: 'request'; receivedAt: Date }): Record<string, unknown>;
		};
		const parsed = payload.parsePayload(Buffer.from(JSON.stringify(sample.body), 'utf8'));
		expect(parsed.ok).toBe(true);
		expect(sample).toEqual({ body: parsed.body, meta: payload.deriveMeta(parsed, { signature: 'request', receivedAt: new Date() }) });
		expect(sample.meta).toMatchObject({ apiVersion: 3, userIdSource: 'user_id', userId: 'sample-user', sandbox: true });
		const selected = nodeNamed(wf, TRIGGER).parameters.events as string[];
		if (selected.length > 0) expect(selected).toContain(sample.meta.eventName); // [] = every event
		expect(sample.meta.eventId).toMatch(UUID_V4);
		// Not the same sample in two templates: one event_id per template.
		expect(new Set(KEYS.map((k) => pinnedSample(templates[k]).meta.eventId)).size).toBe(KEYS.length);
	});

	test('forward: every event the trigger selects has a Batch name within Batch rules; long Purchasely names are shortened', () => {
		const wf = templates.forward;
		const selected = (nodeNamed(wf, TRIGGER).parameters.events as string[]).slice().sort();
		const rows = assignments(nodeNamed(wf, 'Batch event names (edit me)'));
		expect(rows.map((r) => r.name).sort()).toEqual(selected);
		for (const r of rows) {
			expect(r.type).toBe('string');
			expect(String(r.value)).toMatch(BATCH_NAME);
		}
		expect(new Set(rows.map((r) => r.value)).size).toBe(rows.length);
		const long = rows.filter((r) => r.name.length > 30).map((r) => r.name);
		expect(long).toEqual(
			expect.arrayContaining(['SUBSCRIPTION_CANCELLED_DURING_GRACE_PERIOD', 'SUBSCRIPTION_RECOVERED_FROM_GRACE_PERIOD', 'SUBSCRIPTION_RECOVERED_FROM_BILLING_RETRY']),
		);
	});

	test.each(KEYS)('%s: attribute and event names follow Batch rules; at most 20 event attributes', (key) => {
		const wf = templates[key];
		const batch = nodesOfType(wf, BATCH_TYPE)[0];
		const editorRows = ((batch.parameters.attributes as { attribute?: Array<{ name: string }> })?.attribute ?? []).map((r) => r.name);
		const setRows = nodesOfType(wf, SET).flatMap((n) => assignments(n).map((r) => r.name)).filter((n) => n.startsWith('attributes.'));
		const names = [...new Set([...setRows.map((n) => n.slice('attributes.'.length)), ...editorRows])];
		expect(names.length).toBeGreaterThan(4);
		for (const n of names) expect(n).toMatch(BATCH_NAME);
		if (batch.parameters.operation === 'track') {
			expect(names.length).toBeLessThanOrEqual(20);
			if (!String(batch.parameters.eventName).startsWith('=')) expect(String(batch.parameters.eventName)).toMatch(BATCH_NAME);
		}
		expect(batch.parameters.attributesObject).toBe('={{ $json.attributes }}');
	});

	test('every parameter is one n8n 2.41.1 knows, with no issue the editor would flag (checked by n8n\'s own code)', async () => {
		const n8n = sharedN8n();
		const result = await editorParameterCheck(
			n8n,
			FILES.map((f) => path.join(TEMPLATES_DIR, f)),
			installedPackageDir(n8n),
		);
		for (const file of FILES) {
			expect(result[file].length).toBe(readTemplate(KEYS[FILES.indexOf(file)]).nodes.length);
			for (const r of result[file]) expect({ file, node: r.node, unknown: r.unknown, issues: r.issues }).toEqual({ file, node: r.node, unknown: [], issues: null });
		}
	});
});

// ---------------------------------------------------------------------------------------------
describe('the four templates active at once in n8n 2.41.1', () => {
	const keys = randomKeys();
	let n8n: N8n;
	let sim: BatchSimulator;
	let creds: { batchApi: CredentialRef; purchaselyWebhookApi: CredentialRef };
	const wf = {} as Record<TemplateKey, Workflow>;
	const url = {} as Record<TemplateKey, string>;
	/** Deliveries that passed the trigger (each starts one execution), per workflow id. */
	const started = new Map<string, number>();
	const WIN_BACK = { app_scheme: 'acmefit', placement_id: 'RETENTION_50' };
	const BILLING = { app_scheme: 'acmefit' };

	const event = (o: Record<string, unknown>) => installedTestEvents(n8n).buildTestEvent(o) as PurchaselyEvent;
	const bytes = (e: PurchaselyEvent) => Buffer.from(JSON.stringify(e), 'utf8');
	const post = (to: string, e: PurchaselyEvent): Promise<HttpResult> => postSigned(n8n, to, bytes(e), keys.sharedSecret);

	async function importAndActivate(def: WorkflowInput, freshWebhookIds: boolean): Promise<{ wf: Workflow; url: string }> {
		const created = await n8n.importWorkflow(def, { credentials: creds, freshWebhookIds });
		await n8n.activate(created);
		const to = triggerUrl(created);
		await n8n.waitForWebhook(to);
		started.set(created.id, 0);
		return { wf: created, url: to };
	}

	/**
	 * The trigger's production URL, from the webhook path declared by the package n8n runs (its
	 * installed tarball). n8n.webhookUrl() reads the repository's dist/, which a concurrent
	 * `npm run build` deletes for a moment.
	 */
	function triggerUrl(w: Workflow): string {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { purchaselyWebhooks } = require(path.join(installedPackageDir(n8n), 'dist/nodes/PurchaselyTrigger/description.js')) as {
			purchaselyWebhooks: Array<{ path: string }>;
		};
		const trigger = w.nodes.find((n) => n.type === TRIGGER_TYPE)!;
		return `${n8n.baseUrl}/webhook/${trigger.webhookId}/${purchaselyWebhooks[0].path}`;
	}

	/** Sends events that pass the trigger and waits until n8n has finished all of that workflow's executions. */
	async function deliver(target: { wf: Workflow; url: string }, events: PurchaselyEvent[], { parallel = false } = {}): Promise<HttpResult[]> {
		const results: HttpResult[] = [];
		if (parallel) results.push(...(await Promise.all(events.map((e) => post(target.url, e)))));
		else for (const e of events) results.push(await post(target.url, e));
		for (const r of results) expect(r.status).toBe(200);
		started.set(target.wf.id, started.get(target.wf.id)! + events.length);
		await n8n.waitForExecutions(target.wf.id, started.get(target.wf.id)!);
		return results;
	}
	const to = (key: TemplateKey) => ({ wf: wf[key], url: url[key] });

	async function newest(workflowId: string): Promise<Execution> {
		const [last] = await n8n.listExecutions({ workflowId });
		return n8n.getExecution(last.id, { includeData: true });
	}
	const ran = (exec: Execution): string[] => Object.keys(exec.data.resultData.runData).sort();

	const batchRequests = () => sim.requests.filter((r) => r.api === 'profile').length;

	function expectEvents(userId: string, expected: Array<{ name: string; attributes: Typed }>) {
		expect(sim.profile('custom_id', userId)).toEqual({
			attributes: {},
			attributeTypes: {},
			events: expected.map((x) => ({
				name: x.name,
				time: expect.any(String),
				attributes: values(x.attributes),
				attributeTypes: types(x.attributes),
				receivedAt: expect.any(String),
			})),
		});
	}
	function expectProfile(userId: string, attributes: Typed) {
		expect(sim.profile('custom_id', userId)).toEqual({ attributes: values(attributes), attributeTypes: types(attributes), events: [] });
	}

	/** An event the trigger does not select: 200 "ignored", no execution (proved by a control event), no Batch call. */
	async function expectIgnored(key: TemplateKey, e: PurchaselyEvent, control: PurchaselyEvent) {
		const before = started.get(wf[key].id)!;
		const calls = batchRequests();
		const res = await post(url[key], e);
		expect(res.status).toBe(200);
		expect(res.text).toMatch(/ignored/);
		const { count, control: c } = await executionsAfterControl(n8n, wf[key].id, before, () => post(url[key], control));
		expect(c.status).toBe(200);
		started.set(wf[key].id, before + 1);
		expect(count).toBe(before + 1);
		expect(batchRequests()).toBe(calls + 1); // the control event's call only
		expect(sim.profile('custom_id', String(e.user_id))).toBeUndefined();
	}

	/** An event that starts an execution but is dropped by the template's filter: success, no Batch call. */
	async function expectFiltered(key: TemplateKey, target: { wf: Workflow; url: string }, e: PurchaselyEvent) {
		const calls = batchRequests();
		await deliver(target, [e]);
		const exec = await newest(target.wf.id);
		expect(exec.status).toBe('success');
		expect(outputOf(exec, FILTER_NODE[key])).toHaveLength(0);
		expect(ran(exec)).not.toContain(BATCH_NODE[key]);
		expect(batchRequests()).toBe(calls);
	}

	/** The same event (same event_id) delivered twice: Batch gets one call; the second execution stops at the dedup node. */
	async function expectRedeliveryDropped(key: TemplateKey, e: PurchaselyEvent) {
		const calls = batchRequests();
		await deliver(to(key), [e]);
		expect(batchRequests()).toBe(calls + 1);
		await deliver(to(key), [{ ...e }]);
		expect(batchRequests()).toBe(calls + 1);
		const exec = await newest(wf[key].id);
		expect(exec.status).toBe('success');
		expect(outputOf(exec, DEDUP)).toHaveLength(0);
		expect(outputOf(exec, DEDUP, 1)).toHaveLength(1); // the false output: not the first delivery
		expect(checkVerdict(exec)).toBe('stopped');
		expect(ran(exec)).not.toContain(BATCH_NODE[key]);
	}

	async function expectAllSucceeded(key: TemplateKey) {
		const execs = await n8n.listExecutions({ workflowId: wf[key].id });
		expect(execs).toHaveLength(started.get(wf[key].id)!);
		expect(execs.map((e) => `${e.mode}:${e.status}`)).toEqual(execs.map(() => 'webhook:success'));
	}

	beforeAll(async () => {
		n8n = sharedN8n();
		sim = await startSimulator(keys);
		// Both credentials created as in the editor (Credentials → Create), with the name it proposes.
		const batchApi = await createCredentialAsEditor(n8n, 'batchApi', {
			restApiKey: keys.restApiKey,
			projectKey: keys.projectKey,
			iosApiKey: keys.iosApiKey,
			androidApiKey: keys.androidApiKey,
			baseUrl: sim.url,
		});
		const purchaselyWebhookApi = await createCredentialAsEditor(n8n, 'purchaselyWebhookApi', { sharedSecret: keys.sharedSecret });
		creds = { batchApi, purchaselyWebhookApi };
		expect({ batchApi: batchApi.name, purchaselyWebhookApi: purchaselyWebhookApi.name }).toEqual(CREDENTIAL_NAMES);
		// The operator's edits the setup notes ask for: settings of templates 2 and 3.
		const defs: Record<TemplateKey, WorkflowInput> = {
			forward: readTemplate('forward'),
			winBack: editRows(readTemplate('winBack'), 'Settings (edit me)', WIN_BACK),
			billing: editRows(readTemplate('billing'), 'Settings (edit me)', BILLING),
			sync: readTemplate('sync'),
		};
		// The templates' own webhook ids: all four active at once must not clash.
		for (const key of KEYS) ({ wf: wf[key], url: url[key] } = await importAndActivate(defs[key], false));
		for (const key of KEYS) expect(url[key]).toContain(`/webhook/${nodesOfType(defs[key], TRIGGER_TYPE)[0].webhookId}/`);
	});

	afterAll(async () => {
		await sim?.close();
	});

	// -- 1 ------------------------------------------------------------------------------------
	describe('forward-subscription-events-to-batch', () => {
		test('each selected event reaches Batch once under its mapped name, with its typed attributes, for its user', async () => {
			const mapping = Object.fromEntries(assignments(nodeNamed(readTemplate('forward'), 'Batch event names (edit me)')).map((r) => [r.name, String(r.value)]));
			expect(mapping.SUBSCRIPTION_CANCELLED_DURING_GRACE_PERIOD).toBe('cancelled_during_grace_period');
			const stores = ['APPLE_APP_STORE', 'GOOGLE_PLAY_STORE', 'STRIPE'];
			const sent = Object.keys(mapping).map((name, i) =>
				event({ eventName: name, userId: `t1-${name.toLowerCase()}`, store: stores[i % 3], environment: i % 2 ? 'PRODUCTION' : 'SANDBOX' }),
			);
			const calls = batchRequests();
			await deliver(to('forward'), sent, { parallel: true });
			expect(batchRequests()).toBe(calls + sent.length);
			for (const e of sent) expectEvents(String(e.user_id), [{ name: mapping[String(e.event_name)], attributes: forwardAttributes(e) }]);
			// Spot checks of the typing, beyond the computed expectation.
			const upgraded = sim.profile('custom_id', 't1-subscription_upgraded')!.events[0];
			expect(upgraded.attributeTypes).toMatchObject({ next_renewal_at: 'date', price: 'float', sandbox: 'boolean', previous_plan: 'string' });
			expect(sim.profile('custom_id', 't1-trial_started')!.events[0].attributes).toMatchObject({ price: 0 });
			expect(sim.profile('custom_id', 't1-subscription_renewed')!.events[0].attributes).not.toHaveProperty('previous_plan');
		});

		test('the same event_id delivered twice reaches Batch once', async () => {
			const e = event({ eventName: 'SUBSCRIPTION_RENEWED', userId: 't1-redelivered' });
			await expectRedeliveryDropped('forward', e);
			expectEvents('t1-redelivered', [{ name: 'subscription_renewed', attributes: forwardAttributes(e) }]);
		});

		test('an event the trigger does not select makes no execution and no Batch call', async () => {
			const control = event({ eventName: 'TRIAL_CONVERTED', userId: 't1-control' });
			await expectIgnored('forward', event({ eventName: 'TRANSACTION_PROCESSED', userId: 't1-transaction' }), control);
			expectEvents('t1-control', [{ name: 'trial_converted', attributes: forwardAttributes(control) }]);
		});

		test('an anonymous user (no user_id) is dropped by the filter: no Batch call', async () => {
			const e = event({ eventName: 'SUBSCRIPTION_STARTED', anonymousUserId: 't1-anonymous' });
			expect(e.user_id).toBeUndefined();
			await expectFiltered('forward', to('forward'), e);
			expect(sim.profile('custom_id', 't1-anonymous')).toBeUndefined();
		});

		test("n8n's execution records: one successful webhook execution per delivery that passed the trigger", async () => {
			await expectAllSucceeded('forward');
		});

		describe('after operator edits: an event selected without a Batch name', () => {
			let edited: { wf: Workflow; url: string };
			beforeAll(async () => {
				const def = editNode(readTemplate('forward'), TRIGGER, (p) => (p.events = [...p.events, 'DEACTIVATE']));
				edited = await importAndActivate({ ...def, name: `${def.name} (edited)` }, true);
			});

			test('the event without a row in "Batch event names" is dropped by the filter, visibly, with no Batch call', async () => {
				await expectFiltered('forward', edited, event({ eventName: 'DEACTIVATE', userId: 't1e-deactivate' }));
				const exec = await newest(edited.wf.id);
				expect(outputOf(exec, FILTER_NODE.forward, 1)).toHaveLength(1); // the Discarded output
				expect(sim.profile('custom_id', 't1e-deactivate')).toBeUndefined();
			});

			test('seen event_ids are per workflow: an event another workflow already sent goes through here once', async () => {
				const e = event({ eventName: 'SUBSCRIPTION_RENEWED', userId: 't1e-shared' });
				const calls = batchRequests();
				await deliver(to('forward'), [e]);
				await deliver(edited, [{ ...e }]);
				expect(batchRequests()).toBe(calls + 2);
				await deliver(edited, [{ ...e }]);
				expect(batchRequests()).toBe(calls + 2);
				const exec = await newest(edited.wf.id);
				expect(checkVerdict(exec)).toBe('stopped');
				const attributes = forwardAttributes(e);
				expectEvents('t1e-shared', [
					{ name: 'subscription_renewed', attributes },
					{ name: 'subscription_renewed', attributes },
				]);
				const execs = await n8n.listExecutions({ workflowId: edited.wf.id });
				expect(execs.map((x) => x.status)).toEqual(execs.map(() => 'success'));
			});
		});

		describe('deliveries at the same moment (several executions at once, as with queue-mode workers)', () => {
			let burst: { wf: Workflow; url: string };
			const mapping = () => Object.fromEntries(assignments(nodeNamed(readTemplate('forward'), 'Batch event names (edit me)')).map((r) => [r.name, String(r.value)]));
			beforeAll(async () => {
				const def = readTemplate('forward');
				burst = await importAndActivate({ ...def, name: `${def.name} (concurrency)` }, true);
			});

			/**
			 * Per event_id: how many executions claimed the event and went on to Batch, how many the
			 * redelivery check stopped, and the errors "Create deliveries table if missing" let through
			 * (set to continue on error).
			 */
			async function verdicts(): Promise<Map<string, { first: number; duplicate: number; tableErrors: string[] }>> {
				const out = new Map<string, { first: number; duplicate: number; tableErrors: string[] }>();
				for (const x of await n8n.listExecutions({ workflowId: burst.wf.id })) {
					const exec = await n8n.getExecution(x.id, { includeData: true });
					expect(exec.status).toBe('success');
					const [row] = outputOf(exec, REMEMBER) as Array<{ json: { event_id: string } }>;
					const v = out.get(row.json.event_id) ?? { first: 0, duplicate: 0, tableErrors: [] };
					const verdict = checkVerdict(exec);
					expect(verdict).not.toBe('not reached');
					if (verdict === 'passed') v.first++;
					else v.duplicate++;
					for (const item of outputOf(exec, SEEN_TABLE) as Array<{ json: { error?: unknown }; error?: { message?: string } }>) {
						if (item.error || item.json.error) v.tableErrors.push(String(item.error?.message ?? JSON.stringify(item.json.error)));
					}
					out.set(row.json.event_id, v);
				}
				return out;
			}

			const seenTables = async () => {
				const res = await n8n.api<{ data: Array<{ id: string; name: string }> }>('GET', '/data-tables?limit=250');
				expect(res.status).toBe(200);
				return res.json!.data.filter((t) => t.name === TABLE_NAME);
			};

			test('the very first deliveries, all at once while the deliveries table does not exist: it is created once, each event reaches Batch once', async () => {
				const [existing] = await seenTables(); // created by the deliveries above
				expect([200, 204]).toContain((await n8n.api('DELETE', `/data-tables/${existing.id}`)).status);
				expect(await seenTables()).toEqual([]);
				const names = mapping();
				const sent = ['SUBSCRIPTION_STARTED', 'TRIAL_STARTED', 'SUBSCRIPTION_RENEWED', 'RENEWAL_DISABLED', 'RENEWAL_ENABLED', 'TRIAL_CONVERTED', 'SUBSCRIPTION_TERMINATED', 'ENTERED_BILLING_RETRY', 'SUBSCRIPTION_UPGRADED', 'GRACE_PERIOD_STARTED'].map(
					(name, i) => event({ eventName: name, userId: `t1c-new-table-${i}` }),
				);
				const calls = batchRequests();
				await deliver(burst, [0, 1, 2].flatMap(() => sent.map((e) => ({ ...e }))), { parallel: true });
				expect(batchRequests()).toBe(calls + sent.length);
				for (const e of sent) expectEvents(String(e.user_id), [{ name: names[String(e.event_name)], attributes: forwardAttributes(e) }]);
				expect(await seenTables()).toHaveLength(1);
				const v = await verdicts();
				// Executions that found no table tried to create it: all but one then met the unique table name.
				for (const e of sent) expect(v.get(String(e.event_id))).toEqual({ first: 1, duplicate: 2, tableErrors: expect.any(Array) });
				const clashes = [...v.values()].flatMap((x) => x.tableErrors);
				// n8n's name check, or the database's unique index when two checks ran at the same moment.
				for (const message of clashes) {
					expect(message).toMatch(new RegExp(`^Data table with name '${TABLE_NAME}' already exists in this project$|UNIQUE constraint failed: data_table\\.projectId, data_table\\.name`));
				}
				expect(clashes.length).toBeLessThan(30);
			});

			test('30 distinct events at once, then all 30 redelivered at once: each reaches Batch exactly once', async () => {
				const names = mapping();
				const kinds = Object.keys(names);
				const sent = Array.from({ length: 30 }, (_, i) => event({ eventName: kinds[i % kinds.length], userId: `t1c-burst-${i}` }));
				expect(new Set(sent.map((e) => e.event_id)).size).toBe(30);
				const calls = batchRequests();
				await deliver(burst, sent, { parallel: true });
				expect(batchRequests()).toBe(calls + 30);
				await deliver(burst, sent.map((e) => ({ ...e })), { parallel: true });
				expect(batchRequests()).toBe(calls + 30);
				for (const e of sent) expectEvents(String(e.user_id), [{ name: names[String(e.event_name)], attributes: forwardAttributes(e) }]);
				const v = await verdicts();
				for (const e of sent) expect(v.get(String(e.event_id))).toEqual({ first: 1, duplicate: 1, tableErrors: [] });
			});

			test('the same event_id delivered 5 times at once (6 events, their 30 deliveries all together): each reaches Batch exactly once', async () => {
				const names = mapping();
				const sent = ['SUBSCRIPTION_STARTED', 'TRIAL_STARTED', 'SUBSCRIPTION_RENEWED', 'RENEWAL_DISABLED', 'GRACE_PERIOD_STARTED', 'SUBSCRIPTION_UPGRADED'].map((name, i) =>
					event({ eventName: name, userId: `t1c-same-${i}` }),
				);
				const deliveries = [0, 1, 2, 3, 4].flatMap(() => sent.map((e) => ({ ...e }))); // interleaved: e1 e2 … e6 e1 e2 …
				const calls = batchRequests();
				await deliver(burst, deliveries, { parallel: true });
				expect(batchRequests()).toBe(calls + sent.length);
				for (const e of sent) expectEvents(String(e.user_id), [{ name: names[String(e.event_name)], attributes: forwardAttributes(e) }]);
				const v = await verdicts();
				for (const e of sent) expect(v.get(String(e.event_id))).toEqual({ first: 1, duplicate: 4, tableErrors: [] });
				const execs = await n8n.listExecutions({ workflowId: burst.wf.id });
				expect(execs).toHaveLength(started.get(burst.wf.id)!);
				expect(execs.map((x) => `${x.mode}:${x.status}`)).toEqual(execs.map(() => 'webhook:success'));
			});

			test("the cleanup the sticky note suggests (Row › Delete, createdAt Less Than a date) deletes the rows older than that date, only them", async () => {
				const [table] = await seenTables();
				const rows = async () => {
					let count = 0;
					for (let cursor: string | undefined, page = 0; page < 100; page++) {
						const res = await n8n.api<{ data: unknown[]; nextCursor?: string | null }>('GET', `/data-tables/${table.id}/rows?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
						expect(res.status).toBe(200);
						count += res.json!.data.length;
						if (!res.json!.nextCursor) break;
						cursor = res.json!.nextCursor;
					}
					return count;
				};
				const hookPath = `deliveries-cleanup-${randomUUID()}`;
				const cleanup = await n8n.importWorkflow(
					{
						name: 'deliveries cleanup (test)',
						nodes: [
							{ id: '5b0c8a84-7d1e-4f5e-9d3a-0e6b2c1f4a11', name: 'When called', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: '0d4e5c6b-8a9f-4b1c-9e2d-3f4a5b6c7d8e', parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', options: {} } },
							{
								id: '8f7e6d5c-4b3a-4c1d-8e9f-0a1b2c3d4e5f',
								name: 'Delete old seen events',
								type: DATA_TABLE,
								typeVersion: 1.1,
								position: [240, 0],
								alwaysOutputData: true,
								parameters: {
									resource: 'row',
									operation: 'deleteRows',
									dataTableId: { __rl: true, mode: 'name', value: TABLE_NAME },
									filters: { conditions: [{ keyName: 'createdAt', condition: 'lt', keyValue: "={{ $now.minus(Number($json.body.days), 'days').toISO() }}" }] },
									options: {},
								},
							},
						],
						connections: { 'When called': { main: [[{ node: 'Delete old seen events', type: 'main', index: 0 }]] } },
						settings: { executionOrder: 'v1' },
					} as WorkflowInput,
					{ credentials: creds, freshWebhookIds: false },
				);
				await n8n.activate(cleanup);
				const hook = `${n8n.baseUrl}/webhook/${hookPath}`;
				await n8n.waitForWebhook(hook);
				const call = async (days: number) => {
					const res = await fetch(hook, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ days }) });
					expect(res.status).toBe(200);
				};
				const before = await rows();
				expect(before).toBeGreaterThanOrEqual(90); // at least the 90 deliveries above
				await call(30); // the suggested setting: every row here is minutes old
				expect(await rows()).toBe(before);
				await call(-1); // everything older than tomorrow
				expect(await rows()).toBe(0);
				await n8n.deactivate(cleanup);
			});
		});

		describe('acknowledge "After the Workflow Succeeds" while Batch fails, then recovers', () => {
			let afterWorkflow: { wf: Workflow; url: string };
			beforeAll(async () => {
				let def = editNode(readTemplate('forward'), TRIGGER, (p) => (p.acknowledge = 'afterWorkflow'));
				def = editNode(def, BATCH_NODE.forward, (p) => (p.options = { maxAttempts: 1 }));
				afterWorkflow = await importAndActivate({ ...def, name: `${def.name} (after workflow)` }, true);
			});

			test('Purchasely gets 500 and a failed execution; its redelivery is not taken for a duplicate and reaches Batch once', async () => {
				const e = event({ eventName: 'RENEWAL_DISABLED', userId: 't1w-user' });
				sim.injectFaults([{ path: '/profiles/update', status: 503, times: 1 }]);
				const failed = await post(afterWorkflow.url, e);
				expect(failed.status).toBe(500);
				started.set(afterWorkflow.wf.id, 1);
				await n8n.waitForExecutions(afterWorkflow.wf.id, 1);
				const exec = await newest(afterWorkflow.wf.id);
				expect(exec.status).toBe('error');
				expect(exec.data.resultData.lastNodeExecuted).toBe(FAIL);
				expect(exec.data.resultData.error.message).toMatch(/^Batch did not accept the event: .*503/);
				expect(ran(exec)).toEqual(expect.arrayContaining([ACCEPTED, FAILED_FORGET, FAIL]));
				// This event's row was deleted, and only it.
				expect((outputOf(exec, FAILED_FORGET) as Array<{ json: Record<string, unknown> }>).map((i) => i.json.event_id)).toEqual([e.event_id]);
				expect(sim.profile('custom_id', 't1w-user')).toBeUndefined();

				sim.clearFaults();
				const redelivered = await post(afterWorkflow.url, { ...e });
				expect(redelivered.status).toBe(200);
				await n8n.waitForExecutions(afterWorkflow.wf.id, 2);
				const ok = await newest(afterWorkflow.wf.id);
				expect(ok.status).toBe('success');
				expect(checkVerdict(ok)).toBe('passed');
				expectEvents('t1w-user', [{ name: 'renewal_disabled', attributes: forwardAttributes(e) }]);

				// Delivered once more: now a duplicate again.
				const calls = batchRequests();
				expect((await post(afterWorkflow.url, { ...e })).status).toBe(200);
				await n8n.waitForExecutions(afterWorkflow.wf.id, 3);
				expect(batchRequests()).toBe(calls);
				expect((await n8n.listExecutions({ workflowId: afterWorkflow.wf.id })).map((x) => x.status).sort()).toEqual(['error', 'success', 'success']);
			});
		});
	});

	// -- 2 ------------------------------------------------------------------------------------
	describe('win-back-renewal-disabled', () => {
		const deeplink = `${WIN_BACK.app_scheme}://ply/placements/${WIN_BACK.placement_id}`;

		test('RENEWAL_DISABLED → one renewal_disabled event carrying the placement deeplink (a URL attribute) set in "Settings (edit me)"', async () => {
			const sent = [
				event({ eventName: 'RENEWAL_DISABLED', userId: 't2-ios', store: 'APPLE_APP_STORE', environment: 'PRODUCTION' }),
				event({ eventName: 'RENEWAL_DISABLED', userId: 't2-android', store: 'GOOGLE_PLAY_STORE', plan: 'premium_yearly' }),
			];
			await deliver(to('winBack'), sent);
			for (const e of sent) expectEvents(String(e.user_id), [{ name: 'renewal_disabled', attributes: winBackAttributes(e, deeplink) }]);
			expect(sim.profile('custom_id', 't2-ios')!.events[0].attributeTypes.deeplink).toBe('url');
		});

		test('the same event_id delivered twice reaches Batch once', async () => {
			const e = event({ eventName: 'RENEWAL_DISABLED', userId: 't2-redelivered' });
			await expectRedeliveryDropped('winBack', e);
			expectEvents('t2-redelivered', [{ name: 'renewal_disabled', attributes: winBackAttributes(e, deeplink) }]);
		});

		test('other events make no execution and no Batch call; anonymous users are filtered out', async () => {
			const control = event({ eventName: 'RENEWAL_DISABLED', userId: 't2-control' });
			await expectIgnored('winBack', event({ eventName: 'RENEWAL_ENABLED', userId: 't2-renewal-enabled' }), control);
			expectEvents('t2-control', [{ name: 'renewal_disabled', attributes: winBackAttributes(control, deeplink) }]);
			await expectFiltered('winBack', to('winBack'), event({ eventName: 'RENEWAL_DISABLED', anonymousUserId: 't2-anonymous' }));
			expect(sim.profile('custom_id', 't2-anonymous')).toBeUndefined();
			await expectAllSucceeded('winBack');
		});
	});

	// -- 3 ------------------------------------------------------------------------------------
	describe('billing-problem', () => {
		const deeplink = `${BILLING.app_scheme}://ply/update_billing`;

		test('ENTERED_BILLING_RETRY and GRACE_PERIOD_STARTED → one billing_issue event each, saying which, with the update_billing deeplink', async () => {
			const retry = event({ eventName: 'ENTERED_BILLING_RETRY', userId: 't3-retry', store: 'GOOGLE_PLAY_STORE' });
			const grace = event({ eventName: 'GRACE_PERIOD_STARTED', userId: 't3-grace', environment: 'PRODUCTION' });
			await deliver(to('billing'), [retry, grace]);
			expectEvents('t3-retry', [{ name: 'billing_issue', attributes: billingAttributes(retry, deeplink) }]);
			expectEvents('t3-grace', [{ name: 'billing_issue', attributes: billingAttributes(grace, deeplink) }]);
			const graceEvent = sim.profile('custom_id', 't3-grace')!.events[0];
			expect(graceEvent.attributes).toMatchObject({ purchasely_event: 'GRACE_PERIOD_STARTED', deeplink });
			expect(graceEvent.attributeTypes).toMatchObject({ grace_period_expires_at: 'date', deeplink: 'url' });
			expect(sim.profile('custom_id', 't3-retry')!.events[0].attributes).not.toHaveProperty('grace_period_expires_at');
		});

		test('the same event_id delivered twice reaches Batch once', async () => {
			const e = event({ eventName: 'GRACE_PERIOD_STARTED', userId: 't3-redelivered' });
			await expectRedeliveryDropped('billing', e);
			expectEvents('t3-redelivered', [{ name: 'billing_issue', attributes: billingAttributes(e, deeplink) }]);
		});

		test('other events make no execution and no Batch call; anonymous users are filtered out', async () => {
			const control = event({ eventName: 'ENTERED_BILLING_RETRY', userId: 't3-control' });
			await expectIgnored('billing', event({ eventName: 'RENEWAL_DISABLED', userId: 't3-renewal-disabled' }), control);
			expectEvents('t3-control', [{ name: 'billing_issue', attributes: billingAttributes(control, deeplink) }]);
			await expectFiltered('billing', to('billing'), event({ eventName: 'GRACE_PERIOD_STARTED', anonymousUserId: 't3-anonymous' }));
			await expectAllSucceeded('billing');
		});
	});

	// -- 4 ------------------------------------------------------------------------------------
	describe('sync-subscription-attributes', () => {
		test('every Purchasely v3 event: subscription events set the profile attributes (typed), one-time purchases are filtered out', async () => {
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const catalog = require(path.join(installedPackageDir(n8n), 'dist/nodes/PurchaselyTrigger/eventCatalog.js')) as { V3_EVENTS_BY_GROUP: Record<string, string[]> };
			const names = Object.values(catalog.V3_EVENTS_BY_GROUP).flat();
			expect(names.length).toBeGreaterThan(40);
			const sent = names.map((name, i) => event({ eventName: name, userId: `t4-${name.toLowerCase()}`, environment: i % 2 ? 'PRODUCTION' : 'SANDBOX' }));
			const calls = batchRequests();
			for (let i = 0; i < sent.length; i += 8) await deliver(to('sync'), sent.slice(i, i + 8), { parallel: true });
			const subscription = sent.filter((e) => e.purchase_type === 'RENEWING_SUBSCRIPTION');
			expect(subscription.length).toBe(sent.length - 2);
			expect(batchRequests()).toBe(calls + subscription.length);
			for (const e of sent) {
				if (e.purchase_type === 'RENEWING_SUBSCRIPTION') expectProfile(String(e.user_id), syncAttributes(e));
				else expect(sim.profile('custom_id', String(e.user_id))).toBeUndefined();
			}
			expect(sim.profile('custom_id', 't4-renewal_disabled')!.attributeTypes).toEqual({
				subscription_status: 'string',
				subscription_plan: 'string',
				subscription_product: 'string',
				subscription_store: 'string',
				subscription_sandbox: 'boolean',
				subscription_next_renewal_at: 'date',
				purchasely_last_event: 'string',
				purchasely_last_event_at: 'date',
			});
		});

		test("one user's events in order: the profile follows the subscription; a missing next renewal removes that attribute", async () => {
			const user = 't4-journey';
			const started1 = event({ eventName: 'SUBSCRIPTION_STARTED', userId: user, store: 'GOOGLE_PLAY_STORE', environment: 'PRODUCTION' });
			await deliver(to('sync'), [started1]);
			expectProfile(user, syncAttributes(started1));
			const upgraded = event({ eventName: 'SUBSCRIPTION_UPGRADED', userId: user, store: 'GOOGLE_PLAY_STORE', plan: 'premium_yearly', environment: 'PRODUCTION' });
			await deliver(to('sync'), [upgraded]);
			expectProfile(user, syncAttributes(upgraded));
			const ended = event({ eventName: 'DEACTIVATE', userId: user, store: 'GOOGLE_PLAY_STORE', plan: 'premium_yearly', environment: 'PRODUCTION' });
			for (const k of ['next_renewal_at', 'next_renewal_at_ms', 'effective_next_renewal_at', 'effective_next_renewal_at_ms']) delete ended[k];
			await deliver(to('sync'), [ended]);
			const final = syncAttributes(ended);
			expect(final).not.toHaveProperty('subscription_next_renewal_at');
			expect(final.subscription_status.value).toBe('DEACTIVATED');
			expectProfile(user, final);
		});

		test('the same event_id delivered twice updates Batch once', async () => {
			const e = event({ eventName: 'SUBSCRIPTION_RENEWED', userId: 't4-redelivered' });
			await expectRedeliveryDropped('sync', e);
			expectProfile('t4-redelivered', syncAttributes(e));
		});

		test('anonymous users are filtered out; every execution succeeded', async () => {
			await expectFiltered('sync', to('sync'), event({ eventName: 'SUBSCRIPTION_RENEWED', anonymousUserId: 't4-anonymous' }));
			await expectAllSucceeded('sync');
		});
	});

	// -- Execute workflow with the pinned sample ------------------------------------------------
	describe('opened in the editor and run with "Execute workflow" (the pinned sample event)', () => {
		const SAMPLE_USER = 'sample-user';
		const manual = {} as Record<TemplateKey, Workflow>;
		const manualRuns = new Map<string, number>();

		/** Import as the editor does (paste / Import from File, then save): POST /rest/workflows with the whole file. */
		function importAsEditor(key: TemplateKey): Promise<Workflow> {
			const def = readTemplate(key);
			return importTemplateAsEditor(n8n, def, `${def.name} (manual run)`); // fresh webhook ids: the originals are active above
		}

		/** "Execute workflow" in the editor: POST /rest/workflows/:id/run with the trigger to start from (useRunWorkflow in n8n-editor-ui 2.41.1). */
		async function executeWorkflow(w: Workflow): Promise<Execution> {
			const run = await executeAsEditor(n8n, w.id, TRIGGER);
			expect(run.waitingForWebhook).toBeUndefined(); // the pinned event runs at once, no test webhook
			expect(run.executionId).toEqual(expect.any(String));
			manualRuns.set(w.id, (manualRuns.get(w.id) ?? 0) + 1);
			await n8n.waitForExecutions(w.id, manualRuns.get(w.id)!);
			return n8n.getExecution(run.executionId!, { includeData: true });
		}

		beforeAll(async () => {
			for (const key of KEYS) manual[key] = await importAsEditor(key);
		});

		test.each(KEYS)('%s: import links both credentials by name and keeps the pinned event on the trigger only', (key) => {
			const w = manual[key] as Workflow & { pinData?: Record<string, unknown> };
			expect(w.nodes.find((n) => n.type === TRIGGER_TYPE)!.credentials).toEqual({ purchaselyWebhookApi: { id: creds.purchaselyWebhookApi.id, name: CREDENTIAL_NAMES.purchaselyWebhookApi } });
			expect(w.nodes.find((n) => n.type === BATCH_TYPE)!.credentials).toEqual({ batchApi: { id: creds.batchApi.id, name: CREDENTIAL_NAMES.batchApi } });
			expect(w.pinData).toEqual(readTemplate(key).pinData);
		});

		test('each template, run twice: every node on the way to Batch runs with data, and Batch gets the sample event each time', async () => {
			const deeplinks = { winBack: 'myapp://ply/placements/win_back_offer', billing: 'myapp://ply/update_billing' };
			const names = Object.fromEntries(assignments(nodeNamed(readTemplate('forward'), 'Batch event names (edit me)')).map((r) => [r.name, String(r.value)]));
			const expectedEvents: Array<{ name: string; attributes: Typed }> = [];
			for (const key of KEYS) {
				const sample = pinnedSample(readTemplate(key));
				const working = readTemplate(key).nodes.filter((n) => n.type !== STICKY).map((n) => n.name);
				for (const run of [1, 2]) {
					const calls = batchRequests();
					const exec = await executeWorkflow(manual[key]);
					expect({ key, run, mode: exec.mode, status: exec.status }).toEqual({ key, run, mode: 'manual', status: 'success' });
					// Every node but the failure path ran, each with the one item.
					expect(ran(exec)).toEqual(working.filter((n) => n !== FAILED_FORGET && n !== FAIL).sort());
					for (const node of ran(exec)) expect({ node, items: outputOf(exec, node).length }).toEqual({ node, items: 1 });
					expect((outputOf(exec, TRIGGER)[0] as { json: unknown }).json).toEqual(sample);
					// A manual run is remembered under its own key: it never blocks Purchasely's real delivery of that event.
					expect((outputOf(exec, REMEMBER)[0] as { json: { event_id: string } }).json.event_id).toBe(`manual-run-${exec.id}:${sample.meta.eventId}`);
					expect(batchRequests()).toBe(calls + 1);
					if (key === 'forward') expectedEvents.push({ name: names[String(sample.body.event_name)], attributes: forwardAttributes(sample.body) });
					if (key === 'winBack') expectedEvents.push({ name: 'renewal_disabled', attributes: winBackAttributes(sample.body, deeplinks.winBack) });
					if (key === 'billing') expectedEvents.push({ name: 'billing_issue', attributes: billingAttributes(sample.body, deeplinks.billing) });
				}
			}
			const profile = syncAttributes(pinnedSample(readTemplate('sync')).body);
			expect(sim.profile('custom_id', SAMPLE_USER)).toEqual({
				attributes: values(profile),
				attributeTypes: types(profile),
				events: expectedEvents.map((x) => ({ name: x.name, time: expect.any(String), attributes: values(x.attributes), attributeTypes: types(x.attributes), receivedAt: expect.any(String) })),
			});
		});

		test("after manual runs, Purchasely's real delivery of that same event reaches Batch once (and its redelivery does not)", async () => {
			const w = manual.winBack;
			const sample = pinnedSample(readTemplate('winBack'));
			await n8n.activate(w);
			const target = { wf: w, url: triggerUrl(w) };
			await n8n.waitForWebhook(target.url);
			started.set(w.id, manualRuns.get(w.id)!);
			const calls = batchRequests();
			await deliver(target, [sample.body]);
			expect(batchRequests()).toBe(calls + 1);
			await deliver(target, [{ ...sample.body }]);
			expect(batchRequests()).toBe(calls + 1);
			const exec = await newest(w.id);
			expect(exec.mode).toBe('webhook');
			expect(checkVerdict(exec)).toBe('stopped');
			await n8n.deactivate(w);
		});
	});

	// -- CLI ----------------------------------------------------------------------------------
	test('`n8n import:workflow` imports the files as they are and links both credentials by their names', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-cli-'));
		try {
			for (const f of FILES) fs.copyFileSync(path.join(TEMPLATES_DIR, f), path.join(dir, f));
			const before = new Set((await n8n.listWorkflows()).map((w) => w.id));
			const output = await n8n.cli(['import:workflow', '--separate', `--input=${dir}`]); // rejects on a non-zero exit
			expect(output).toMatch(/imported 4 workflows/i);
			const imported = (await n8n.listWorkflows()).filter((w) => !before.has(w.id));
			expect(imported.map((w) => w.name).sort()).toEqual(KEYS.map((k) => readTemplate(k).name).sort());
			for (const w of imported) {
				const full = await n8n.getWorkflow(w.id);
				const file = readTemplate(KEYS.find((k) => readTemplate(k).name === w.name)!);
				expect(full.active).toBe(false);
				expect(full.nodes.map((n) => n.name).sort()).toEqual(file.nodes.map((n) => n.name).sort());
				const trigger = full.nodes.find((n) => n.type === TRIGGER_TYPE)!;
				expect(trigger.webhookId).toBe(nodesOfType(file, TRIGGER_TYPE)[0].webhookId);
				expect(trigger.credentials).toEqual({ purchaselyWebhookApi: { id: creds.purchaselyWebhookApi.id, name: CREDENTIAL_NAMES.purchaselyWebhookApi } });
				expect(full.nodes.find((n) => n.type === BATCH_TYPE)!.credentials).toEqual({ batchApi: { id: creds.batchApi.id, name: CREDENTIAL_NAMES.batchApi } });
			}
			for (const w of imported) expect((await n8n.api('DELETE', `/workflows/${w.id}`)).status).toBe(200);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
