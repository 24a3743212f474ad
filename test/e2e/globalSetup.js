// Once per e2e run: make sure n8n 2.41.1 is installed (cached), pack this package, start one
// real n8n with the tarball installed, its owner and an API key. Test files reach it through
// connectN8n(process.env.E2E_N8N_STATE) (see support.ts). Stopped by globalTeardown.js.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startN8n, packPackage, ensureN8n } = require('../../scripts/n8n/harness');

module.exports = async function globalSetup() {
	const t0 = Date.now();
	await ensureN8n('n8n2');
	const tarball = await packPackage();
	const n8n = await startN8n({ tarball });
	globalThis.__E2E_N8N__ = n8n;
	const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-state-'));
	const stateFile = path.join(stateDir, 'n8n.json');
	// Holds the API key: private file outside the repository, never printed.
	fs.writeFileSync(stateFile, JSON.stringify(n8n.toJSON()), { mode: 0o600 });
	globalThis.__E2E_STATE_DIR__ = stateDir;
	process.env.E2E_N8N_STATE = stateFile;
	process.env.E2E_TARBALL = tarball;
	console.log(`\n[e2e] n8n ${n8n.n8nVersion} ready at ${n8n.baseUrl} in ${Math.round((Date.now() - t0) / 1000)} s (log ${path.relative(process.cwd(), n8n.logFile)})`);
};
