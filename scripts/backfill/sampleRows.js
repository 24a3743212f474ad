// Rows of the backfill sample (one subscriber per row), pure: no I/O, no clock, no Math.random.
// The same (rows, seed, asOf, badRows) always gives the same rows.
//
// Values follow Purchasely's webhook payload (API v3) and its documented enumerations
// (docs.purchasely.com "Server events attributes", https://docs.purchasely.com/docs/server-events-attributes):
// `subscription_status`, `store`, `offer_type`, `environment` (here as `is_sandbox`), `plan`, `product`,
// `next_renewal_at`; `user_id` is the app's user id, which Purchasely's Batch integration uses as the
// Batch Custom ID. Columns and rules: templates/README.md, "Backfill subscription attributes: the input file".
'use strict';

/** Column order of the CSV header. */
const COLUMNS = Object.freeze([
	'user_id',
	'subscription_status',
	'plan',
	'product',
	'store',
	'offer_type',
	'is_sandbox',
	'next_renewal_at',
]);

// Weights: a mature app's subscriber base, churned users included (a backfill covers them too).
const STATUSES = Object.freeze([
	['AUTO_RENEWING', 54],
	['AUTO_RENEWING_CANCELED', 10],
	['IN_GRACE_PERIOD', 2],
	['ON_HOLD', 2],
	['UNPAID', 1],
	['PAUSED', 1],
	['DEACTIVATED', 28],
	['REVOKED', 2],
]);
const STORES = Object.freeze([
	['APPLE_APP_STORE', 55],
	['GOOGLE_PLAY_STORE', 37],
	['STRIPE', 6],
	['AMAZON_APPSTORE', 1.5],
	['HUAWEI_APPGALLERY', 0.5],
]);
/** Google Play only: account hold (ON_HOLD) and pause (PAUSED). */
const GOOGLE_ONLY_STATUSES = new Set(['ON_HOLD', 'PAUSED']);
/** Plan → product and billing period in days. */
const PLANS = Object.freeze([
	{ plan: 'premium_monthly', product: 'premium', days: 30, weight: 45 },
	{ plan: 'premium_yearly', product: 'premium', days: 365, weight: 30 },
	{ plan: 'premium_weekly', product: 'premium', days: 7, weight: 5 },
	{ plan: 'pro_monthly', product: 'pro', days: 30, weight: 12 },
	{ plan: 'pro_yearly', product: 'pro', days: 365, weight: 8 },
]);
const OFFER_TYPES = Object.freeze([
	['NONE', 78],
	['FREE_TRIAL', 14],
	['INTRO_OFFER', 4],
	['PROMO_CODE', 2],
	['PROMOTIONAL_OFFER', 2],
]);
/** Statuses with no renewal ahead: `next_renewal_at` is empty. */
const ENDED_STATUSES = new Set(['DEACTIVATED', 'REVOKED']);
/** Billing problems: the renewal date has passed (up to 16 days ago: grace periods and retries are short). */
const LATE_STATUSES = new Set(['IN_GRACE_PERIOD', 'ON_HOLD', 'UNPAID']);
const SANDBOX_SHARE = 0.01;
const DAY_MS = 86_400_000;

/**
 * Deliberately bad rows (`badRows`), one kind after the other, for trying a failure summary. Each breaks one
 * documented rule; which layer refuses it depends on the workflow's mapping (the Batch node before sending,
 * or Batch with a partial error):
 */
const BAD_ROW_KINDS = Object.freeze([
	{ kind: 'empty_user_id', why: 'user_id is empty (no Batch Custom ID)' },
	{ kind: 'user_id_too_long', why: 'user_id is 1025 characters (Custom IDs are at most 1024)' },
	{ kind: 'next_renewal_not_a_date', why: 'next_renewal_at is "next tuesday", not an ISO 8601 date' },
	{ kind: 'plan_too_long', why: 'plan is 301 characters (string attributes are at most 300)' },
]);

/** mulberry32: a small, well-known 32-bit PRNG; deterministic for a seed. Returns floats in [0, 1). */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function pick(random, weighted) {
	const total = weighted.reduce((n, [, w]) => n + w, 0);
	let r = random() * total;
	for (const [value, w] of weighted) {
		r -= w;
		if (r < 0) return value;
	}
	return weighted[weighted.length - 1][0];
}

/** ISO 8601, UTC, second precision (`2026-12-15T09:31:07Z`), as Batch's `date()` attributes take it. */
function isoSeconds(ms) {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Row indexes (0-based) that get a defect: `count` of them spread evenly, never the same one twice. */
function badRowIndexes(rows, count) {
	const out = new Map();
	if (count <= 0 || rows <= 0) return out;
	const n = Math.min(count, rows);
	for (let k = 0; k < n; k++) {
		const index = Math.floor(((k + 0.5) * rows) / n);
		out.set(index, BAD_ROW_KINDS[k % BAD_ROW_KINDS.length]);
	}
	return out;
}

/**
 * Check and normalize the options; throws RangeError naming the option and the rule.
 * `asOf`: the day the export is taken (renewal dates are around it), ISO date or date-time, UTC.
 */
function resolveOptions({ rows, seed = 1, asOf, badRows = 0 }) {
	if (!Number.isInteger(rows) || rows < 1 || rows > 10_000_000) throw new RangeError('rows must be an integer from 1 to 10000000');
	if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError('seed must be an integer from 0 to 4294967295');
	if (!Number.isInteger(badRows) || badRows < 0 || badRows > rows) throw new RangeError('bad rows must be an integer from 0 to the number of rows');
	const asOfMs = typeof asOf === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(asOf) ? Date.parse(asOf) : Number.NaN;
	if (Number.isNaN(asOfMs)) throw new RangeError('as-of must be a UTC date like 2026-12-01 or 2026-12-01T00:00:00Z');
	return { rows, seed, asOfMs, badRows };
}

/**
 * The rows, as objects keyed by COLUMNS (all values strings, '' for none), in order.
 * Also yields, for a bad row, `{ row, defect: { kind, why } }`; `defect` is undefined on good rows.
 */
function* generateRows(options) {
	const { rows, seed, asOfMs, badRows } = resolveOptions(options);
	const random = prng(seed);
	const bad = badRowIndexes(rows, badRows);
	const width = Math.max(7, String(rows).length);
	const plans = PLANS.map((p) => [p, p.weight]);
	for (let i = 0; i < rows; i++) {
		const status = pick(random, STATUSES);
		let store = pick(random, STORES);
		if (GOOGLE_ONLY_STATUSES.has(status)) store = 'GOOGLE_PLAY_STORE';
		const plan = pick(random, plans);
		const offer = pick(random, OFFER_TYPES);
		const sandbox = random() < SANDBOX_SHARE;
		let next = '';
		if (LATE_STATUSES.has(status)) next = isoSeconds(asOfMs - random() * 16 * DAY_MS);
		else if (!ENDED_STATUSES.has(status)) next = isoSeconds(asOfMs + random() * plan.days * DAY_MS);
		else random(); // keep the draw count per row constant
		const row = {
			user_id: `user_${String(i + 1).padStart(width, '0')}`,
			subscription_status: status,
			plan: plan.plan,
			product: plan.product,
			store,
			offer_type: offer,
			is_sandbox: sandbox ? 'true' : 'false',
			next_renewal_at: next,
		};
		const defect = bad.get(i);
		if (defect) breakRow(row, defect.kind);
		yield { row, defect };
	}
}

function breakRow(row, kind) {
	if (kind === 'empty_user_id') row.user_id = '';
	else if (kind === 'user_id_too_long') row.user_id = `${row.user_id}_`.padEnd(1025, 'x');
	else if (kind === 'next_renewal_not_a_date') row.next_renewal_at = 'next tuesday';
	else if (kind === 'plan_too_long') row.plan = `${row.plan}_`.padEnd(301, 'x');
}

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(value) {
	return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvLine(values) {
	return values.map(csvField).join(',');
}

function csvHeader() {
	return csvLine(COLUMNS);
}

function csvRow(row) {
	return csvLine(COLUMNS.map((c) => row[c]));
}

module.exports = {
	COLUMNS,
	STATUSES,
	STORES,
	PLANS,
	OFFER_TYPES,
	BAD_ROW_KINDS,
	generateRows,
	resolveOptions,
	csvHeader,
	csvRow,
	csvField,
};
