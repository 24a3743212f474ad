/**
 * The backfill sample's rows (scripts/backfill/sampleRows.js): columns, counts, determinism, values that
 * follow Purchasely's enumerations, and the deliberate bad rows.
 */
import * as sample from '../../scripts/backfill/sampleRows';
import type { SampleRow as Row } from '../../scripts/backfill/sampleRows';

const AS_OF = '2026-12-01';
const AS_OF_MS = Date.parse(AS_OF);
const DAY = 86_400_000;
const all = (o: { rows: number; seed?: number; asOf?: string; badRows?: number }) => [...sample.generateRows({ asOf: AS_OF, ...o })];

describe('backfill sample rows', () => {
	it('has the documented columns, in order, and exactly the rows asked for', () => {
		expect(sample.COLUMNS).toEqual([
			'user_id',
			'subscription_status',
			'plan',
			'product',
			'store',
			'offer_type',
			'is_sandbox',
			'next_renewal_at',
		]);
		expect(sample.csvHeader()).toBe(sample.COLUMNS.join(','));
		for (const n of [1, 7, 2500]) {
			const rows = all({ rows: n });
			expect(rows).toHaveLength(n);
			expect(rows.filter(({ row }) => Object.keys(row).join() !== sample.COLUMNS.join())).toEqual([]);
		}
	});

	it('is deterministic for a seed and an as-of date; another seed or date gives other rows', () => {
		const a = all({ rows: 3000, seed: 42 }).map(({ row }) => sample.csvRow(row));
		const b = all({ rows: 3000, seed: 42 }).map(({ row }) => sample.csvRow(row));
		expect(b).toEqual(a);
		const otherSeed = all({ rows: 3000, seed: 43 }).map(({ row }) => sample.csvRow(row));
		expect(otherSeed).not.toEqual(a);
		const otherDay = all({ rows: 3000, seed: 42, asOf: '2026-12-02' }).map(({ row }) => row);
		expect(otherDay.map((r) => r.subscription_status)).toEqual(all({ rows: 3000, seed: 42 }).map(({ row }) => row.subscription_status));
		expect(otherDay.map((r) => r.next_renewal_at)).not.toEqual(all({ rows: 3000, seed: 42 }).map(({ row }) => row.next_renewal_at));
		// A longer file starts with the shorter one (rows do not depend on the total).
		expect(all({ rows: 4000, seed: 42 }).slice(0, 3000).map(({ row }) => sample.csvRow(row))).toEqual(a);
	});

	it('values follow Purchasely\'s enumerations and the subscription rules', () => {
		const generated = all({ rows: 20_000, seed: 7 });
		expect(generated.filter((g) => g.defect)).toEqual([]);
		const rows = generated.map((g) => g.row);
		const statuses = new Set(sample.STATUSES.map(([s]) => s));
		const stores = new Set(sample.STORES.map(([s]) => s));
		const offers = new Set(sample.OFFER_TYPES.map(([s]) => s));
		const plans = new Map(sample.PLANS.map((p) => [p.plan, p]));
		expect(new Set(rows.map((r) => r.user_id)).size).toBe(rows.length);
		// Plain checks collected first (one expect per row would take minutes), then asserted at once.
		const broken: string[] = [];
		const check = (ok: boolean, r: Row, rule: string) => {
			if (!ok) broken.push(`${r.user_id}: ${rule} (${JSON.stringify(r)})`);
		};
		for (const r of rows) {
			check(/^user_\d{7}$/.test(r.user_id), r, 'user_id');
			check(statuses.has(r.subscription_status), r, 'status');
			check(stores.has(r.store), r, 'store');
			check(offers.has(r.offer_type), r, 'offer_type');
			check(r.is_sandbox === 'true' || r.is_sandbox === 'false', r, 'is_sandbox');
			const plan = plans.get(r.plan);
			check(plan?.product === r.product, r, 'plan/product');
			// Google Play only: account hold and pause.
			if (r.subscription_status === 'ON_HOLD' || r.subscription_status === 'PAUSED') check(r.store === 'GOOGLE_PLAY_STORE', r, 'Google-only status');
			if (r.subscription_status === 'DEACTIVATED' || r.subscription_status === 'REVOKED') {
				check(r.next_renewal_at === '', r, 'no renewal once ended');
				continue;
			}
			check(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(r.next_renewal_at), r, 'ISO 8601 renewal date');
			const at = Date.parse(r.next_renewal_at);
			if (['IN_GRACE_PERIOD', 'ON_HOLD', 'UNPAID'].includes(r.subscription_status)) {
				check(at <= AS_OF_MS && at >= AS_OF_MS - 16 * DAY, r, 'billing problem: renewal date passed, ≤ 16 days ago');
			} else {
				check(plan !== undefined && at >= AS_OF_MS && at <= AS_OF_MS + plan.days * DAY, r, 'renewal within one period ahead');
			}
		}
		expect(broken.slice(0, 5)).toEqual([]);
		// Every status, store and offer type shows up in 20 000 rows; most subscribers auto-renew.
		const seen = new Set(rows.flatMap((r) => [r.subscription_status, r.store, r.offer_type]));
		expect([...statuses, ...stores, ...offers].filter((v) => !seen.has(v))).toEqual([]);
		const share = (s: string) => rows.filter((r) => r.subscription_status === s).length / rows.length;
		expect(share('AUTO_RENEWING')).toBeGreaterThan(0.45);
		expect(share('AUTO_RENEWING')).toBeLessThan(0.65);
		const sandbox = rows.filter((r) => r.is_sandbox === 'true').length / rows.length;
		expect(sandbox).toBeGreaterThan(0.002);
		expect(sandbox).toBeLessThan(0.03);
	});

	it('bad rows: the count asked for, spread out, each kind in turn, each breaking its rule', () => {
		const rows = all({ rows: 1000, badRows: 8 });
		const bad = rows.map((r, i) => ({ ...r, i })).filter((r) => r.defect);
		expect(bad.map((b) => b.defect!.kind)).toEqual([...sample.BAD_ROW_KINDS.map((k) => k.kind), ...sample.BAD_ROW_KINDS.map((k) => k.kind)]);
		expect(bad[0].i).toBeGreaterThan(0);
		expect(bad.at(-1)!.i).toBeLessThan(999);
		const byKind = new Map(bad.map((b) => [b.defect!.kind, b.row]));
		expect(byKind.get('empty_user_id')!.user_id).toBe('');
		expect(byKind.get('user_id_too_long')!.user_id).toHaveLength(1025);
		expect(byKind.get('next_renewal_not_a_date')!.next_renewal_at).toBe('next tuesday');
		expect(byKind.get('plan_too_long')!.plan).toHaveLength(301);
		// Good rows are the same as without the flag.
		const clean = all({ rows: 1000 });
		expect(rows.filter((r) => !r.defect).map((r) => r.row)).toEqual(clean.filter((_, i) => !rows[i].defect).map((r) => r.row));
	});

	it('refuses bad options, naming the option and the rule', () => {
		expect(() => all({ rows: 0 })).toThrow(/rows must be an integer from 1/);
		expect(() => all({ rows: 1.5 })).toThrow(RangeError);
		expect(() => all({ rows: 10, seed: -1 })).toThrow(/seed must be/);
		expect(() => all({ rows: 10, badRows: 11 })).toThrow(/bad rows must be/);
		expect(() => all({ rows: 10, asOf: 'tomorrow' })).toThrow(/as-of must be a UTC date/);
		expect(() => all({ rows: 10, asOf: '2026-13-45' })).toThrow(/as-of/);
	});

	it('CSV fields are quoted only when needed (RFC 4180)', () => {
		expect(sample.csvField('plain')).toBe('plain');
		expect(sample.csvField('a,b')).toBe('"a,b"');
		expect(sample.csvField('say "hi"')).toBe('"say ""hi"""');
		expect(sample.csvField('two\nlines')).toBe('"two\nlines"');
	});
});
