// A throw-away redis-server for n8n's queue mode (tests only): Debian's `redis-server` on a free
// loopback port, no persistence (`--save '' --appendonly no`), in its own process group, stopped
// by PID. Plain CommonJS on the system Node, like harness.js. See docs/real-n8n-harness.md.
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { RESULTS_DIR } = require('./paths');
const { freePort, spawnServer, waitUntil, stopProcess } = require('./processes');

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
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-e2e-'));
	const inst = {
		port,
		logFile,
		async stop({ timeoutMs = 5000 } = {}) {
			await stopProcess(inst, { timeoutMs });
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	spawnServer(
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir, '--protected-mode', 'yes'],
		{ cwd: dir, logFile },
		inst,
	);
	const ready = await waitUntil(async () => (await redisCommand(port, ['PING'])).startsWith('+PONG'), {
		timeoutMs: readinessTimeoutMs,
		intervalMs: 100,
		exited: inst.exited,
	});
	if (ready) return inst;
	const exited = inst.exited();
	await inst.stop();
	throw new Error(`redis-server not ready on port ${port} (${exited ? `exited ${JSON.stringify(exited)}` : 'timeout'}); log ${logFile}`);
}

module.exports = { findRedisServer, startRedis, redisCommand };
