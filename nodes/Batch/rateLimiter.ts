/**
 * Client-side rate budget. Batch counts "profile updates" (one per identifier in a request) against a bucket of
 * 300/s with bursts of 1000 (https://doc.batch.com/developer/api/cep/profiles/mass-update-profile describes the
 * unit); the node spends one token per operation or event it sends, retries included.
 *
 * One budget per Batch project and API per n8n process (sharedBucket): every execution of every Batch node in
 * this process that talks to the same base URL with the same project key (Profile API; `/profiles/update` and
 * `/profiles/mass-update` have a budget each) or app key (Trigger Events API) draws from the same bucket, so concurrent executions never add up to more than the budget.
 * Processes do not share it: with several queue-mode workers, give each a share of Batch's limit (README).
 *
 * `reserve(cost)` takes the tokens at once (the balance may go negative) and says how long to wait before
 * sending: callers that reserve later wait longer, so concurrent senders queue fairly, and a cost larger than
 * the burst still goes (after the wait) instead of blocking forever. `slowDown(ms)` is how a 429 feeds back:
 * the bucket is emptied and nobody sends for `ms` (Batch's Retry-After, or the backoff delay).
 */
import { createHash } from 'node:crypto';

export class TokenBucket {
	private tokens: number;
	private updatedAt: number;
	private blockedUntil = 0;

	constructor(
		private ratePerSecond: number,
		private burst: number,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = burst;
		this.updatedAt = now();
	}

	/** A rate of 0 (or less) turns client-side limiting off (a 429 still pauses the senders). */
	get enabled(): boolean {
		return this.ratePerSecond > 0 && Number.isFinite(this.ratePerSecond);
	}

	/** Changes the rate and burst (a shared bucket follows the latest execution's options); keeps the balance. */
	configure(ratePerSecond: number, burst: number): void {
		if (ratePerSecond === this.ratePerSecond && burst === this.burst) return;
		this.refill();
		this.ratePerSecond = ratePerSecond;
		this.burst = burst;
		this.tokens = Math.min(this.tokens, burst);
	}

	/** Reserves `cost` tokens; returns the milliseconds to wait before using them (0 = now). */
	reserve(cost: number): number {
		const at = this.now();
		const blocked = Math.max(0, this.blockedUntil - at);
		if (!this.enabled) return blocked;
		this.refill();
		this.tokens -= cost;
		const short = this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
		return Math.max(short, blocked);
	}

	/**
	 * Batch answered 429: the real budget is smaller than this bucket believed (other processes, other tools
	 * on the same project). Empties the bucket and holds every sender back for `pauseMs`.
	 */
	slowDown(pauseMs: number): void {
		this.refill();
		this.tokens = Math.min(this.tokens, 0);
		this.blockedUntil = Math.max(this.blockedUntil, this.now() + Math.max(0, pauseMs));
	}

	/** Tokens available now (negative while reservations are outstanding). */
	available(): number {
		this.refill();
		return this.tokens;
	}

	private refill(): void {
		const at = this.now();
		const elapsed = Math.max(0, at - this.updatedAt);
		this.updatedAt = at;
		if (this.enabled) this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSecond);
	}
}

/** Which of Batch's budgets a request draws from. */
export interface RateScope {
	baseUrl: string;
	/** `profile` = `/profiles/update`; `profileMassUpdate` = `/profiles/mass-update`, a budget of its own at Batch. */
	api: 'profile' | 'profileMassUpdate' | 'triggerEvents';
	/** The project key (Profile API) or the app key (Trigger Events API). Only its hash is kept. */
	key: string;
}

const SHARED = new Map<string, TokenBucket>();

/** The registry key: a SHA-256 of the scope, so that no key is held in clear in a long-lived map. */
export function rateScopeId(scope: RateScope): string {
	const baseUrl = scope.baseUrl.trim().replace(/\/+$/, '').toLowerCase();
	return createHash('sha256').update(`${baseUrl}\u0000${scope.api}\u0000${scope.key}`).digest('hex');
}

/** The process-wide bucket of this scope, created on first use, set to the given rate and burst. */
export function sharedBucket(scope: RateScope, ratePerSecond: number, burst: number): TokenBucket {
	const id = rateScopeId(scope);
	let bucket = SHARED.get(id);
	if (!bucket) SHARED.set(id, (bucket = new TokenBucket(ratePerSecond, burst)));
	else bucket.configure(ratePerSecond, burst);
	return bucket;
}

/** The process-wide bucket of this scope if one exists (tests and diagnostics; creates nothing). */
export function existingSharedBucket(scope: RateScope): TokenBucket | undefined {
	return SHARED.get(rateScopeId(scope));
}

/** Number of shared buckets (for tests and diagnostics). */
export function sharedBucketCount(): number {
	return SHARED.size;
}
