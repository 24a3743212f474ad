// Real-n8n harness: runs a genuine n8n (2.41.1 on Node 24, or 1.123.81 on Node 22) headless on
// loopback ports with this package installed from its `npm pack` tarball, the way users install
// community nodes. Used by the end-to-end jest suite (test/e2e) and by `npm start`.
// Plain CommonJS on purpose: it runs on the system Node (20) without a build step; types are in
// harness.d.ts. See docs/real-n8n-harness.md.
//
// Typical use:
//   const tarball = await packPackage();
//   const n8n = await startN8n({ tarball });          // installs the package, starts, owner + API key
//   const cred = await n8n.createCredential({ name: 'Batch', type: 'batchApi', data: {...} });
//   const wf = await n8n.importWorkflow('templates/x.json', { credentials: { batchApi: cred } });
//   await n8n.activate(wf);
//   const url = n8n.webhookUrl(wf);  await n8n.waitForWebhook(url);
//   ... POST to url ...;  const execs = await n8n.waitForExecutions(wf.id, 1);
//   await n8n.stop();
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const http = require('node:http');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');
const { ensureN8n, envForNode, npmCli } = require('./install');
const { sleep, killGroup, alive, tail } = require('./processes');

const ROOT = path.resolve(__dirname, '..', '..');
const RESULTS_DIR = path.join(ROOT, 'test-results');
const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;


/** A free TCP port on 127.0.0.1 (asks the OS for one, then releases it). */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/** Runs a command to completion with a hard time limit; output goes to `logFile` (appended). */
function runLogged(cmd, args, { cwd, env = process.env, timeoutMs = 5 * 60_000, logFile }) {
	return new Promise((resolve, reject) => {
		fs.mkdirSync(path.dirname(logFile), { recursive: true });
		const fd = fs.openSync(logFile, 'a');
		fs.writeSync(fd, `\n$ ${path.basename(cmd)} ${args.join(' ')}   (cwd ${cwd})\n`);
		let stdout = '';
		const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
		child.stdout.on('data', (d) => {
			stdout += d;
			fs.writeSync(fd, d);
		});
		child.stderr.on('data', (d) => fs.writeSync(fd, d));
		const timer = setTimeout(() => {
			killGroup(child.pid, 'SIGKILL');
			reject(new Error(`${path.basename(cmd)} ${args.join(' ')} timed out after ${timeoutMs / 1000} s (log ${logFile})`));
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			fs.closeSync(fd);
			if (code === 0) resolve(stdout);
			else reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited with ${signal || code} (log ${logFile})`));
		});
	});
}



// ---------------------------------------------------------------------------------------------
// Packaging and installing this package

/**
 * `npm pack` of this repository (as published: package.json `files`) into `outDir`
 * (default test-results/pack). Builds first when dist/ is missing. Returns the tarball path.
 */
async function packPackage({ outDir = path.join(RESULTS_DIR, 'pack'), build = 'ifMissing' } = {}) {
	const logFile = path.join(RESULTS_DIR, 'pack.log');
	const distReady = fs.existsSync(path.join(ROOT, 'dist', 'nodes')) && fs.existsSync(path.join(ROOT, 'dist', 'credentials'));
	if (build === 'always' || (build === 'ifMissing' && !distReady)) {
		await runLogged(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, logFile, timeoutMs: 5 * 60_000 });
	}
	fs.rmSync(outDir, { recursive: true, force: true });
	fs.mkdirSync(outDir, { recursive: true });
	// --ignore-scripts: dist/ is built above; prepack would rebuild it for nothing.
	const out = await runLogged(process.execPath, [npmCli(), 'pack', '--ignore-scripts', '--json', '--pack-destination', outDir], {
		cwd: ROOT,
		logFile,
		timeoutMs: 2 * 60_000,
	});
	const info = JSON.parse(out.slice(out.indexOf('[')));
	// Every file package.json points at must be in the tarball (catches a dist/ half rebuilt by
	// a concurrent build in a shared work tree).
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	const packed = new Set(info[0].files.map((f) => f.path));
	const wanted = [...((pkg.n8n && pkg.n8n.nodes) || []), ...((pkg.n8n && pkg.n8n.credentials) || []), ...Object.values(pkg.bin || {})];
	const missing = wanted.filter((f) => !packed.has(f.replace(/^\.\//, '')));
	if (missing.length) throw new Error(`npm pack: the tarball lacks ${missing.join(', ')} (is dist/ built? another build running?)`);
	return path.join(outDir, info[0].filename);
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes` the way a user installs a community
 * package by hand (n8n's docs): a package.json in that folder, then a plain `npm install <tarball>`.
 * No peer-dependency flag on purpose: the package declares its `n8n-workflow` peer optional, so npm
 * must not install a second copy next to it (n8n puts its own node_modules on NODE_PATH; a closer
 * copy would break `instanceof NodeApiError`). The e2e suite checks that. Runtime dependencies
 * (undici) come from the npm registry. Options: `legacyPeerDeps: true` adds --legacy-peer-deps.
 * Returns { nodesDir, packageDir, installed: names under nodes/node_modules }.
 */
async function installPackage(userFolder, tarball, { logFile = path.join(RESULTS_DIR, 'install-package.log'), nodeHome, legacyPeerDeps = false } = {}) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	const pkgJson = path.join(nodesDir, 'package.json');
	if (!fs.existsSync(pkgJson)) fs.writeFileSync(pkgJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	const env = nodeHome ? envForNode(nodeHome) : { ...process.env };
	// The repository's .npmrc does not apply here (other folder), but env from `npm run` might.
	delete env.npm_config_ignore_scripts;
	await runLogged(
		nodeHome ? path.join(nodeHome, 'bin', 'node') : process.execPath,
		[npmCli(), 'install', path.resolve(tarball), ...(legacyPeerDeps ? ['--legacy-peer-deps'] : []), '--no-audit', '--no-fund', '--loglevel=warn'],
		{ cwd: nodesDir, env, logFile, timeoutMs: 5 * 60_000 },
	);
	const nm = path.join(nodesDir, 'node_modules');
	const installed = fs
		.readdirSync(nm)
		.filter((n) => !n.startsWith('.'))
		.flatMap((n) => (n.startsWith('@') ? fs.readdirSync(path.join(nm, n)).map((s) => `${n}/${s}`) : [n]));
	return { nodesDir, packageDir: path.join(nm, PACKAGE_NAME), installed };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers (loopback only)

/**
 * One HTTP request to a loopback URL, without keep-alive (no socket outlives the call, so jest
 * and `npm start` exit promptly). `body`: an object (sent as JSON), a string or a Buffer (sent
 * as is). Resolves { status, headers (a Headers), text, json }.
 */
function httpJson(method, url, { headers = {}, body, timeoutMs = 30_000 } = {}) {
	const u = new URL(url);
	if (!['127.0.0.1', 'localhost'].includes(u.hostname)) return Promise.reject(new Error(`harness only talks to loopback, not ${u.hostname}`));
	const raw = body === undefined ? undefined : Buffer.isBuffer(body) || typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
	const hdrs = { accept: 'application/json', ...(raw ? { 'content-type': 'application/json', 'content-length': String(raw.length) } : {}), ...headers };
	return new Promise((resolve, reject) => {
		const req = http.request(u, { method, headers: hdrs, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				clearTimeout(timer);
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				const h = new Headers();
				for (const [k, v] of Object.entries(res.headers)) {
					if (Array.isArray(v)) for (const x of v) h.append(k, x);
					else if (v !== undefined) h.set(k, String(v));
				}
				resolve({ status: res.statusCode, headers: h, text, json });
			});
		});
		const timer = setTimeout(() => req.destroy(new Error(`${method} ${u.pathname} timed out after ${timeoutMs / 1000} s`)), timeoutMs);
		req.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		req.end(raw);
	});
}

function check(res, what) {
	if (res.status >= 200 && res.status < 300) return res.json;
	throw new Error(`${what} failed: HTTP ${res.status} ${res.text.slice(0, 500)}`);
}

// ---------------------------------------------------------------------------------------------
// The n8n process

const DEFAULT_OWNER = Object.freeze({
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Demo-Passw0rd!',
});

const running = new Set();
let exitHookInstalled = false;
function installExitHook() {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	// Last resort when the owning process dies without calling stop(): never leave n8n behind.
	process.on('exit', () => {
		for (const inst of running) if (inst.owned && inst.pid) killGroup(inst.pid, 'SIGKILL');
	});
}

/** Scopes the harness asks for when the server cannot list them (n8n 1.x, 2.x all know these). */
const FALLBACK_SCOPES = [
	'workflow:create',
	'workflow:read',
	'workflow:update',
	'workflow:delete',
	'workflow:list',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'execution:delete',
	'credential:create',
	'credential:delete',
];

/**
 * The webhook declarations of a package's nodes, read from the package **as n8n has it installed**
 * (`packageDir`), loaded in a child process on n8n's Node with n8n's node_modules on NODE_PATH (as
 * n8n itself loads them). Without an installed package, from the repository's dist/. Returns
 * { <node name>: { path, isFullPath, method } }. Bounded in time; callers cache the result.
 */
function readWebhookDescriptions({ packageDir, install } = {}) {
	const dir = packageDir || ROOT;
	const script = `
		const path = require('node:path');
		const dir = ${JSON.stringify(dir)};
		const pkg = require(path.join(dir, 'package.json'));
		const out = {};
		for (const f of (pkg.n8n && pkg.n8n.nodes) || []) {
			let mod;
			try { mod = require(path.join(dir, f)); } catch (e) { continue; }
			for (const Cls of Object.values(mod)) {
				if (typeof Cls !== 'function') continue;
				let inst;
				try { inst = new Cls(); } catch { continue; }
				let d = inst.description;
				if (inst.nodeVersions && inst.currentVersion !== undefined && inst.nodeVersions[inst.currentVersion]) d = inst.nodeVersions[inst.currentVersion].description;
				if (!d || !Array.isArray(d.webhooks) || !d.webhooks.length) continue;
				const w = d.webhooks.find((x) => x.name === 'default') || d.webhooks[0];
				out[d.name] = { path: w.path, isFullPath: !!w.isFullPath, method: w.httpMethod || 'POST' };
			}
		}
		process.stdout.write(JSON.stringify(out));`;
	const nm = install && path.join(install.n8nDir, 'node_modules');
	const r = spawnSync(install && packageDir ? install.nodeBin : process.execPath, ['-e', script], {
		cwd: os.tmpdir(),
		env: { PATH: process.env.PATH || '', ...(nm && packageDir ? { NODE_PATH: [path.join(nm, 'n8n', 'node_modules'), nm].join(path.delimiter) } : {}) },
		encoding: 'utf8',
		timeout: 60_000,
		// From the repository, n8n-workflow resolves from its own node_modules.
	});
	if (r.status !== 0) throw new Error(`reading the webhook declarations of ${dir} failed: ${(r.stderr || r.error || '').toString().slice(0, 500)}`);
	return JSON.parse(r.stdout);
}

class N8n {
	constructor(props) {
		Object.assign(this, props);
		this.cookie = undefined;
		this.apiKey = props.apiKey;
		this.browserId = props.browserId || crypto.randomUUID();
	}

	/** Public API call (`/api/v1/...`) with the API key. Returns { status, json, text }. */
	api(method, p, body, opts = {}) {
		return httpJson(method, `${this.baseUrl}/api/v1${p}`, { ...opts, headers: { 'X-N8N-API-KEY': this.apiKey, ...(opts.headers || {}) }, body });
	}

	/** Internal REST call (`/rest/...`) with the owner's session cookie. */
	rest(method, p, body, opts = {}) {
		const headers = { 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}), ...(opts.headers || {}) };
		return httpJson(method, `${this.baseUrl}/rest${p}`, { ...opts, headers, body });
	}

	/** Creates the owner (first start only), logs in and creates an API key with every scope offered. */
	async setupOwner(owner = this.owner) {
		this.owner = owner;
		const setup = await this.rest('POST', '/owner/setup', owner);
		if (setup.status >= 300) {
			// Owner already exists (persistent user folder): log in instead.
			const login = await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
			check(login, 'login');
			this.cookie = cookieFrom(login.headers);
		} else {
			this.cookie = cookieFrom(setup.headers);
		}
		if (!this.cookie) throw new Error('n8n set no auth cookie on owner setup/login');
		if (setup.status >= 300) {
			// A persistent user folder: drop the keys earlier runs of the harness created.
			const keys = await this.rest('GET', '/api-keys');
			const d = keys.json && keys.json.data;
			const list = Array.isArray(d) ? d : (d && Array.isArray(d.items) ? d.items : []);
			for (const k of list) {
				if (typeof k.label === 'string' && k.label.startsWith('harness-')) await this.rest('DELETE', `/api-keys/${k.id}`);
			}
		}
		const scopesRes = await this.rest('GET', '/api-keys/scopes');
		const scopes = scopesRes.status === 200 && Array.isArray(scopesRes.json && scopesRes.json.data) ? scopesRes.json.data : FALLBACK_SCOPES;
		const created = check(
			await this.rest('POST', '/api-keys', { label: `harness-${Date.now()}`, expiresAt: null, scopes }),
			'creating an API key',
		);
		this.apiKey = created.data.rawApiKey || created.data.apiKey;
		if (!this.apiKey) throw new Error('n8n returned no API key');
		return this;
	}

	/** POST /api/v1/credentials. Returns { id, name, type }. */
	async createCredential({ name, type, data }) {
		let res = await this.api('POST', '/credentials', { name, type, data });
		if (res.status === 400 && /allowedDomains/.test(res.text) && data.allowedHttpRequestDomains === undefined) {
			// n8n 1.x adds "Allowed HTTP Request Domains" fields to credentials with an `authenticate`
			// block, and its public API schema then requires allowedDomains unless that field is set.
			res = await this.api('POST', '/credentials', { name, type, data: { ...data, allowedHttpRequestDomains: 'all' } });
		}
		const c = check(res, `creating credential ${name} (${type})`);
		return { id: String(c.id), name: c.name, type: c.type };
	}

	/** PATCH /api/v1/credentials/<id> (n8n 2.x): e.g. a new baseUrl for the Batch credential. */
	async updateCredential(id, { name, type, data }) {
		const c = check(await this.api('PATCH', `/credentials/${id}`, { name, type, data }), `updating credential ${id}`);
		return { id: String(c.id), name: c.name, type: c.type };
	}

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

	/** Stops n8n (SIGTERM to its process group, SIGKILL after `timeoutMs`); removes a temporary user folder. */
	async stop({ timeoutMs = 15_000 } = {}) {
		if (!this.owned) return;
		const pid = this.pid;
		if (pid && alive(pid)) {
			killGroup(pid, 'SIGTERM');
			const deadline = Date.now() + timeoutMs;
			while (alive(pid) && Date.now() < deadline) await sleep(200);
			if (alive(pid)) killGroup(pid, 'SIGKILL');
			// Also the task-runner child and anything else in the group.
			killGroup(pid, 'SIGKILL');
			const hardDeadline = Date.now() + 5000;
			while (alive(pid) && Date.now() < hardDeadline) await sleep(100);
		}
		if (this.exitPromise) {
			let timer;
			await Promise.race([this.exitPromise, new Promise((r) => (timer = setTimeout(r, 5000)))]);
			clearTimeout(timer);
		}
		running.delete(this);
		this.pid = undefined;
		if (this.tempUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** Restarts the same n8n (same user folder, ports and owner), e.g. after installing a package. */
	async restart() {
		await this.stop({});
		const keep = this.tempUserFolder;
		this.tempUserFolder = false;
		await spawnN8n(this);
		this.tempUserFolder = keep;
		return this;
	}

	/**
	 * Runs an n8n CLI command (`import:workflow`, `publish:workflow`, `update:workflow`, …) on this
	 * instance's user folder and database, with the server's environment; also from a connectN8n()
	 * client. Resolves its stdout; rejects on a non-zero exit or after `timeoutMs`. Output is appended
	 * to the n8n log. n8n reads the workflow tables at start: stop/restart the server around commands
	 * that change what is active.
	 */
	async cli(args, { timeoutMs = 120_000 } = {}) {
		const env = this.env || n8nEnv(this, this.extraEnv || {});
		return runLogged(this.install.nodeBin, [this.install.n8nBin, ...args], {
			cwd: this.userFolder,
			env,
			logFile: this.logFile,
			timeoutMs,
		});
	}

	/** What other processes need to reach this instance (see connectN8n). */
	toJSON() {
		return {
			baseUrl: this.baseUrl,
			port: this.port,
			brokerPort: this.brokerPort,
			pid: this.pid,
			userFolder: this.userFolder,
			logFile: this.logFile,
			target: this.target,
			n8nVersion: this.n8nVersion,
			apiKey: this.apiKey,
			owner: this.owner,
			packageInstall: this.packageInstall,
			install: this.install,
		};
	}
}

function cookieFrom(headers) {
	const list = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie')].filter(Boolean);
	const auth = list.map((c) => c.split(';')[0]).filter((c) => c.startsWith('n8n-auth='));
	return auth.length ? auth.join('; ') : undefined;
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

function n8nEnv(inst, extraEnv) {
	const base = `http://127.0.0.1:${inst.port}`;
	const env = {
		...envForNode(inst.install.nodeHome),
		N8N_USER_FOLDER: inst.userFolder,
		N8N_PORT: String(inst.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_WEBHOOK_URL: `${base}/`,
		WEBHOOK_URL: `${base}/`, // 1.x reads only this one
		N8N_EDITOR_BASE_URL: `${base}/`,
		N8N_RUNNERS_BROKER_PORT: String(inst.brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_SQLITE_POOL_SIZE: '2',
		N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
		...extraEnv,
	};
	// 2.x only: 1.x refuses to start with an unknown module name.
	if (inst.install.nodeMajor >= 24 && !inst.n8nVersion.startsWith('1.')) env.N8N_DISABLED_MODULES = env.N8N_DISABLED_MODULES || 'mcp-registry';
	delete env.NODE_OPTIONS; // jest / ts-node hooks must not leak into n8n
	if (extraEnv.NODE_OPTIONS) env.NODE_OPTIONS = extraEnv.NODE_OPTIONS; // asked for explicitly (expressionEngineCounterEnv)
	delete env.NODE_ENV; // jest sets "test", which makes n8n refuse to load nodes ("Not available in tests")
	delete env.NODE_PATH;
	for (const k of Object.keys(env)) if (k.startsWith('JEST_') || k === 'npm_lifecycle_script') delete env[k];
	return env;
}

// n8n is ready in 8-10 s on an idle machine; on a loaded 2-core machine (several suites at once) it
// has taken over 2 minutes. The wait is a bound, not a target: a healthy start returns as soon as ready.
const DEFAULT_READINESS_TIMEOUT_MS = Number(process.env.E2E_N8N_READINESS_TIMEOUT_MS) || 300_000;

async function spawnN8n(inst, { readinessTimeoutMs = DEFAULT_READINESS_TIMEOUT_MS } = {}) {
	inst.env = n8nEnv(inst, inst.extraEnv);
	fs.mkdirSync(path.dirname(inst.logFile), { recursive: true });
	const fd = fs.openSync(inst.logFile, 'a');
	fs.writeSync(fd, `\n=== ${new Date().toISOString()} starting n8n ${inst.n8nVersion} on ${inst.baseUrl} (user folder ${inst.userFolder})\n`);
	const child = spawn(inst.install.nodeBin, [inst.install.n8nBin, 'start'], {
		cwd: inst.userFolder,
		env: inst.env,
		stdio: ['ignore', fd, fd],
		detached: true, // own process group: stop() kills n8n and its task runner together
	});
	fs.closeSync(fd);
	inst.pid = child.pid;
	inst.owned = true;
	running.add(inst);
	installExitHook();
	let exited = false;
	inst.exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
		exited = { code, signal };
		resolve(exited);
	}));
	child.unref();
	const deadline = Date.now() + readinessTimeoutMs;
	while (Date.now() < deadline) {
		if (exited) throw new Error(`n8n exited during start-up (${JSON.stringify(exited)}); log: ${inst.logFile}\n${tail(inst.logFile)}`);
		try {
			const r = await httpJson('GET', `${inst.baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
			// n8n 1.x reports ready before its REST controllers and public API are mounted: wait
			// for both too (an unmounted route answers Express' 404 "Cannot GET").
			if (r.status === 200) {
				const settings = await httpJson('GET', `${inst.baseUrl}/rest/settings`, { timeoutMs: 2000 });
				const api = await httpJson('GET', `${inst.baseUrl}/api/v1/workflows`, { timeoutMs: 2000 });
				if (settings.status === 200 && api.status !== 404) return inst;
			}
		} catch {
			/* not listening yet */
		}
		await sleep(250);
	}
	await inst.stop();
	throw new Error(`n8n not ready after ${readinessTimeoutMs / 1000} s; log: ${inst.logFile}\n${tail(inst.logFile)}`);
}


/**
 * Starts a real n8n headless. Options:
 *  - target: 'n8n2' (2.41.1 on Node 24, default) | 'n8n1' (1.123.81 on Node 22); installed into
 *    the cache on first use;
 *  - tarball: a package tarball to install into the user folder before start (see installPackage);
 *  - userFolder: N8N_USER_FOLDER (default: a new temporary folder, removed by stop());
 *  - port, brokerPort: default free loopback ports;
 *  - logFile: n8n's output (default test-results/n8n-<version>-<port>.log);
 *  - env: extra environment for n8n;
 *  - owner: { email, password, firstName, lastName } (default DEFAULT_OWNER); setupOwner: false to skip
 *    owner/login/API key.
 * Resolves once /healthz/readiness answers 200 and the owner's API key exists.
 */
async function startN8n(opts = {}) {
	const target = opts.target || 'n8n2';
	const install = await ensureN8n(target);
	const tempUserFolder = !opts.userFolder;
	const userFolder = opts.userFolder || fs.mkdtempSync(path.join(os.tmpdir(), `n8n-e2e-${install.n8nVersion}-`));
	fs.mkdirSync(userFolder, { recursive: true });
	const port = opts.port || (await freePort());
	let brokerPort = opts.brokerPort || (await freePort());
	while (brokerPort === port) brokerPort = await freePort();
	const inst = new N8n({
		target,
		install,
		n8nVersion: install.n8nVersion,
		userFolder,
		tempUserFolder,
		port,
		brokerPort,
		baseUrl: `http://127.0.0.1:${port}`,
		logFile: opts.logFile || path.join(RESULTS_DIR, `n8n-${install.n8nVersion}-${port}.log`),
		extraEnv: opts.env || {},
		owner: opts.owner || { ...DEFAULT_OWNER },
	});
	try {
		if (opts.tarball) inst.packageInstall = await installPackage(userFolder, opts.tarball, { nodeHome: install.nodeHome, logFile: inst.logFile });
		await spawnN8n(inst, { readinessTimeoutMs: opts.readinessTimeoutMs || DEFAULT_READINESS_TIMEOUT_MS });
		if (opts.setupOwner !== false) await inst.setupOwner(inst.owner);
	} catch (e) {
		await inst.stop().catch(() => {});
		throw e;
	}
	return inst;
}

/** A client for an n8n started by another process (e.g. jest's globalSetup); stop() is a no-op. */
function connectN8n(state) {
	const s = typeof state === 'string' ? JSON.parse(fs.readFileSync(state, 'utf8')) : state;
	return new N8n({ ...s, owned: false });
}

/**
 * Environment that loads scripts/n8n/expressionEngineCounter.js into n8n (and its task runner): it
 * counts expression evaluations, isolate acquisitions and isolates built into `<dir>/<pid>.json`.
 */
function expressionEngineCounterEnv(dir) {
	fs.mkdirSync(dir, { recursive: true });
	return { NODE_OPTIONS: `--require ${path.join(__dirname, 'expressionEngineCounter.js')}`, ENGINE_COUNTER_DIR: dir };
}

/**
 * The counts of one process (n8n main: its pid) as last written, or undefined before the first write.
 * The counter writes at most every 100 ms: read after n8n has answered and gone quiet.
 */
function readEngineCounts(dir, pid) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, `${pid}.json`), 'utf8'));
	} catch {
		return undefined;
	}
}

/** Stops every n8n this process started (for teardown paths). */
async function stopAll() {
	await Promise.all([...running].map((i) => i.stop().catch(() => {})));
}

module.exports = {
	ROOT,
	RESULTS_DIR,
	PACKAGE_NAME,
	DEFAULT_OWNER,
	freePort,
	packPackage,
	installPackage,
	startN8n,
	connectN8n,
	stopAll,
	ensureN8n,
	httpJson,
	killGroup,
	expressionEngineCounterEnv,
	readEngineCounts,
	N8n,
};
