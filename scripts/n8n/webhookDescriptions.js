'use strict';
// How n8n loads the installed package: the webhook declarations of its nodes, read in a child
// process the way n8n requires them (for the harness's webhook URLs).
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT } = require('./paths');

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

module.exports = { readWebhookDescriptions };
