/**
 * Helpers of templates.test.ts: the template files, operator edits applied to them (as an operator
 * would make them in the editor), what Batch must hold for a given Purchasely event under each
 * template, canvas geometry checks, and n8n's own parameter check of the files.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROOT, type CredentialRef, type Execution, type N8n, type Workflow, type WorkflowInput, type WorkflowNode } from '../../scripts/n8n/harness';

import { runOnN8nNode } from './support';

export const TEMPLATES_DIR = path.join(ROOT, 'templates');
/** The templates as released with Batch node version 1, kept unchanged: saved workflows like them must keep running. */
export const V1_TEMPLATES_DIR = path.join(ROOT, 'test', 'fixtures', 'templates-v1');

export const TEMPLATE_FILES = {
	forward: 'forward-subscription-events-to-batch.json',
	winBack: 'win-back-renewal-disabled.json',
	billing: 'billing-problem.json',
	sync: 'sync-subscription-attributes.json',
} as const;
export type TemplateKey = keyof typeof TEMPLATE_FILES;

/**
 * The backfill template: started by hand (a Manual Trigger), from a CSV file, so it has none of the four's
 * webhook, pinned event or redelivery check; templates-backfill.test.ts runs it. Its node names are its public face.
 */
export const BACKFILL = {
	file: 'backfill-subscription-attributes.json',
	nodes: {
		trigger: 'Start backfill',
		file: 'File to backfill (edit me)',
		read: 'Read the file',
		rows: 'Subscribers in the file',
		mapping: 'Profile attributes (edit me)',
		batch: 'Update profiles in Batch',
		summary: 'Summary',
		refused: 'Rows with a bad value',
	},
} as const;

/**
 * Names of the redelivery-check and failure-path nodes, the same in the four templates (tests of
 * other files rely on them: import these rather than repeat the strings).
 */
export const CHECK_NODES = {
	table: 'Create deliveries table if missing',
	remember: 'Remember this delivery',
	holdBack: 'Hold back later deliveries',
	all: 'All deliveries of this event',
	first: 'First delivery?',
	claim: 'Claim this event',
	restore: 'Continue with the event',
	accepted: 'Batch accepted?',
	forget: 'Forget this delivery',
	fail: 'Fail: Batch refused',
} as const;

/** The data table of the redelivery check (a name that does not contain the released templates' `purchasely_seen_events`). */
export const DELIVERIES_TABLE = 'purchasely_event_deliveries';

/** The items a node put on one of its outputs in an execution (its first run). */
export function outputOf(exec: Execution, node: string, index = 0): unknown[] {
	return exec.data.resultData.runData[node]?.[0]?.data?.main?.[index] ?? [];
}

/**
 * What the redelivery check decided in one execution: `passed` (it claimed the event and went on to
 * Batch), `stopped` (an earlier or passed delivery of the event_id exists: "First delivery?" took its
 * false output, or another delivery held this one back before its claim), or `not reached`.
 */
export function checkVerdict(exec: Execution): 'passed' | 'stopped' | 'not reached' {
	if (outputOf(exec, CHECK_NODES.claim).length === 1) return 'passed';
	if (outputOf(exec, CHECK_NODES.first, 1).length === 1 || outputOf(exec, CHECK_NODES.first, 0).length === 1) return 'stopped';
	return 'not reached';
}

export function readTemplate(key: TemplateKey, dir = TEMPLATES_DIR): WorkflowInput {
	return readTemplateFile(path.join(dir, TEMPLATE_FILES[key]));
}

export function readTemplateFile(file: string): WorkflowInput {
	return JSON.parse(fs.readFileSync(file, 'utf8')) as WorkflowInput;
}

export function nodeNamed(wf: WorkflowInput, name: string): WorkflowNode {
	const node = wf.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`no node "${name}" in ${wf.name}`);
	return node;
}

export function nodesOfType(wf: WorkflowInput, type: string): WorkflowNode[] {
	return wf.nodes.filter((n) => n.type === type);
}

interface Assignment {
	id: string;
	name: string;
	value: unknown;
	type: string;
}

/** The rows of an Edit Fields (Set ≥ 3.3) node. */
export function assignments(node: WorkflowNode): Assignment[] {
	const p = node.parameters as { assignments?: { assignments?: Assignment[] } };
	return p.assignments?.assignments ?? [];
}

/** An operator's edit: sets the value of rows of an Edit Fields node, by row name (all must exist). */
export function editRows(wf: WorkflowInput, nodeName: string, values: Record<string, string>): WorkflowInput {
	const copy = structuredClone(wf);
	const rows = assignments(nodeNamed(copy, nodeName));
	for (const [name, value] of Object.entries(values)) {
		const row = rows.find((r) => r.name === name);
		if (!row) throw new Error(`no row "${name}" in "${nodeName}"`);
		row.value = value;
	}
	return copy;
}

/** An operator's edit of any node's parameters. */
export function editNode(wf: WorkflowInput, nodeName: string, edit: (parameters: Record<string, any>) => void): WorkflowInput {
	const copy = structuredClone(wf);
	edit(nodeNamed(copy, nodeName).parameters as Record<string, any>);
	return copy;
}

// ---------------------------------------------------------------------------------------------
// What Batch must hold: values and types as the simulator records them (date(x) → 'date', url(x)
// → 'url', numbers → 'integer' | 'float').

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type PurchaselyEvent = { [key: string]: Json };
export type Typed = Record<string, { value: Json; type: string }>;

const STORE_PLATFORM: Record<string, string> = {
	APPLE_APP_STORE: 'ios',
	GOOGLE_PLAY_STORE: 'android',
	AMAZON_APPSTORE: 'android',
	HUAWEI_APPGALLERY: 'android',
	STRIPE: 'web',
};

/** How the Batch node sends a date: RFC 3339 UTC, milliseconds only when not zero. */
export function batchDate(iso: string): string {
	const text = new Date(Date.parse(iso)).toISOString();
	return text.endsWith('.000Z') ? `${text.slice(0, 19)}Z` : text;
}

function typed(entries: Array<[string, Json | undefined, 'string' | 'number' | 'boolean' | 'date' | 'url']>): Typed {
	const out: Typed = {};
	for (const [name, value, kind] of entries) {
		if (value === undefined || value === null) continue; // missing fields are left out of events
		if (kind === 'date') out[name] = { value: batchDate(String(value)), type: 'date' };
		else if (kind === 'number') out[name] = { value, type: Number.isInteger(value) ? 'integer' : 'float' };
		else out[name] = { value, type: kind };
	}
	return out;
}

const str = (e: PurchaselyEvent, k: string) => e[k] as Json | undefined;

function common(e: PurchaselyEvent): Array<[string, Json | undefined, 'string' | 'number' | 'boolean' | 'date' | 'url']> {
	return [
		['plan', str(e, 'plan'), 'string'],
		['product', str(e, 'product'), 'string'],
		['store', str(e, 'store'), 'string'],
		['platform', STORE_PLATFORM[String(e.store)], 'string'],
		['sandbox', e.environment === 'SANDBOX', 'boolean'],
	];
}
const price = (e: PurchaselyEvent): Array<[string, Json | undefined, 'number' | 'string']> => [
	['price', str(e, 'plan_price_in_customer_currency'), 'number'],
	['currency', str(e, 'customer_currency'), 'string'],
];

/** forward-subscription-events-to-batch: the event's attributes. */
export function forwardAttributes(e: PurchaselyEvent): Typed {
	return typed([
		['purchasely_event', str(e, 'event_name'), 'string'],
		...common(e),
		['environment', str(e, 'environment'), 'string'],
		['offer_type', str(e, 'offer_type'), 'string'],
		['subscription_status', str(e, 'subscription_status'), 'string'],
		['next_renewal_at', str(e, 'next_renewal_at'), 'date'],
		['previous_plan', str(e, 'previous_plan'), 'string'],
		...price(e),
		['store_country', str(e, 'store_country'), 'string'],
	]);
}

/** win-back-renewal-disabled: the event's attributes. */
export function winBackAttributes(e: PurchaselyEvent, deeplink: string): Typed {
	return typed([
		['deeplink', deeplink, 'url'],
		...common(e),
		['offer_type', str(e, 'offer_type'), 'string'],
		['next_renewal_at', str(e, 'next_renewal_at'), 'date'],
		...price(e),
	]);
}

/** billing-problem: the event's attributes. */
export function billingAttributes(e: PurchaselyEvent, deeplink: string): Typed {
	return typed([
		['deeplink', deeplink, 'url'],
		['purchasely_event', str(e, 'event_name'), 'string'],
		...common(e),
		['grace_period_expires_at', str(e, 'grace_period_expires_at'), 'date'],
		...price(e),
	]);
}

/**
 * sync-subscription-attributes: the profile attributes one event sets. A missing field is sent as
 * null, which removes the attribute (so it is absent here).
 */
export function syncAttributes(e: PurchaselyEvent): Typed {
	return typed([
		['subscription_status', str(e, 'subscription_status'), 'string'],
		['subscription_plan', str(e, 'plan'), 'string'],
		['subscription_product', str(e, 'product'), 'string'],
		['subscription_store', str(e, 'store'), 'string'],
		['subscription_sandbox', e.environment === 'SANDBOX', 'boolean'],
		['subscription_next_renewal_at', str(e, 'next_renewal_at'), 'date'],
		['purchasely_last_event', str(e, 'event_name'), 'string'],
		['purchasely_last_event_at', str(e, 'event_created_at'), 'date'],
	]);
}

export function values(t: Typed): Record<string, Json> {
	return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.value]));
}
export function types(t: Typed): Record<string, string> {
	return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v.type]));
}

// ---------------------------------------------------------------------------------------------
// Canvas geometry. n8n draws a node as a 100 × 100 square at `position` (its top-left corner) with
// its name below it (up to two lines, wider than the square); a sticky note is the rectangle
// `position` + width × height.

export interface Box {
	name: string;
	x1: number;
	y1: number;
	x2: number;
	y2: number;
}

export function nodeBox(n: WorkflowNode): Box {
	const [x, y] = n.position;
	return { name: n.name, x1: x - 40, y1: y, x2: x + 140, y2: y + 150 };
}

export function stickyBox(n: WorkflowNode): Box {
	const [x, y] = n.position;
	const p = n.parameters as { width?: number; height?: number };
	return { name: n.name, x1: x, y1: y, x2: x + (p.width ?? 240), y2: y + (p.height ?? 160) };
}

export function overlaps(a: Box, b: Box): boolean {
	return a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2;
}

/** Every connection as [source, output index, target]. */
export function connectionList(wf: WorkflowInput): Array<[string, number, string]> {
	const out: Array<[string, number, string]> = [];
	for (const [source, byType] of Object.entries(wf.connections ?? {})) {
		const main = (byType as { main?: Array<Array<{ node: string }> | null> }).main ?? [];
		main.forEach((targets, index) => (targets ?? []).forEach((t) => out.push([source, index, t.node])));
	}
	return out;
}

/**
 * Parameter check as the editor does it, run in a child process on n8n's own n8n-workflow and
 * node classes (n8n-nodes-base from the n8n install, this package's nodes from `packageDir`, as installed):
 * for every node, the parameters n8n does not know (it would drop them silently) and the
 * parameter issues the editor would flag.
 */
export function editorParameterCheck(
	n8n: N8n,
	files: string[],
	packageDir: string,
): Promise<Record<string, Array<{ node: string; unknown: string[]; issues: unknown; versions: unknown }>>> {
	const nm = path.join(n8n.install.n8nDir, 'node_modules');
	const script = `
		const path = require('node:path');
		const fs = require('node:fs');
		const nm = ${JSON.stringify(nm)};
		const dist = ${JSON.stringify(path.join(packageDir, 'dist'))};
		const { NodeHelpers } = require(path.join(nm, 'n8n-workflow'));
		const base = path.join(nm, 'n8n-nodes-base/dist/nodes');
		const classes = {
			'n8n-nodes-base.set': [path.join(base, 'Set/Set.node.js'), 'Set'],
			'n8n-nodes-base.filter': [path.join(base, 'Filter/Filter.node.js'), 'Filter'],
			'n8n-nodes-base.if': [path.join(base, 'If/If.node.js'), 'If'],
			'n8n-nodes-base.removeDuplicates': [path.join(base, 'Transform/RemoveDuplicates/RemoveDuplicates.node.js'), 'RemoveDuplicates'],
			'n8n-nodes-base.dataTable': [path.join(base, 'DataTable/DataTable.node.js'), 'DataTable'],
			'n8n-nodes-base.stopAndError': [path.join(base, 'StopAndError/StopAndError.node.js'), 'StopAndError'],
			'n8n-nodes-base.stickyNote': [path.join(base, 'StickyNote/StickyNote.node.js'), 'StickyNote'],
			'n8n-nodes-base.manualTrigger': [path.join(base, 'ManualTrigger/ManualTrigger.node.js'), 'ManualTrigger'],
			'n8n-nodes-base.readWriteFile': [path.join(base, 'Files/ReadWriteFile/ReadWriteFile.node.js'), 'ReadWriteFile'],
			'n8n-nodes-base.extractFromFile': [path.join(base, 'Files/ExtractFromFile/ExtractFromFile.node.js'), 'ExtractFromFile'],
			'n8n-nodes-base.code': [path.join(base, 'Code/Code.node.js'), 'Code'],
			'n8n-nodes-base.noOp': [path.join(base, 'NoOp/NoOp.node.js'), 'NoOp'],
			'n8n-nodes-purchasely-batch.purchaselyTrigger': [path.join(dist, 'nodes/PurchaselyTrigger/PurchaselyTrigger.node.js'), 'PurchaselyTrigger'],
			'n8n-nodes-purchasely-batch.batch': [path.join(dist, 'nodes/Batch/Batch.node.js'), 'Batch'],
		};
		function description(type, version) {
			if (!classes[type]) return { missing: 'type ' + type };
			const [file, cls] = classes[type];
			const inst = new (require(file)[cls])();
			const d = inst.nodeVersions ? inst.nodeVersions[version] && inst.nodeVersions[version].description : inst.description;
			return d || { missing: 'version ' + version };
		}
		function unknownKeys(a, b, p) {
			const out = [];
			if (a && typeof a === 'object' && !Array.isArray(a)) {
				for (const k of Object.keys(a)) {
					if (!b || !(k in b)) out.push(p + k);
					else out.push(...unknownKeys(a[k], b[k], p + k + '.'));
				}
			} else if (Array.isArray(a)) {
				a.forEach((v, i) => out.push(...unknownKeys(v, Array.isArray(b) ? b[i] : undefined, p + i + '.')));
			}
			return out;
		}
		const result = {};
		for (const file of ${JSON.stringify(files)}) {
			const wf = JSON.parse(fs.readFileSync(file, 'utf8'));
			result[path.basename(file)] = wf.nodes.map((node) => {
				const d = description(node.type, node.typeVersion);
				if (d.missing) return { node: node.name, unknown: [], issues: d.missing, versions: null };
				const full = NodeHelpers.getNodeParameters(d.properties, node.parameters, true, false, node, d);
				return {
					node: node.name,
					unknown: unknownKeys(node.parameters, full, ''),
					issues: NodeHelpers.getNodeParametersIssues(d.properties, node, d),
					versions: d.version,
				};
			});
		}
		process.stdout.write(JSON.stringify(result));`;
	return runOnN8nNode(n8n, script, { cwd: ROOT, what: 'parameter check' });
}

// ---------------------------------------------------------------------------------------------
// Credentials the way n8n's editor creates them.

/**
 * Signs the owner in, as the editor's login page does, so that n8n.rest() (the editor's own REST
 * API, /rest/…) is authorised. The shared client of the e2e run has only an API key; its
 * setupOwner() would also replace the run's API keys, so it is not used here.
 */
export async function signInAsEditor(n8n: N8n): Promise<void> {
	const session = n8n as unknown as { cookie?: string; browserId: string };
	if (session.cookie) return;
	const res = await fetch(`${n8n.baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'browser-id': session.browserId },
		body: JSON.stringify({ emailOrLdapLoginId: n8n.owner.email, password: n8n.owner.password }),
	});
	if (!res.ok) throw new Error(`POST /rest/login: ${res.status}`);
	const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('n8n-auth='));
	if (!cookie) throw new Error('n8n set no n8n-auth cookie on login');
	session.cookie = cookie;
}

/**
 * The name n8n's editor (2.41.1) gives a new credential of `type`: the type's display name without
 * the words "API", "OAuth1", "OAuth2" and "MCP", plus " account", made unique by the server
 * (`GET /rest/credentials/new?name=…` answers e.g. "Batch account 2" when "Batch account" exists).
 * Read from n8n-editor-ui 2.41.1, dist/assets/workflows.store-*.js (the credentials store's
 * getNewCredentialName, with its DEFAULT_CREDENTIAL_POSTFIX "account" and KEYWORDS_TO_FILTER).
 */
export async function editorCredentialName(n8n: N8n, type: string): Promise<string> {
	await signInAsEditor(n8n);
	const res = await fetch(`${n8n.baseUrl}/types/credentials.json`, { headers: { cookie: (n8n as unknown as { cookie: string }).cookie } });
	if (!res.ok) throw new Error(`GET /types/credentials.json: ${res.status}`);
	const described = ((await res.json()) as Array<{ name: string; displayName: string }>).find((t) => t.name === type);
	if (!described) throw new Error(`n8n does not know the credential type ${type}`);
	const appName = described.displayName.split(' ').filter((word) => !['API', 'OAuth1', 'OAuth2', 'MCP'].includes(word)).join(' ');
	const proposed = appName.length > 0 ? `${appName} account` : 'Unnamed credential';
	const unique = await n8n.rest<{ data: { name: string } }>('GET', `/credentials/new?name=${encodeURIComponent(proposed)}`);
	if (unique.status !== 200) throw new Error(`GET /rest/credentials/new: ${unique.status} ${unique.text}`);
	return unique.json!.data.name;
}

/** Creates a credential as the editor does: its default name, then `POST /rest/credentials`. */
export async function createCredentialAsEditor(n8n: N8n, type: string, data: Record<string, unknown>): Promise<CredentialRef> {
	const name = await editorCredentialName(n8n, type);
	const res = await n8n.rest<{ data: { id: string; name: string; type: string } }>('POST', '/credentials', { name, type, data });
	if (res.status !== 200) throw new Error(`POST /rest/credentials (${type}): ${res.status} ${res.text}`);
	const c = res.json!.data;
	return { id: String(c.id), name: c.name, type: c.type };
}

// ---------------------------------------------------------------------------------------------
// The pinned sample event.

/** The item a template pins on its Purchasely Trigger (its only pinned data). */
export function pinnedSample(wf: WorkflowInput): { body: PurchaselyEvent; meta: Record<string, Json> } {
	const pinData = (wf as { pinData?: Record<string, Array<{ json: { body: PurchaselyEvent; meta: Record<string, Json> } }>> }).pinData ?? {};
	const items = pinData['Purchasely Trigger'];
	if (!items || items.length !== 1) throw new Error(`${wf.name}: expected one pinned item on "Purchasely Trigger"`);
	return items[0].json;
}

// ---------------------------------------------------------------------------------------------
// A template as the editor imports and runs it.

/**
 * Imports a template as n8n's editor does (paste or Import from File, then save): POST /rest/workflows with the
 * whole file, pinned data included; n8n links the credentials by their names. Webhook ids are made fresh so the
 * same file can be imported more than once into one n8n.
 */
export async function importTemplateAsEditor(n8n: N8n, def: WorkflowInput, name: string): Promise<Workflow & { pinData?: unknown }> {
	await signInAsEditor(n8n);
	const nodes = def.nodes.map((n) => (n.webhookId ? { ...n, webhookId: randomUUID() } : n));
	const res = await n8n.rest<{ data: Workflow & { pinData?: unknown } }>('POST', '/workflows', { ...def, nodes, name });
	if (res.status !== 200) throw new Error(`POST /rest/workflows (${name}): ${res.status} ${res.text.slice(0, 300)}`);
	return res.json!.data;
}

/**
 * "Execute workflow" in the editor: POST /rest/workflows/:id/run starting from the trigger named `trigger`
 * (useRunWorkflow in n8n-editor-ui 2.41.1). A template's pinned event runs at once: no test webhook.
 */
export async function executeAsEditor(n8n: N8n, workflowId: string, trigger: string): Promise<{ executionId?: string; waitingForWebhook?: boolean }> {
	await signInAsEditor(n8n);
	const res = await n8n.rest<{ data: { executionId?: string; waitingForWebhook?: boolean } }>('POST', `/workflows/${workflowId}/run`, {
		workflowId,
		startNodes: [],
		triggerToStartFrom: { name: trigger },
	});
	if (res.status !== 200) throw new Error(`POST /rest/workflows/${workflowId}/run: ${res.status} ${res.text.slice(0, 300)}`);
	return res.json!.data;
}
