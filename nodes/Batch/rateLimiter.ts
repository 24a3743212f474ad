/**
 * Client-side token bucket, per execution (no state shared across executions or processes).
 * Batch counts "profile updates" (one per identifier in a request) against a bucket of 300/s with bursts of
 * 1000 (https://doc.batch.com/developer/api/cep/profiles/mass-update-profile describes the unit); the node
 * spends one token per operation or event it sends, retries included.
 *
 * `reserve(cost)` takes the tokens at once (the balance may go negative) and says how long to wait before
 * sending: callers that reserve later wait longer, so concurrent senders queue fairly, and a cost larger than
 * the burst still goes (after the wait) instead of blocking forever.
 */
export class TokenBucket {
	private tokens: number;
	private updatedAt: number;

	constructor(
		private readonly ratePerSecond: number,
		private readonly burst: number,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = burst;
		this.updatedAt = now();
	}

	/** A rate of 0 (or less) turns client-side limiting off. */
	get enabled(): boolean {
		return this.ratePerSecond > 0 && Number.isFinite(this.ratePerSecond);
	}

	/** Reserves `cost` tokens; returns the milliseconds to wait before using them (0 = now). */
	reserve(cost: number): number {
		if (!this.enabled) return 0;
		this.refill();
		this.tokens -= cost;
		if (this.tokens >= 0) return 0;
		return Math.ceil((-this.tokens / this.ratePerSecond) * 1000);
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
		this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSecond);
	}
}
