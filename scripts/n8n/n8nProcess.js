'use strict';
// The n8n process: its environment, start (own process group, free loopback ports, readiness),
// stop, restart and CLI commands; startN8n / connectN8n / stopAll. The class N8n is the whole
// client (REST, workflows) plus this.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n, envForNode } = require('./install');
const { tail, freePort, runLogged, spawnServer, waitUntil, stopProcess } = require('./processes');
const { httpJson } = require('./http');
const { RESULTS_DIR } = require('./paths');
const { installPackage } = require('./packageInstall');
const { DEFAULT_OWNER } = require('./n8nRestClient');
const { N8nWorkflows } = require('./n8nWorkflows');

/** The n8n instances this process started and has not stopped (see stopAll). */
const running = new Set();

class N8n extends N8nWorkflows {
	/** Stops n8n (SIGTERM to its process group, SIGKILL after `timeoutMs`); removes a temporary user folder. */
	async stop({ timeoutMs = 15_000 } = {}) {
		if (!this.owned) return;
		await stopProcess(this, { timeoutMs });
		running.delete(this);
		if (this.tempUserFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** Restarts the same n8n (same user folder, ports and owner), e.g. after installing a package. */
	async restart() {
		// Keep a temporary user folder across the restart: stop() would delete it (and n8n then fails with ENOENT).
		const keep = this.tempUserFolder;
		this.tempUserFolder = false;
		await this.stop({});
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
	// Its own process group: stop() kills n8n and its task runner together.
	spawnServer(
		inst.install.nodeBin,
		[inst.install.n8nBin, 'start'],
		{
			cwd: inst.userFolder,
			env: inst.env,
			logFile: inst.logFile,
			header: `\n=== ${new Date().toISOString()} starting n8n ${inst.n8nVersion} on ${inst.baseUrl} (user folder ${inst.userFolder})\n`,
		},
		inst,
	);
	inst.owned = true;
	running.add(inst);
	const ready = await waitUntil(
		async () => {
			const r = await httpJson('GET', `${inst.baseUrl}/healthz/readiness`, { timeoutMs: 2000 });
			// n8n 1.x reports ready before its REST controllers and public API are mounted: wait
			// for both too (an unmounted route answers Express' 404 "Cannot GET").
			if (r.status !== 200) return false;
			const settings = await httpJson('GET', `${inst.baseUrl}/rest/settings`, { timeoutMs: 2000 });
			const api = await httpJson('GET', `${inst.baseUrl}/api/v1/workflows`, { timeoutMs: 2000 });
			return settings.status === 200 && api.status !== 404;
		},
		{ timeoutMs: readinessTimeoutMs, exited: inst.exited },
	);
	if (ready) return inst;
	const exited = inst.exited();
	if (exited) throw new Error(`n8n exited during start-up (${JSON.stringify(exited)}); log: ${inst.logFile}\n${tail(inst.logFile)}`);
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

/** Stops every n8n this process started (for teardown paths). */
async function stopAll() {
	await Promise.all([...running].map((i) => i.stop().catch(() => {})));
}

module.exports = { N8n, startN8n, connectN8n, stopAll };
