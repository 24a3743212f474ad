#!/usr/bin/env node
// Diagnostics for the real-n8n benchmark: where n8n main's resident memory is at its peaks. Every 40 ms it reads
// VmRSS of the newest n8n main process (`node …/bin/n8n start`, found through /proc); on each new maximum above
// THRESHOLD_MB (in steps of 16 MB) it reads /proc/<pid>/smaps once and prints the resident MB per kind of mapping:
// V8's 256 KiB pages, anonymous mappings by size (the C allocator's arenas, V8's large objects, …), the brk heap and
// files (count of mappings in parentheses). Run it beside `node bench/realOutbound.js`; stop it with SIGTERM.
// Reading smaps costs n8n time (page-table walks): reading it on every RSS step changed which GC mode a row fell in.
//   node bench/rssSampler.js [THRESHOLD_MB=850] > rss.log &
'use strict';
const fs = require('node:fs');
const T = Number(process.argv[2] || 850) * 1048576;
let lastScan = 0,
	cached;
function mainPid() {
	if (cached && fs.existsSync(`/proc/${cached}`) && Date.now() - lastScan < 500) return cached;
	lastScan = Date.now();
	let best;
	for (const d of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(d)) continue;
		try {
			const c = fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0');
			if (c[0].endsWith('/node') && c[1] && c[1].endsWith('bin/n8n') && c[2] === 'start')
				best = Math.max(best || 0, Number(d));
		} catch {}
	}
	cached = best;
	return best;
}
function status(pid) {
	try {
		const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const f = (k) => Number(new RegExp(k + ':\\s+(\\d+)').exec(s)[1]) * 1024;
		return { rss: f('VmRSS'), anon: f('RssAnon'), file: f('RssFile') };
	} catch {
		return undefined;
	}
}
function groups(pid) {
	const text = fs.readFileSync(`/proc/${pid}/smaps`, 'utf8');
	const g = {};
	let cur;
	for (const line of text.split('\n')) {
		const m = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
		if (m) {
			const size = parseInt(m[2], 16) - parseInt(m[1], 16);
			const name = m[4] || '';
			if (name === '[heap]') cur = 'brk';
			else if (name.startsWith('/')) cur = 'file';
			else if (name) cur = 'named';
			else if (size === 262144) cur = 'v8page256K';
			else if (size < 1 << 20) cur = 'anon<1M';
			else if (size < 8 << 20) cur = 'anon1-8M';
			else if (size <= 64 << 20) cur = 'anon8-64M';
			else cur = 'anon>64M';
			g[cur + '#'] = (g[cur + '#'] || 0) + 1;
			continue;
		}
		const r = /^Rss:\s+(\d+) kB/.exec(line);
		if (r && cur) g[cur] = (g[cur] || 0) + Number(r[1]) * 1024;
	}
	return g;
}
let pid,
	max = 0,
	dumpedAt = 0;
const MB = (b) => (b / 1048576).toFixed(0);
setInterval(() => {
	const p = mainPid();
	if (p !== pid) {
		if (pid) console.log(`pid ${pid} max ${MB(max)}`);
		pid = p;
		max = 0;
		dumpedAt = 0;
	}
	if (!pid) return;
	const s = status(pid);
	if (!s) return;
	if (s.rss > max) max = s.rss;
	if (s.rss > T && s.rss > dumpedAt + 16 * 1048576) {
		dumpedAt = s.rss;
		try {
			const g = groups(pid);
			console.log(
				`${new Date().toISOString().slice(11, 23)} pid ${pid} rss ${MB(s.rss)} anon ${MB(s.anon)} | ${Object.entries(g)
					.filter(([k]) => !k.endsWith('#'))
					.sort((a, b) => b[1] - a[1])
					.map(([k, v]) => `${k} ${MB(v)} (${g[k + '#']})`)
					.join(', ')}`,
			);
		} catch {}
	}
}, 40);
process.on('SIGTERM', () => {
	console.log(`pid ${pid} max ${MB(max)}`);
	process.exit(0);
});
