#!/usr/bin/env node
// The one test command (`npm test`, also run by .ci/run): builds the package, runs every
// jest suite (unit + integration on the system Node; the real-n8n end-to-end suite when its
// config exists), and ends with one line "N passed, N failed" summed over all suites.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'test-results');
fs.mkdirSync(outDir, { recursive: true });

function run(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
	return r.status === null ? 1 : r.status;
}

// The n8n 1.x compatibility tests run by default, as the README says (E2E_N8N1=0 leaves them out).
if (process.env.E2E_N8N1 === undefined) process.env.E2E_N8N1 = '1';

let buildFailed = run(process.execPath, [path.join(root, 'scripts/build.js')]) !== 0;

const suites = [{ name: 'unit+integration', config: 'jest.config.js' }];
if (fs.existsSync(path.join(root, 'jest.e2e.config.js'))) suites.push({ name: 'e2e (real n8n)', config: 'jest.e2e.config.js' });

let passed = 0;
let failed = buildFailed ? 1 : 0;
let exitCode = buildFailed ? 1 : 0;
const jestBin = require.resolve('jest/bin/jest');
for (const suite of suites) {
	if (process.env.TEST_SUITES && !process.env.TEST_SUITES.split(',').some((s) => suite.config.includes(s))) continue;
	const out = path.join(outDir, `${path.basename(suite.config, '.js')}.json`);
	fs.rmSync(out, { force: true });
	console.log(`\n=== ${suite.name} (${suite.config}) ===`);
	const code = run(process.execPath, [jestBin, '-c', suite.config, '--json', `--outputFile=${out}`, ...process.argv.slice(2)]);
	if (code !== 0) exitCode = 1;
	if (fs.existsSync(out)) {
		const res = JSON.parse(fs.readFileSync(out, 'utf8'));
		passed += res.numPassedTests;
		failed += res.numFailedTests + res.numRuntimeErrorTestSuites;
	} else {
		failed += 1; // the runner itself crashed: count it, never hide it
	}
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode || (failed > 0 ? 1 : 0));
