/**
 * Token bucket: `perSecond` tokens flow in continuously up to `burst`; a request takes `cost` tokens
 * at once or none at all. Batch documents its Profile API limits this way ("following the Token Bucket
 * algorithm", one update = one Custom ID in the request) — https://doc.batch.com/developer/api/cep/profiles/mass-update-profile
 * ("Rate Limiting"); figures per endpoint on https://doc.batch.com/developer/api/cep/profiles:
 * `/profiles/update` 300/s with peaks up to 1000 (burst 1000), `/profiles/mass-update` 10,000/s with
 * "No burst" (burst = perSecond: the bucket never holds more than one second of rate).
 */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		readonly perSecond: number,
		readonly burst: number,
		private readonly clock: () => number = () => performance.now(),
	) {
		if (!(perSecond > 0) || !(burst > 0)) throw new RangeError('rate limit perSecond and burst must be > 0');
		this.tokens = burst;
		this.last = clock();
	}

	private refill(): void {
		const now = this.clock();
		const elapsed = Math.max(0, now - this.last) / 1000;
		this.last = now;
		this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perSecond);
	}

	/** Take `cost` tokens if they are all there; otherwise take none and return false. */
	tryTake(cost: number): boolean {
		this.refill();
		if (cost <= this.tokens) {
			this.tokens -= cost;
			return true;
		}
		return false;
	}

	/** Seconds until `cost` tokens are available (0 when they are); Infinity when cost > burst. */
	secondsUntil(cost: number): number {
		this.refill();
		if (cost > this.burst) return Number.POSITIVE_INFINITY;
		return Math.max(0, (cost - this.tokens) / this.perSecond);
	}

	available(): number {
		this.refill();
		return this.tokens;
	}

	reset(): void {
		this.tokens = this.burst;
		this.last = this.clock();
	}
}
