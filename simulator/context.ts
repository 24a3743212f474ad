/**
 * State the API handlers share (owned by server.ts).
 */
import type { Store } from './store';
import type { TokenBucket } from './tokenBucket';
import type { SimulatorStats } from './types';

export interface ResolvedOptions {
	host: string;
	port: number;
	restApiKey: string;
	projectKey: string;
	appApiKeys: { ios?: string; android?: string };
	rateLimit: { perSecond: number; burst: number } | false;
	massUpdateRateLimit: { perSecond: number; burst: number } | false;
	maxBodyBytes: number;
	/** Keep each API request's parsed JSON body in the request log (tests comparing bodies; off by default: memory). */
	recordBodies: boolean;
	now: () => number;
	/** Monotonic milliseconds read by the token buckets (performance.now by default; a test may freeze it). */
	clock: () => number;
}

export interface HandlerContext {
	options: ResolvedOptions;
	store: Store;
	stats: SimulatorStats;
	/** Bucket of /profiles/update (undefined: no rate limit). */
	updateBucket?: TokenBucket;
	/** Bucket of /profiles/mass-update (undefined: no rate limit). */
	massUpdateBucket?: TokenBucket;
}
