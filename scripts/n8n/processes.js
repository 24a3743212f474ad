'use strict';
// The process helpers of the real-n8n scripts, in one place (harness, installer, Redis, Postgres,
// queue mode, `npm start`, the benchmarks, the e2e support): free loopback ports, commands run to
// completion with a time limit, long-running servers spawned in their own process group, readiness
// polling, and stopping a process group by PID (SIGTERM, SIGKILL after a timeout), with an exit hook
// so that nothing started here outlives this process. Plain CommonJS on the system Node; types in
// processes.d.ts.
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Signals a whole process group (n8n and its task runner), else the process alone. */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		try {
			process.kill(pid, signal);
			return true;
		} catch {
			return false;
		}
	}
}

/** Whether a process exists (EPERM: it exists but belongs to someone else). */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** The last lines of a log file, for error messages ('' when it cannot be read). */
function tail(file, lines = 30) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

// ---------------------------------------------------------------------------------------------
// Ports

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

/** Whether `port` on 127.0.0.1 can be listened on right now. */
function portIsFree(port) {
	return new Promise((resolve) => {
		const srv = net.createServer();
		srv.once('error', () => resolve(false));
		srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
	});
}

// ---------------------------------------------------------------------------------------------
// Never leave a process behind

const tracked = new Set();
let exitHookInstalled = false;

/**
 * Kills `holder.pid`'s process group (SIGKILL) if this process exits while `holder` is still
 * tracked: the last resort when the owner dies without stopping what it started. The pid is read at
 * exit time, so a holder whose pid was cleared is skipped.
 */
function killOnExit(holder) {
	tracked.add(holder);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const h of tracked) if (h.pid) killGroup(h.pid, 'SIGKILL');
	});
}

/** Stops tracking `holder` (it has been stopped). */
function releaseOnExit(holder) {
	tracked.delete(holder);
}

// ---------------------------------------------------------------------------------------------
// Commands run to completion

/**
 * Runs a command in its own process group to completion, with a hard time limit (SIGKILL to the
 * group, then a rejection). With `logFile`, a `$ command` header, stdout and stderr are appended to
 * it. Options: cwd, env, timeoutMs (default 5 min), logFile, uid/gid. Resolves { code, signal,
 * stdout, stderr } whatever the exit code; rejects when it cannot start or times out.
 */
function runBounded(cmd, args, { cwd, env = process.env, timeoutMs = 5 * 60_000, logFile, uid, gid, what } = {}) {
	const name = what || `${path.basename(cmd)} ${args.join(' ')}`;
	return new Promise((resolve, reject) => {
		let fd;
		if (logFile) {
			fs.mkdirSync(path.dirname(logFile), { recursive: true });
			fd = fs.openSync(logFile, 'a');
			fs.writeSync(fd, `\n$ ${path.basename(cmd)} ${args.join(' ')}${cwd ? `   (cwd ${cwd})` : ''}\n`);
		}
		const closeLog = () => {
			if (fd !== undefined) fs.closeSync(fd);
			fd = undefined;
		};
		let stdout = '';
		let stderr = '';
		const child = spawn(cmd, args, {
			cwd,
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
			...(uid !== undefined ? { uid } : {}),
			...(gid !== undefined ? { gid } : {}),
		});
		const holder = { pid: child.pid };
		if (child.pid) killOnExit(holder);
		child.stdout.on('data', (d) => {
			stdout += d;
			if (fd !== undefined) fs.writeSync(fd, d);
		});
		child.stderr.on('data', (d) => {
			stderr += d;
			if (fd !== undefined) fs.writeSync(fd, d);
		});
		const timer = setTimeout(() => {
			killGroup(child.pid, 'SIGKILL');
			reject(new Error(`${name} timed out after ${timeoutMs / 1000} s${logFile ? ` (log ${logFile})` : ''}`));
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			releaseOnExit(holder);
			closeLog();
			reject(e);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			releaseOnExit(holder);
			closeLog();
			resolve({ code, signal, stdout, stderr });
		});
	});
}

/** runBounded that resolves the command's stdout and rejects on a non-zero exit (naming the log). */
async function runLogged(cmd, args, opts = {}) {
	const r = await runBounded(cmd, args, opts);
	if (r.code === 0) return r.stdout;
	const name = opts.what || `${path.basename(cmd)} ${args.join(' ')}`;
	throw new Error(`${name} exited with ${r.signal || r.code}${opts.logFile ? ` (log ${opts.logFile})` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Long-running servers

/**
 * Spawns a server in its own process group (so stopProcess() takes its children too), output
 * appended to `logFile` (after `header`, when given). Options: cwd, env, logFile, header, uid/gid.
 * Sets on `holder` (returned; the object the caller later passes to stopProcess, tracked by
 * killOnExit): pid, exitPromise (resolves { code, signal }, or { error } when it cannot start) and
 * exited() (that value once it has exited, else false).
 */
function spawnServer(cmd, args, { cwd, env = process.env, logFile, header, uid, gid }, holder = {}) {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const fd = fs.openSync(logFile, 'a');
	if (header) fs.writeSync(fd, header);
	const child = spawn(cmd, args, {
		cwd,
		env,
		stdio: ['ignore', fd, fd],
		detached: true,
		...(uid !== undefined ? { uid } : {}),
		...(gid !== undefined ? { gid } : {}),
	});
	fs.closeSync(fd);
	child.unref();
	let exited = false;
	holder.pid = child.pid;
	holder.exited = () => exited;
	holder.exitPromise = new Promise((resolve) => {
		child.on('exit', (code, signal) => resolve((exited = exited || { code, signal })));
		child.on('error', (e) => resolve((exited = exited || { error: e.message })));
	});
	if (child.pid) killOnExit(holder);
	return holder;
}

/**
 * Polls `probe` (an async function; a throw counts as "not yet") every `intervalMs` until it
 * returns a truthy value (returned), `timeoutMs` passes or `exited()` says the process is gone
 * (both: undefined).
 */
async function waitUntil(probe, { timeoutMs, intervalMs = 250, exited = () => false }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && !exited()) {
		try {
			const ok = await probe();
			if (ok) return ok;
		} catch {
			/* not ready yet */
		}
		await sleep(intervalMs);
	}
	return undefined;
}

/**
 * Stops `proc.pid`'s process group: `signal` (default SIGTERM), SIGKILL after `timeoutMs`, then
 * SIGKILL to whatever is left in the group (n8n's task runner); waits (bounded, 5 s) for the exit
 * and for `proc.exitPromise`. Clears proc.pid and stops tracking it.
 */
async function stopProcess(proc, { signal = 'SIGTERM', timeoutMs = 10_000 } = {}) {
	const pid = proc.pid;
	if (pid && alive(pid)) {
		killGroup(pid, signal);
		const deadline = Date.now() + timeoutMs;
		while (alive(pid) && Date.now() < deadline) await sleep(100);
		if (alive(pid)) killGroup(pid, 'SIGKILL');
		killGroup(pid, 'SIGKILL');
		const hardDeadline = Date.now() + 5000;
		while (alive(pid) && Date.now() < hardDeadline) await sleep(100);
		if (proc.exitPromise) {
			let timer;
			await Promise.race([proc.exitPromise, new Promise((r) => (timer = setTimeout(r, 5000)))]);
			clearTimeout(timer);
		}
	}
	releaseOnExit(proc);
	proc.pid = undefined;
}

module.exports = {
	sleep,
	killGroup,
	alive,
	tail,
	freePort,
	portIsFree,
	killOnExit,
	releaseOnExit,
	runBounded,
	runLogged,
	spawnServer,
	waitUntil,
	stopProcess,
};
