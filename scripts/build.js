#!/usr/bin/env node
// Build: clean dist/, compile TypeScript, copy the static files n8n needs (icons, codex JSON).
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], {
	stdio: 'inherit',
	cwd: root,
});

function copyStatic(dir) {
	for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
		const rel = path.join(dir, entry.name);
		if (entry.isDirectory()) copyStatic(rel);
		else if (/\.(svg|png)$/.test(entry.name) || /\.node\.json$/.test(entry.name)) {
			fs.mkdirSync(path.join(root, 'dist', dir), { recursive: true });
			fs.copyFileSync(path.join(root, rel), path.join(root, 'dist', rel));
		}
	}
}
for (const dir of ['nodes', 'credentials']) copyStatic(dir);
// The bin entry must be executable once installed.
const bin = path.join(root, 'dist/bin/send-test-event.js');
if (fs.existsSync(bin)) fs.chmodSync(bin, 0o755);
