#!/usr/bin/env node
// `npm run backfill-sample -- [--rows 100000] [--out backfill-subscribers.csv] [--seed 1] [--as-of 2026-12-01]
// [--bad-rows 0]`: writes a CSV of subscribers for trying the "Backfill subscription attributes" template.
// Columns and values: templates/README.md, "Backfill subscription attributes: the input file"; rows from
// scripts/backfill/sampleRows.js (deterministic: same options, same bytes). The file is not committed
// (the default path is in .gitignore). Prints one summary line on stdout, the bad rows (if any) on stderr.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { BAD_ROW_KINDS, csvHeader, csvRow, generateRows, resolveOptions } = require('./backfill/sampleRows');

const DEFAULT_OUT = 'backfill-subscribers.csv';
const DEFAULT_ROWS = 100_000;

const USAGE = `Usage: npm run backfill-sample -- [options]

Writes a CSV of subscribers (one row each) for the "Backfill subscription attributes" template.

  --rows N       rows to write (default ${DEFAULT_ROWS})
  --out FILE     output file (default ${DEFAULT_OUT}, in the current folder)
  --seed N       random seed, 0 to 4294967295 (default 1): same options, same file
  --as-of DATE   the day of the "export", UTC (default: today); renewal dates are around it
  --bad-rows N   rows with a deliberate defect, spread evenly (default 0), one kind after the other:
${BAD_ROW_KINDS.map((k) => `                 - ${k.kind}: ${k.why}`).join('\n')}
  --help         show this help
`;

class UsageError extends Error {}

function integer(name, raw) {
	if (!/^\d+$/.test(raw ?? '')) throw new UsageError(`--${name} must be a whole number (got "${raw ?? ''}")`);
	return Number(raw);
}

/** argv (after the script) → options; `help: true` for --help. */
function parseArgs(argv, today) {
	const out = { rows: DEFAULT_ROWS, out: DEFAULT_OUT, seed: 1, asOf: today, badRows: 0, help: false };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') {
			out.help = true;
			continue;
		}
		const m = /^--(rows|out|seed|as-of|bad-rows)(?:=(.*))?$/.exec(arg);
		if (!m) throw new UsageError(`Unknown argument: ${arg}`);
		const value = m[2] !== undefined ? m[2] : argv[++i];
		if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
		if (m[1] === 'rows') out.rows = integer('rows', value);
		else if (m[1] === 'seed') out.seed = integer('seed', value);
		else if (m[1] === 'bad-rows') out.badRows = integer('bad-rows', value);
		else if (m[1] === 'as-of') out.asOf = value;
		else out.out = value;
	}
	try {
		resolveOptions(out);
	} catch (err) {
		throw new UsageError(err.message);
	}
	if (!out.out) throw new UsageError('--out must not be empty');
	return out;
}

/** Write the file (through a temporary file renamed at the end: never a half-written sample). */
function writeSample(options) {
	const file = path.resolve(options.out);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const tmp = `${file}.${process.pid}.tmp`;
	const fd = fs.openSync(tmp, 'w');
	const bad = [];
	try {
		let chunk = `${csvHeader()}\n`;
		let line = 1;
		for (const { row, defect } of generateRows(options)) {
			line++;
			chunk += `${csvRow(row)}\n`;
			if (defect) bad.push({ line, ...defect });
			if (chunk.length > 1 << 20) {
				fs.writeSync(fd, chunk);
				chunk = '';
			}
		}
		fs.writeSync(fd, chunk);
		fs.closeSync(fd);
		fs.renameSync(tmp, file);
	} catch (err) {
		try {
			fs.closeSync(fd);
		} catch {
			/* already closed */
		}
		fs.rmSync(tmp, { force: true });
		throw err;
	}
	return { file, bad };
}

function main() {
	const today = new Date().toISOString().slice(0, 10);
	let options;
	try {
		options = parseArgs(process.argv.slice(2), today);
	} catch (err) {
		if (err instanceof UsageError) {
			process.stderr.write(`${err.message}\n\n${USAGE}`);
			process.exitCode = 2;
			return;
		}
		throw err;
	}
	if (options.help) {
		process.stdout.write(USAGE);
		return;
	}
	const { file, bad } = writeSample(options);
	const size = fs.statSync(file).size;
	process.stdout.write(
		`Wrote ${options.rows} rows (${bad.length} bad) to ${file} (${(size / 1024 / 1024).toFixed(1)} MiB; seed ${options.seed}, as of ${options.asOf})\n`,
	);
	for (const b of bad) process.stderr.write(`bad row at line ${b.line}: ${b.why}\n`);
}

if (require.main === module) {
	try {
		main();
	} catch (err) {
		process.stderr.write(`backfill-sample failed: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exitCode = 1;
	}
}

module.exports = { parseArgs, UsageError, DEFAULT_OUT };
