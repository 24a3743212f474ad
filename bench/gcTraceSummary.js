#!/usr/bin/env node
// Diagnostics: summarises V8's `--trace-gc-nvp` lines in an n8n log (bench/v8FlagsHook.js), one block per process
// (n8n main and its task runner each have their own pid), cut into segments where no collection ran for
// GAP_MS: a restart's start-up, the warm-up, the measured run, the save. Per segment: collections by kind, what the
// scavenges promoted to old space, the young generation's capacity, the heap's committed memory (first → highest →
// last) and V8's pool of freed pages.
//   node bench/gcTraceSummary.js test-results/n8n-2.41.1-<port>.log [minMemoryMB]
'use strict';
const fs = require('node:fs');

const GAP_MS = 2000;
const [file, minMemoryArg] = process.argv.slice(2);
if (!file) {
	console.error('usage: node bench/gcTraceSummary.js <n8n log> [only processes whose heap reached this many MB]');
	process.exit(2);
}
const minMemoryMB = Number(minMemoryArg || 150);
const MB = 1024 * 1024;
const line = /^\[(\d+:0x[0-9a-f]+):\d+\]\s+(\d+) ms: (.*)$/;

const byPid = new Map();
for (const text of fs.readFileSync(file, 'utf8').split('\n')) {
	const match = line.exec(text);
	if (!match || !match[3].includes(' gc=')) continue;
	const fields = Object.fromEntries(match[3].split(' ').map((pair) => pair.split('=')).filter((pair) => pair.length === 2));
	const events = byPid.get(match[1]) ?? [];
	events.push({ ms: Number(match[2]), kind: fields.gc, memory: Number(fields.end_memory_size), objects: Number(fields.end_object_size), promoted: Number(fields.promoted || 0), newSpace: Number(fields.new_space_capacity || 0), pool: Number(fields.pool_total_chunks || 0) });
	byPid.set(match[1], events);
}

const mb = (bytes) => (bytes / MB).toFixed(1);
for (const [pid, events] of byPid) {
	if (Math.max(...events.map((event) => event.memory)) < minMemoryMB * MB) continue;
	console.log(`pid:isolate ${pid}: ${events.length} collections`);
	let segment = [];
	const flush = () => {
		if (segment.length === 0) return;
		const kinds = {};
		for (const event of segment) kinds[event.kind] = (kinds[event.kind] ?? 0) + 1;
		const memory = segment.map((event) => event.memory);
		const objects = segment.map((event) => event.objects);
		console.log(
			`  ${(segment[0].ms / 1000).toFixed(1)}–${(segment[segment.length - 1].ms / 1000).toFixed(1)} s: ${Object.entries(kinds).map(([kind, count]) => `${count} ${kind}`).join(', ')}; ` +
				`promoted ${mb(segment.reduce((sum, event) => sum + event.promoted, 0))} MB; young gen max ${mb(Math.max(...segment.map((event) => event.newSpace)))} MB; ` +
				`heap committed ${mb(memory[0])} → max ${mb(Math.max(...memory))} → ${mb(memory[memory.length - 1])} MB; objects ${mb(objects[0])} → max ${mb(Math.max(...objects))} → ${mb(objects[objects.length - 1])} MB; pool chunks max ${Math.max(...segment.map((event) => event.pool))}`,
		);
		segment = [];
	};
	for (const event of events) {
		if (segment.length > 0 && event.ms - segment[segment.length - 1].ms > GAP_MS) flush();
		segment.push(event);
	}
	flush();
}
