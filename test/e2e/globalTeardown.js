'use strict';
const fs = require('node:fs');

module.exports = async function globalTeardown() {
	const n8n = globalThis.__E2E_N8N__;
	if (n8n) await n8n.stop({ timeoutMs: 15000 });
	if (globalThis.__E2E_STATE_DIR__) fs.rmSync(globalThis.__E2E_STATE_DIR__, { recursive: true, force: true });
};
