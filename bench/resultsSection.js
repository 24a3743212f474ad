'use strict';
// One section of bench/RESULTS.md ("## <heading>…" up to the next "## "), as every benchmark part writes its own.
const fs = require('node:fs');

/**
 * `current` with the section starting with `marker` (e.g. "## Mass update") replaced by `text`; when there is none
 * yet, `text` goes before the first of the sections `before` that exists, or at the end.
 */
function replaceSection(current, marker, text, before = []) {
	const start = current.indexOf(`\n${marker}`);
	if (start >= 0) {
		const next = current.indexOf('\n## ', start + 1);
		return `${current.slice(0, start)}\n${text}${next >= 0 ? current.slice(next) : ''}`;
	}
	const later = before.map((heading) => current.indexOf(`\n${heading}`)).filter((at) => at >= 0);
	const at = later.length > 0 ? Math.min(...later) : -1;
	return at >= 0 ? `${current.slice(0, at)}\n${text}${current.slice(at)}` : `${current.trimEnd()}\n\n${text}`;
}

/** Rewrites that section of `file` (created when missing). */
function writeSection(file, marker, text, before = []) {
	const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
	fs.writeFileSync(file, replaceSection(current, marker, text, before));
}

module.exports = { replaceSection, writeSection };
