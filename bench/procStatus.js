'use strict';
// Readings of a Linux process from /proc: memory (/proc/<pid>/status) and CPU time (/proc/<pid>/stat).
const fs = require('node:fs');

const CLK_TCK = 100; // getconf CLK_TCK on Linux x86-64

/** A `kB` field of /proc/<pid>/status (VmRSS, VmHWM, ...) in bytes, or undefined. */
function statusBytes(pid, field) {
	try {
		const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** CPU ms (user + system) used so far by `pid` alone, or undefined. */
function cpuMs(pid) {
	try {
		const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = s.slice(s.lastIndexOf(')') + 2).split(' '); // f[0] = field 3 (state)
		return ((Number(f[11]) + Number(f[12])) * 1000) / CLK_TCK; // fields 14 utime, 15 stime
	} catch {
		return undefined;
	}
}

/**
 * Resets the process's peak resident set size (VmHWM) to its current RSS: `5` written to /proc/<pid>/clear_refs
 * (Linux ≥ 4.0, proc(5)). Returns whether it could (the file is writable by the process's owner).
 */
function resetPeakRss(pid) {
	try {
		fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

/** This process's open-file limit (soft), or undefined. */
function openFileLimit() {
	try {
		const m = fs.readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+(\d+)/m);
		return m ? Number(m[1]) : undefined;
	} catch {
		return undefined;
	}
}

module.exports = { statusBytes, cpuMs, openFileLimit, resetPeakRss };
