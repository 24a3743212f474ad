'use strict';
// Workflows on a running n8n: import (with credentials and fresh webhook ids), activation, webhook
// URLs and their registration, executions (list, read, wait for). Extends the REST client.
const fs = require('node:fs');
const crypto = require('node:crypto');
const { sleep } = require('./processes');
const { httpJson, check } = require('./http');
const { PACKAGE_NAME } = require('./paths');
const { readWebhookDescriptions } = require('./webhookDescriptions');
const { N8nRestClient } = require('./n8nRestClient');

class N8nWorkflows extends N8nRestClient {
	/** Workflows of this n8n (all pages), optionally only those named `name`. */
	async listWorkflows({ name } = {}) {
		const all = [];
		let cursor;
		for (let page = 0; page < 100; page++) {
			const q = new URLSearchParams({ limit: '250' });
			if (name) q.set('name', name);
			if (cursor) q.set('cursor', cursor);
			const res = check(await this.api('GET', `/workflows?${q}`), 'listing workflows');
			all.push(...res.data);
			cursor = res.nextCursor;
			if (!cursor) break;
		}
		return name ? all.filter((w) => w.name === name) : all;
	}

	async getWorkflow(id) {
		return check(await this.api('GET', `/workflows/${id}`), `reading workflow ${id}`);
	}

	/**
	 * Creates a workflow from a file path or an object (an n8n workflow export). Options:
	 *  - credentials: { <credential type>: { id, name } } replaces every node's reference to that
	 *    credential type, and adds one to this package's nodes that have none;
	 *  - name: workflow name (default: the file's);
	 *  - freshWebhookIds (default true): give every webhook node a new webhookId, so the same
	 *    template can be imported twice into one n8n without path clashes.
	 * Returns the created workflow as n8n returns it (id, nodes with webhookIds, ...).
	 */
	async importWorkflow(fileOrObject, { credentials = {}, name, freshWebhookIds = true } = {}) {
		const wf = typeof fileOrObject === 'string' ? JSON.parse(fs.readFileSync(fileOrObject, 'utf8')) : structuredClone(fileOrObject);
		const nodes = (wf.nodes || []).map((n) => {
			const node = { ...n };
			if (!node.id) node.id = crypto.randomUUID();
			const isWebhookNode = node.webhookId !== undefined || /trigger$/i.test(node.type) || node.type === 'n8n-nodes-base.webhook';
			if (isWebhookNode && (freshWebhookIds || !node.webhookId)) {
				// n8n-nodes-base.webhook keeps its path parameter; only community/other triggers use the id in the URL.
				node.webhookId = crypto.randomUUID();
			}
			const creds = { ...(node.credentials || {}) };
			for (const [type, ref] of Object.entries(credentials)) {
				if (!ref) continue;
				const isOwnNode = node.type === `${PACKAGE_NAME}.purchaselyTrigger` ? type === 'purchaselyWebhookApi' : node.type === `${PACKAGE_NAME}.batch` || node.type === `${PACKAGE_NAME}.batchTool` ? type === 'batchApi' : false;
				if (creds[type] || isOwnNode) creds[type] = { id: String(ref.id), name: ref.name };
			}
			if (Object.keys(creds).length) node.credentials = creds;
			return node;
		});
		const body = {
			name: name || wf.name || `workflow ${Date.now()}`,
			nodes,
			connections: wf.connections || {},
			settings: pickSettings(wf.settings),
		};
		if (wf.staticData) body.staticData = wf.staticData;
		const created = check(await this.api('POST', '/workflows', body), `creating workflow ${body.name}`);
		return created;
	}

	/** Activates (2.x: publishes) a workflow by id or object. Webhook registration follows asynchronously: see waitForWebhook. */
	async activate(workflowOrId) {
		const id = typeof workflowOrId === 'object' ? workflowOrId.id : workflowOrId;
		return check(await this.api('POST', `/workflows/${id}/activate`), `activating workflow ${id}`);
	}

	async deactivate(workflowOrId) {
		const id = typeof workflowOrId === 'object' ? workflowOrId.id : workflowOrId;
		return check(await this.api('POST', `/workflows/${id}/deactivate`), `deactivating workflow ${id}`);
	}

	/**
	 * Production webhook URL of a trigger node of `workflow` (the first webhook-capable node, or
	 * the one named `nodeName`). For this package's trigger: /webhook/<webhookId>/<path>; for
	 * n8n's Webhook node: /webhook/<path parameter>.
	 */
	webhookUrl(workflow, nodeName) {
		const nodes = workflow.nodes || [];
		const node = nodeName ? nodes.find((n) => n.name === nodeName) : nodes.find((n) => n.webhookId || n.type === 'n8n-nodes-base.webhook');
		if (!node) throw new Error(`no webhook node ${nodeName || ''} in workflow ${workflow.name}`);
		if (node.type === 'n8n-nodes-base.webhook') {
			const p = (node.parameters && node.parameters.path) || node.webhookId;
			return `${this.baseUrl}/webhook/${String(p).replace(/^\//, '')}`;
		}
		if (!this.webhookDescriptions) {
			this.webhookDescriptions = readWebhookDescriptions({
				packageDir: this.packageInstall && this.packageInstall.packageDir,
				install: this.install,
			});
		}
		const desc = node.type.startsWith(`${PACKAGE_NAME}.`) ? this.webhookDescriptions[node.type.split('.').pop()] : undefined;
		if (!desc) throw new Error(`cannot tell the webhook path of node type ${node.type}`);
		if (desc.isFullPath) return `${this.baseUrl}/webhook/${desc.path}`;
		return `${this.baseUrl}/webhook/${node.webhookId}/${desc.path}`;
	}

	/**
	 * Waits until n8n serves the (POST-only) webhook: polls with GET, which n8n answers with
	 * "…not registered…" (404) until registration, then with a method hint; starts no execution.
	 */
	async waitForWebhook(url, { timeoutMs = 60_000 } = {}) {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < deadline) {
			try {
				const r = await httpJson('GET', url, { timeoutMs: 5000 });
				last = `${r.status} ${r.text.slice(0, 200)}`;
				const notRegistered = r.status === 404 && /not registered/i.test(r.text) && !/did you mean/i.test(r.text);
				if (!notRegistered) return;
			} catch (e) {
				last = String(e.message);
			}
			await sleep(250);
		}
		throw new Error(`webhook ${url} not registered after ${timeoutMs / 1000} s (last answer: ${last})`);
	}

	/** Every execution (all pages) of the public API, optionally of one workflow / status. */
	async listExecutions({ workflowId, status, includeData = false } = {}) {
		const all = [];
		let cursor;
		for (let page = 0; page < 100; page++) {
			const q = new URLSearchParams({ limit: '250' });
			if (workflowId) q.set('workflowId', String(workflowId));
			if (status) q.set('status', status);
			if (includeData) q.set('includeData', 'true');
			if (cursor) q.set('cursor', cursor);
			const res = check(await this.api('GET', `/executions?${q}`), 'listing executions');
			all.push(...res.data);
			cursor = res.nextCursor;
			if (!cursor) break;
		}
		return all;
	}

	async getExecution(id, { includeData = true } = {}) {
		return check(await this.api('GET', `/executions/${id}?includeData=${includeData}`), `reading execution ${id}`);
	}

	/**
	 * Polls until `workflowId` has at least `count` finished executions (no running/new/waiting
	 * one left); returns them, newest first. Bounded by timeoutMs.
	 */
	async waitForExecutions(workflowId, count, { timeoutMs = 60_000, includeData = false } = {}) {
		const deadline = Date.now() + timeoutMs;
		let execs = [];
		while (Date.now() < deadline) {
			execs = await this.listExecutions({ workflowId, includeData });
			const done = execs.filter((e) => !['running', 'new', 'waiting'].includes(e.status) && e.stoppedAt);
			if (done.length >= count && done.length === execs.length) return execs;
			await sleep(300);
		}
		throw new Error(`workflow ${workflowId}: expected ${count} finished executions, have ${JSON.stringify(execs.map((e) => e.status))}`);
	}
}

const SETTINGS_KEYS = [
	'saveExecutionProgress',
	'saveManualExecutions',
	'saveDataErrorExecution',
	'saveDataSuccessExecution',
	'executionTimeout',
	'errorWorkflow',
	'timezone',
	'executionOrder',
	'callerPolicy',
];
function pickSettings(settings) {
	const out = {};
	for (const k of SETTINGS_KEYS) if (settings && settings[k] !== undefined) out[k] = settings[k];
	if (!out.executionOrder) out.executionOrder = 'v1';
	return out;
}

module.exports = { N8nWorkflows };
