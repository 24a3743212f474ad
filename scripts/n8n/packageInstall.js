'use strict';
// This package as users install it: `npm pack` of the repository, then a plain `npm install
// <tarball>` in an n8n user folder's .n8n/nodes (n8n's manual install of a community package).
const fs = require('node:fs');
const path = require('node:path');
const { envForNode, npmCli } = require('./install');
const { runLogged } = require('./processes');
const { ROOT, RESULTS_DIR, PACKAGE_NAME } = require('./paths');

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

module.exports = { packPackage, installPackage };
