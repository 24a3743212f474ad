// Types of scripts/backfill/sampleRows.js (plain JavaScript: `npm run backfill-sample` runs it without a build).
export interface SampleRow {
	user_id: string;
	subscription_status: string;
	plan: string;
	product: string;
	store: string;
	offer_type: string;
	is_sandbox: string;
	next_renewal_at: string;
}
export interface SampleDefect {
	kind: string;
	why: string;
}
export declare const COLUMNS: readonly string[];
export declare const STATUSES: ReadonlyArray<[string, number]>;
export declare const STORES: ReadonlyArray<[string, number]>;
export declare const OFFER_TYPES: ReadonlyArray<[string, number]>;
export declare const PLANS: ReadonlyArray<{ plan: string; product: string; days: number }>;
export declare const BAD_ROW_KINDS: readonly SampleDefect[];
export declare function generateRows(o: { rows: number; seed?: number; asOf: string; badRows?: number }): Iterable<{ row: SampleRow; defect?: SampleDefect }>;
export declare function csvHeader(): string;
export declare function csvRow(row: SampleRow): string;
export declare function csvField(value: string): string;
