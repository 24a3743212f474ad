// A throw-away redis-server for n8n's queue mode (tests only): Debian's `redis-server` on a free
// loopback port, no persistence (`--save '' --appendonly no`), in its own process group, stopped
// by PID. Plain CommonJS on the system Node, like harness.js. See docs/real-n8n-harness.md.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { freePort, RESULTS_DIR } = require('./harness');
const { sleep, killGroup, alive } = require('./processes');


/** Path of the redis-server binary (PATH, then the usual Debian locations), or undefined. */
function findRedisServer() {
	const dirs = [...(process.env.PATH || '').split(path.delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin'];
	for (const d of dirs) {
		if (!d) continue;
		const f = path.join(d, 'redis-server');
		try {
			fs.accessSync(f, fs.constants.X_OK);
			return f;
		} catch {
			/* next */
		}
	}
	return undefined;
}

/** One RESP command over a fresh socket (no client library): resolves the raw reply. Bounded in time. */
function redisCommand(port, args, { timeoutMs = 2000 } = {}) {
	return new Promise((resolve, reject) => {
		const sock = net.connect({ host: '127.0.0.1', port });
		let out = '';
		const timer = setTimeout(() => {
			sock.destroy();
			reject(new Error(`redis ${args[0]} timed out`));
		}, timeoutMs);
		sock.on('connect', () => sock.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join('')}`));
		sock.on('data', (d) => {
			out += d;
			if (out.endsWith('\r\n')) {
				clearTimeout(timer);
				sock.end();
				resolve(out);
			}
		});
		sock.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
	});
}


const running = new Set();
let exitHook = false;

/**
 * Starts redis-server on a free 127.0.0.1 port. Resolves { port, pid, logFile, stop() } once it
 * answers PING. Rejects when redis-server is not installed (see findRedisServer) or not ready in
 * `readinessTimeoutMs`.
 */
async function startRedis({ logFile, readinessTimeoutMs = 20_000 } = {}) {
	const bin = findRedisServer();
	if (!bin) throw new Error('redis-server is not installed (Debian: apt-get install -y redis-server)');
	const port = await freePort();
	logFile = logFile || path.join(RESULTS_DIR, `redis-${port}.log`);
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-e2e-'));
	const fd = fs.openSync(logFile, 'a');
	const child = spawn(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ cwd: dir, stdio: ['ignore', fd, fd], detached: true },
	);
	fs.closeSync(fd);
	child.unref();
	let exited = false;
	const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
	child.on('error', () => {});
	const inst = {
		port,
		pid: child.pid,
		logFile,
		async stop({ timeoutMs = 5000 } = {}) {
			const pid = inst.pid;
			if (pid && alive(pid)) {
				killGroup(pid, 'SIGTERM');
				const deadline = Date.now() + timeoutMs;
				while (alive(pid) && Date.now() < deadline) await sleep(100);
				if (alive(pid)) killGroup(pid, 'SIGKILL');
				let timer;
				await Promise.race([exitPromise, new Promise((r) => (timer = setTimeout(r, 3000)))]);
				clearTimeout(timer);
			}
			running.delete(inst);
			inst.pid = undefined;
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	running.add(inst);
	if (!exitHook) {
		exitHook = true;
		process.on('exit', () => {
			for (const r of running) if (r.pid) killGroup(r.pid, 'SIGKILL');
		});
	}
	const deadline = Date.now() + readinessTimeoutMs;
	while (Date.now() < deadline) {
		if (exited) break;
		try {
			if ((await redisCommand(port, ['PING'])).startsWith('+PONG')) return inst;
		} catch {
			/* not listening yet */
		}
		await sleep(100);
	}
	await inst.stop();
	throw new Error(`redis-server not ready on port ${port} (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'}); log ${logFile}`);
}

module.exports = { findRedisServer, startRedis, redisCommand };
