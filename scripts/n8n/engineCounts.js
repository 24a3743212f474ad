// Counting n8n's expression-engine work from outside: the environment that loads
// scripts/n8n/expressionEngineCounter.js into n8n (and its task runner), and reading what it wrote.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * Environment that loads scripts/n8n/expressionEngineCounter.js into n8n: it counts expression
 * evaluations, isolate acquisitions and isolates built into `<dir>/<pid>.json`.
 */
function expressionEngineCounterEnv(dir) {
	fs.mkdirSync(dir, { recursive: true });
	return { NODE_OPTIONS: `--require ${path.join(__dirname, 'expressionEngineCounter.js')}`, ENGINE_COUNTER_DIR: dir };
}

/**
 * The counts of one process (n8n main: its pid) as last written, or undefined before the first write.
 * The counter writes at most every 100 ms: read after n8n has answered and gone quiet.
 */
function readEngineCounts(dir, pid) {
	try {
		return JSON.parse(fs.readFileSync(path.join(dir, `${pid}.json`), 'utf8'));
	} catch {
		return undefined;
	}
}

module.exports = { expressionEngineCounterEnv, readEngineCounts };
