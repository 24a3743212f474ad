// n8n in queue mode (its own way to scale out), for tests: a throw-away redis-server (and, with
// `database: 'postgres'`, a throw-away PostgreSQL, postgres.js), then, on ONE shared N8N_USER_FOLDER
// (one database — SQLite in that folder, or the Postgres one —, one encryption key, the package
// installed there from its tarball), a main `n8n start`, `n8n worker --concurrency=N` processes and an `n8n webhook`
// process, each on its own loopback ports. Composes the harness (n8nProcess.js: startN8n for the main process, its
// environment for the others) without changing it. See docs/real-n8n-harness.md, "Queue mode".
//
//   const q = await startQueueMode({ tarball, workers: 2, concurrency: 5 });
//   ... q.main is a harness N8n (owner, API key, public API); send webhooks to q.webhookUrl(wf) ...
//   q.ranOn(executionId)  // which worker's log says it ran that execution
//   await q.stop();
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureN8n } = require('./install');
const { httpJson } = require('./http');
const { RESULTS_DIR } = require('./paths');
const { startN8n } = require('./n8nProcess');
const { freePort, tail, spawnServer, waitUntil, stopProcess } = require('./processes');
const { startRedis } = require('./redis');
const { startPostgres } = require('./postgres');


/** SIGTERM to a process group, SIGKILL after `timeoutMs`; waits (bounded) for the exit. */
function stopGroup(proc, timeoutMs = 10_000) {
	return stopProcess(proc, { timeoutMs });
}

/**
 * Spawns `n8n <args>` (worker / webhook) with `env`, in its own process group, output to `logFile`;
 * resolves once `readyUrl` answers 200. Rejects (after killing it) if it exits or times out.
 */
async function spawnRole({ role, install, env, args, port, readyUrl, logFile, cwd, readinessTimeoutMs = 120_000 }) {
	const proc = { role, pid: undefined, port, baseUrl: `http://127.0.0.1:${port}`, logFile };
	const header = `\n=== ${new Date().toISOString()} starting n8n ${args.join(' ')} (${role}, port ${port})\n`;
	spawnServer(install.nodeBin, [install.n8nBin, ...args], { cwd, env, logFile, header }, proc);
	const ready = await waitUntil(async () => (await httpJson('GET', readyUrl, { timeoutMs: 2000 })).status === 200, {
		timeoutMs: readinessTimeoutMs,
		exited: proc.exited,
	});
	if (ready) return proc;
	const exited = proc.exited();
	await stopGroup(proc);
	throw new Error(`n8n ${role} ${exited ? `exited during start-up (${JSON.stringify(exited)})` : `not ready after ${readinessTimeoutMs / 1000} s`}; log ${logFile}\n${tail(logFile)}`);
}

/**
 * Starts n8n in queue mode. Options: tarball (the package, installed into the shared user folder),
 * target ('n8n2' default), workers (default 2), concurrency (per worker, default 5), env (extra,
 * for every process), database ('sqlite' default, or 'postgres': a throw-away PostgreSQL started
 * first, DB_TYPE=postgresdb + DB_POSTGRESDB_* for every process). Resolves a QueueMode (see queueMode.d.ts); on any failure stops what it
 * started and rejects.
 */
async function startQueueMode({ tarball, target = 'n8n2', workers = 2, concurrency = 5, env = {}, database = 'sqlite', readinessTimeoutMs = 120_000 } = {}) {
	if (!['sqlite', 'postgres'].includes(database)) throw new Error(`database must be 'sqlite' or 'postgres', not ${database}`);
	const install = await ensureN8n(target);
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-queue-${install.n8nVersion}-`));
	const q = {
		userFolder,
		redis: undefined,
		postgres: undefined,
		main: undefined,
		workers: [],
		webhook: undefined,
		async stop() {
			const procs = [q.webhook, ...q.workers].filter(Boolean);
			await Promise.all([...procs.map((p) => stopGroup(p)), q.main ? q.main.stop({ timeoutMs: 10_000 }).catch(() => {}) : undefined]);
			if (q.redis) await q.redis.stop().catch(() => {});
			if (q.postgres) await q.postgres.stop().catch(() => {});
			fs.rmSync(userFolder, { recursive: true, force: true });
		},
		/** The production URL of a workflow's trigger on the webhook process (not on main). */
		webhookUrl(wf, nodeName) {
			const url = new URL(q.main.webhookUrl(wf, nodeName));
			url.port = String(q.webhook.port);
			return url.toString();
		},
		/** The workers whose log says "Worker started execution <id>" (their roles, e.g. ['worker-1']). */
		ranOn(executionId) {
			const re = new RegExp(`Worker started execution ${executionId} \\(job `);
			return q.workers.filter((w) => re.test(fs.readFileSync(w.logFile, 'utf8'))).map((w) => w.role);
		},
		/** Whether `proc`'s log (main, webhook) says "Enqueued execution <id>". */
		enqueuedBy(executionId) {
			const re = new RegExp(`Enqueued execution ${executionId} \\(job `);
			return [q.main, q.webhook].filter((p) => re.test(fs.readFileSync(p.logFile, 'utf8'))).map((p) => (p === q.main ? 'main' : 'webhook'));
		},
	};
	try {
		const [redis, postgres] = await Promise.allSettled([startRedis({}), database === 'postgres' ? startPostgres({}) : Promise.resolve(undefined)]);
		if (redis.status === 'fulfilled') q.redis = redis.value;
		if (postgres.status === 'fulfilled') q.postgres = postgres.value;
		if (redis.status === 'rejected') throw redis.reason;
		if (postgres.status === 'rejected') throw postgres.reason;
		const queueEnv = {
			...(q.postgres ? q.postgres.env : {}),
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(q.redis.port),
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
			...env,
		};
		const mainPort = await freePort();
		q.main = await startN8n({
			target,
			tarball,
			userFolder,
			port: mainPort,
			env: queueEnv,
			logFile: path.join(RESULTS_DIR, `n8n-queue-main-${mainPort}.log`),
			readinessTimeoutMs,
		});
		q.main.role = 'main';
		// Everything main runs with (its environment as the harness built it: same user folder, same
		// Node, queue settings), with each process's own ports.
		const base = q.main.env;
		const taken = new Set([mainPort, q.main.brokerPort, q.redis.port, ...(q.postgres ? [q.postgres.port] : [])]);
		const port = async () => {
			let p = await freePort();
			while (taken.has(p)) p = await freePort();
			taken.add(p);
			return p;
		};
		const specs = [];
		for (let i = 1; i <= workers; i++) {
			const [p, broker, health] = [await port(), await port(), await port()];
			specs.push({
				role: `worker-${i}`,
				args: ['worker', `--concurrency=${concurrency}`],
				port: health,
				env: { ...base, N8N_PORT: String(p), N8N_RUNNERS_BROKER_PORT: String(broker), QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(health) },
				readyUrl: `http://127.0.0.1:${health}/healthz/readiness`,
			});
		}
		const [wp, wbroker] = [await port(), await port()];
		specs.push({
			role: 'webhook',
			args: ['webhook'],
			port: wp,
			env: { ...base, N8N_PORT: String(wp), N8N_RUNNERS_BROKER_PORT: String(wbroker) },
			readyUrl: `http://127.0.0.1:${wp}/healthz/readiness`,
		});
		const started = await Promise.allSettled(
			specs.map((s) =>
				spawnRole({ ...s, install, cwd: userFolder, readinessTimeoutMs, logFile: path.join(RESULTS_DIR, `n8n-queue-${s.role}-${s.port}.log`) }),
			),
		);
		for (const r of started) if (r.status === 'fulfilled') (r.value.role === 'webhook' ? (q.webhook = r.value) : q.workers.push(r.value));
		const failed = started.find((r) => r.status === 'rejected');
		if (failed) throw failed.reason;
	} catch (e) {
		await q.stop().catch(() => {});
		throw e;
	}
	return q;
}

module.exports = { startQueueMode, stopGroup };
