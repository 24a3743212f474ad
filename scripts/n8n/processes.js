'use strict';
// Small process helpers shared by the real-n8n scripts (installer, harness, Redis, queue mode).
const fs = require('node:fs');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Signals a whole process group (n8n and its task runner), else the process alone. */
function killGroup(pid, signal) {
	try {
		process.kill(-pid, signal);
		return true;
	} catch {
		try {
			process.kill(pid, signal);
			return true;
		} catch {
			return false;
		}
	}
}

/** Whether a process exists (EPERM: it exists but belongs to someone else). */
function alive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

/** The last lines of a log file, for error messages ('' when it cannot be read). */
function tail(file, lines = 30) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
	} catch {
		return '';
	}
}

module.exports = { sleep, killGroup, alive, tail };
