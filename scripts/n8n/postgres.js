// A throw-away PostgreSQL server for n8n's queue mode on Postgres (tests only): Debian's
// PostgreSQL binaries (initdb, postgres, createdb; /usr/lib/postgresql/<major>/bin), a fresh data
// directory in a temporary folder, listening on a free 127.0.0.1 port only (no Unix socket outside
// that folder), one role with a random password (scram-sha-256 over TCP), one database. Started in
// its own process group, stopped by PID, the folder removed. Plain CommonJS on the system Node, like
// redis.js. Used by test/e2e/queue-postgres.test.ts (startQueueMode({database: 'postgres'})); see docs/RELIABILITY.md.
//
// PostgreSQL refuses to run as root (CI runs as root): then the server runs as an unprivileged
// system user — `postgres` (created by Debian's package) if it exists, else `nobody` — which owns
// the temporary folder; Node's spawn() switches uid/gid, no sudo/su needed.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { RESULTS_DIR } = require('./paths');
const { freePort, runBounded, runLogged, spawnServer, waitUntil, stopProcess } = require('./processes');

// The environment of every PostgreSQL binary: a plain PATH and a UTF-8 locale, nothing else.
const TOOL_ENV = { PATH: process.env.PATH || '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' };

/** Directory holding initdb / postgres / createdb (newest Debian major first, then PATH), or undefined. */
function findPostgresBin() {
	const has = (d) => ['initdb', 'postgres', 'createdb', 'pg_isready'].every((b) => {
		try {
			fs.accessSync(path.join(d, b), fs.constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
	const debian = '/usr/lib/postgresql';
	let majors = [];
	try {
		majors = fs.readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
	} catch {
		/* not Debian's layout */
	}
	const dirs = [...majors.map((m) => path.join(debian, m, 'bin')), ...(process.env.PATH || '').split(path.delimiter).filter(Boolean)];
	return dirs.find(has);
}

/** The uid/gid the server runs as: ourselves unless we are root, then `postgres` or `nobody`. */
function serverUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
	for (const name of ['postgres', 'nobody']) {
		const r = spawnSync('id', ['-u', name], { encoding: 'utf8', timeout: 5000 });
		const g = spawnSync('id', ['-g', name], { encoding: 'utf8', timeout: 5000 });
		if (r.status === 0 && g.status === 0) return { name, uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
	}
	throw new Error('running as root and neither a "postgres" nor a "nobody" user exists: PostgreSQL refuses to run as root');
}

/** Why Postgres cannot be had here (a sentence), or undefined when it can. */
function postgresUnavailableReason() {
	if (!findPostgresBin()) return 'PostgreSQL is not installed (Debian: apt-get install -y postgresql; .ci/run installs it)';
	try {
		serverUser();
	} catch (e) {
		return e.message;
	}
	return undefined;
}

/** Runs a PostgreSQL tool to completion, bounded in time; output appended to `logFile`. */
function runTool(bin, args, { user, env, logFile, timeoutMs = 60_000 }) {
	return runLogged(bin, args, {
		env: { ...TOOL_ENV, ...env },
		cwd: os.tmpdir(),
		logFile,
		timeoutMs,
		...(user ? { uid: user.uid, gid: user.gid } : {}),
	});
}

/**
 * Starts PostgreSQL on a free 127.0.0.1 port with a fresh cluster and database. Options:
 * database (default 'n8n'), user (role name, default 'n8n'), logFile, readinessTimeoutMs, settings
 * (extra `-c name=value` server settings). Resolves { host, port, database, user, password, pid,
 * logFile, dataDir, runAs, env (n8n's DB_* variables), stop() }. Rejects (after cleaning up) when
 * PostgreSQL is not installed, cannot run here, or is not ready in time. The password never goes
 * to argv or a log: initdb reads it from a 0600 file in the temporary folder.
 */
async function startPostgres({ database = 'n8n', user = 'n8n', logFile, readinessTimeoutMs = 60_000, settings = {} } = {}) {
	const bin = findPostgresBin();
	if (!bin) throw new Error('PostgreSQL is not installed (Debian: apt-get install -y postgresql)');
	const runAs = serverUser();
	const port = await freePort();
	logFile = logFile || path.join(RESULTS_DIR, `postgres-${port}.log`);
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	fs.writeFileSync(logFile, '');
	if (runAs) fs.chownSync(logFile, runAs.uid, runAs.gid);
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'postgres-e2e-'));
	const dataDir = path.join(root, 'data');
	const socketDir = path.join(root, 'socket');
	fs.mkdirSync(socketDir);
	const password = crypto.randomBytes(18).toString('base64url');
	const pwFile = path.join(root, 'pw');
	fs.writeFileSync(pwFile, password, { mode: 0o600 });
	if (runAs) for (const p of [root, socketDir, pwFile]) fs.chownSync(p, runAs.uid, runAs.gid);

	const inst = {
		host: '127.0.0.1',
		port,
		database,
		user,
		password,
		pid: undefined,
		logFile,
		dataDir,
		runAs: runAs ? runAs.name : os.userInfo().username,
		env: {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(port),
			DB_POSTGRESDB_DATABASE: database,
			DB_POSTGRESDB_USER: user,
			DB_POSTGRESDB_PASSWORD: password,
		},
		async stop({ timeoutMs = 10_000 } = {}) {
			// SIGINT = PostgreSQL's "fast" shutdown (rolls back open transactions, exits cleanly).
			await stopProcess(inst, { signal: 'SIGINT', timeoutMs });
			fs.rmSync(root, { recursive: true, force: true });
		},
	};
	try {
		// -A scram-sha-256: every connection needs the password (TCP and socket alike).
		await runTool(
			path.join(bin, 'initdb'),
			['-D', dataDir, '-U', user, `--pwfile=${pwFile}`, '-A', 'scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'],
			{ user: runAs, logFile, timeoutMs: 120_000 },
		);
		fs.rmSync(pwFile, { force: true });
		const conf = {
			listen_addresses: '127.0.0.1',
			port: String(port),
			unix_socket_directories: socketDir,
			// A test database: no durability needed across a crash (the folder is removed anyway).
			fsync: 'off',
			full_page_writes: 'off',
			max_connections: '100',
			dynamic_shared_memory_type: 'mmap',
			...settings,
		};
		const args = ['-D', dataDir, ...Object.entries(conf).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
		spawnServer(path.join(bin, 'postgres'), args, { cwd: root, logFile, env: TOOL_ENV, ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) }, inst);
		const ready = await waitUntil(
			() => spawnSync(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-t', '2'], { timeout: 5000 }).status === 0,
			{ timeoutMs: readinessTimeoutMs, intervalMs: 200, exited: inst.exited },
		);
		const exited = inst.exited();
		if (!ready) throw new Error(`postgres not ready on port ${port} (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'}); log ${logFile}`);
		await runTool(path.join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', user, database], {
			env: { PGPASSWORD: password },
			logFile,
			timeoutMs: 30_000,
		});
	} catch (e) {
		await inst.stop().catch(() => {});
		throw e;
	}
	return inst;
}

/**
 * One SQL statement through `psql` (same binaries), bounded in time; resolves its rows as arrays of
 * strings (unaligned, tab-separated, no header). For test checks (e.g. reading a data table).
 */
async function psql(pg, sql, { timeoutMs = 30_000 } = {}) {
	const args = ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', pg.database, '-X', '-A', '-t', '-F', '\t', '-v', 'ON_ERROR_STOP=1', '-c', sql];
	const r = await runBounded(path.join(findPostgresBin(), 'psql'), args, {
		env: { PATH: process.env.PATH || '/usr/bin:/bin', PGPASSWORD: pg.password },
		timeoutMs,
		what: 'psql',
	});
	if (r.code !== 0) throw new Error(`psql failed (${r.signal || r.code}): ${r.stderr.slice(0, 1000)}`);
	return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

module.exports = { findPostgresBin, postgresUnavailableReason, startPostgres, psql };
