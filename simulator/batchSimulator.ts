/**
 * Local Batch (batch.com) API simulator — for tests, the demo (`npm start`) and the benchmarks.
 * Not shipped in the npm package. node:http only. What it enforces, and where each rule comes from:
 * docs/batch-api-notes.md (confirmed vs. UNCONFIRMED) and the comments in rules.ts.
 *
 * ## Programmatic API
 * ```ts
 * import { startBatchSimulator } from '../simulator/batchSimulator';
 * const sim = await startBatchSimulator({ restApiKey: 'rest', projectKey: 'project_x',
 *                                         appApiKeys: { ios: 'IOS', android: 'ANDROID' } });
 * // sim.url === 'http://127.0.0.1:<port>'  → use it as the credential's baseUrl
 * ...
 * await sim.close();
 * ```
 * `startBatchSimulator(options?: BatchSimulatorOptions): Promise<BatchSimulator>`; options (all optional):
 * - `host` (default `127.0.0.1`), `port` (default `0` = random free port)
 * - `restApiKey` (default `sim-rest-api-key`), `projectKey` (default `project_simulator`)
 * - `appApiKeys: { ios?, android? }` — the per-app Live keys of the Trigger Events API
 *   (default `{ ios: 'SIM_IOS_API_KEY', android: 'SIM_ANDROID_API_KEY' }`)
 * - `rateLimit: { perSecond, burst } | false` — token bucket of /profiles/update, one token per operation
 *   (default 300/s, burst 1000; Batch's documented limit). Short → 429 `TOO_MANY_REQUESTS`, nothing recorded.
 * - `massUpdateRateLimit: { perSecond, burst } | false` — bucket of /profiles/mass-update, its own budget apart
 *   from /profiles/update's (default 10 000/s, burst 10 000: Batch documents "No burst", so the bucket holds one
 *   second of rate and never more — enough for one full 10 000-operation call, then 1 s before the next);
 *   `rateLimit: false` also disables it unless given explicitly.
 * - `maxBodyBytes` (default 10 MiB) — larger bodies → 413 `PAYLOAD_TOO_LARGE` and the connection is closed.
 * - `now: () => number` — epoch ms used for the 24 h event window and default event times (default Date.now).
 * - `clock: () => number` — monotonic ms read by the token buckets (default performance.now); a test can freeze
 *   it to check the rate limits exactly.
 *
 * `BatchSimulator`:
 * - `url: string` (`http://127.0.0.1:PORT`), `port: number`
 * - `close(): Promise<void>` — stops listening, destroys open sockets, cancels pending fault delays.
 * - `reset(): void` — forgets profiles, trigger events, request log, stats and faults; refills the buckets.
 * - `injectFaults(faults: Fault[]): void` / `clearFaults(): void` — see "Faults" below.
 * - `profile(kind: 'custom_id' | 'installation', id: string): ProfileSnapshot | undefined` —
 *   `{ attributes, attributeTypes, events }`: attributes merged across updates by bare name (`date(x)` → `x`,
 *   its type in `attributeTypes.x === 'date'`), `null` deleted them, `{"$add"/"$remove"}` applied; events in
 *   arrival order `{ name, time, attributes, attributeTypes, label?, tags?, receivedAt }` (`$label` → `label`,
 *   `$tags` → `tags`; `time` = the time sent, else the arrival time).
 * - `triggerEvents(appApiKey?: string, customId?: string): RecordedTriggerEvent[]` — events accepted by the
 *   Trigger Events API, in arrival order: `{ platform: 'ios'|'android', appApiKey, customId, name, time, label?,
 *   tags?, attributes, attributeTypes, receivedAt }`.
 * - `requests: RequestLogEntry[]` (getter, a copy) — every API request: `{ seq, method, path, api, status,
 *   operations, durationMs, code?, fault?, at, body? }`. No headers, no REST key; app keys in paths → `{ios}`/`{android}`.
 *   `body`: the request's JSON body as parsed, only with the option `recordBodies: true` (a test comparing what
 *   was sent; off by default so that long runs keep no bodies).
 *   Admin requests are not logged. Status 0 = dropped by a fault.
 * - `clearRequests(): void` — empties the request log only (count requests per test).
 * - `stats(): SimulatorStats` — `{ requests, acceptedOperations, rejectedOperations, rejectedRequests, rateLimited,
 *   faultsInjected, acceptedTriggerEvents, connections, openConnections, peakOpenConnections }`: the last three are
 *   TCP connections accepted, open now and most open at once (admin requests' connections included).
 * - `endpoints(): EndpointStatsByName` — the same counters per endpoint (`profiles/update`, `profiles/mass-update`,
 *   `trigger-events`, `orchestrations/list`, `unknown`), plus `operations` (sent) and `maxOperations` (largest
 *   request): which endpoint a node used, and how it chunked. Each request-log entry also names its `endpoint`.
 *
 * ## Simulated Batch routes
 * - `POST /2.<minor>/profiles/update` (any 2.x) — `Authorization: Bearer <restApiKey>`, `X-Batch-Project: <projectKey>`,
 *   body: JSON array of 1…200 operations `{ identifiers: {custom_id} | {installation: {installation_id}}, attributes?, events? }`.
 *   `POST /2.<minor>/profiles/mass-update` — same headers, body, per-operation checks and answers, up to 10 000
 *   operations, its own rate budget (https://doc.batch.com/developer/api/cep/profiles/mass-update-profile).
 *   → 202 `{"code":"SUCCESS"}` | 202 `{"code":"SUCCESS_WITH_PARTIAL_ERRORS","errors":[{"bulk_index","category","reason","attribute"?}]}`
 *     (failed operations are not recorded) | 4xx/429 `{"error_code","error_message"}` (nothing recorded).
 * - `POST /1.0/<appApiKey>/events/users/<customUserId>` body `{"events":[…]}` and
 *   `POST /1.0/<appApiKey>/events/users` body `[{"id":"<customUserId>","events":[…]}]` — `X-Authorization: <restApiKey>`,
 *   ≤ 1000 events; event `{ name, time?, label?, tags?, attributes? }`.
 *   → 202 `{"token":"<uuid>"}` | 4xx `{"error_code","error_message"}` (any invalid event rejects the whole call).
 * - `GET /2.<minor>/orchestrations/list[?limit=1..100&from=…]` — same auth as the Profile API; read-only, for
 *   credential tests → 200 `{"orchestrations":[],"count":0,"has_more":false}`.
 * Error codes used: 401 AUTHENTICATION_INVALID (REST key, project key, unknown app key), 400 MISSING_PARAMETER
 * (no X-Batch-Project, wrong body wrapper), 400 MALFORMED_JSON_BODY, 400 INVALID_PAYLOAD (not an array / empty),
 * 400 TOO_MANY_OPERATIONS, 400 TOO_MANY_EVENTS, 400 MALFORMED_PARAMETER (invalid trigger event), 404 ROUTE_NOT_FOUND,
 * 405 METHOD_NOT_ALLOWED, 413 PAYLOAD_TOO_LARGE, 429 TOO_MANY_REQUESTS, 500 SERVER_ERROR.
 *
 * ## Faults
 * `{ times?: number = 1, path?: string (substring of the request path), status?: number, retryAfter?: seconds
 * (→ Retry-After header), delayMs?: number, drop?: true, body?: object }`. Matched in order against API requests
 * (never admin ones); each match uses one of `times`. `drop` destroys the socket without answering; `status`
 * (default 500 when neither `delayMs` nor `drop` is set) answers that status with `body` or a Batch-style error
 * body (503 → MAINTENANCE_ERROR, 429 → TOO_MANY_REQUESTS, 500 → SERVER_ERROR, 502 → BAD_GATEWAY); such a request
 * records nothing. A fault with only `delayMs` waits, then the request is handled normally.
 * Partial errors on demand (Profile API): `{ rejectOperations?: number[], rejectCustomIds?: string[], reason?: string }`
 * (with no status/drop/body) handles the request normally but fails those operations (by 0-based index, or by
 * `identifiers.custom_id`) with `SUCCESS_WITH_PARTIAL_ERRORS` `{bulk_index, category: "operation", reason}`.
 *
 * ## Admin HTTP endpoints (out-of-process use)
 * `GET /_simulator/health`, `GET /_simulator/state` (profiles + trigger events without app keys + stats + pending
 * faults), `GET /_simulator/profiles/custom_id/<id>` (or `/installation/<id>`; 404 when unknown),
 * `GET /_simulator/trigger-events?platform=&customId=`, `GET /_simulator/requests[?endpoint=profiles/mass-update]`,
 * `DELETE /_simulator/requests`, `GET /_simulator/stats`, `GET /_simulator/endpoints`,
 * `POST /_simulator/faults` (JSON array), `DELETE /_simulator/faults`, `POST /_simulator/reset`.
 */
import type { ResolvedOptions } from './context';
import type { EndpointStatsByName } from './endpoints';
import { SimulatorServer } from './server';
import type { Fault, ProfileKind, ProfileSnapshot, RecordedTriggerEvent, RequestLogEntry, SimulatorStats } from './types';

export type {
	AttributeType,
	Fault,
	ProfileKind,
	ProfileSnapshot,
	RecordedProfileEvent,
	RecordedTriggerEvent,
	RequestLogEntry,
	SimulatorStats,
} from './types';
export type { EndpointName, EndpointStats, EndpointStatsByName } from './endpoints';
export { LIMITS } from './rules';

export interface RateLimitOptions {
	perSecond: number;
	burst: number;
}

export interface BatchSimulatorOptions {
	host?: string;
	port?: number;
	restApiKey?: string;
	projectKey?: string;
	appApiKeys?: { ios?: string; android?: string };
	rateLimit?: RateLimitOptions | false;
	massUpdateRateLimit?: RateLimitOptions | false;
	maxBodyBytes?: number;
	/** Keep each API request's parsed JSON body in the request log (`requests[i].body`). Default false. */
	recordBodies?: boolean;
	now?: () => number;
	clock?: () => number;
}

export interface BatchSimulator {
	readonly url: string;
	readonly port: number;
	close(): Promise<void>;
	reset(): void;
	injectFaults(faults: Fault[]): void;
	clearFaults(): void;
	profile(kind: ProfileKind, id: string): ProfileSnapshot | undefined;
	triggerEvents(appApiKey?: string, customId?: string): RecordedTriggerEvent[];
	readonly requests: RequestLogEntry[];
	clearRequests(): void;
	stats(): SimulatorStats;
	endpoints(): EndpointStatsByName;
}

export const DEFAULTS = {
	host: '127.0.0.1',
	port: 0,
	restApiKey: 'sim-rest-api-key',
	projectKey: 'project_simulator',
	appApiKeys: { ios: 'SIM_IOS_API_KEY', android: 'SIM_ANDROID_API_KEY' },
	// https://doc.batch.com/developer/api/cep/profiles ("choosing the right API endpoint"): /profiles/update
	// "300 updates per second", "peaks up to 1000 updates"; /profiles/mass-update "10,000 updates per second",
	// "No burst" (also https://doc.batch.com/developer/api/cep/profiles/mass-update-profile, "Rate Limiting").
	rateLimit: { perSecond: 300, burst: 1000 },
	massUpdateRateLimit: { perSecond: 10_000, burst: 10_000 },
	maxBodyBytes: 10 * 1024 * 1024,
} as const;

function checkRate(name: string, r: RateLimitOptions | false): RateLimitOptions | false {
	if (r === false) return false;
	if (!(r.perSecond > 0) || !(r.burst > 0)) throw new RangeError(`${name}: perSecond and burst must be > 0`);
	return { perSecond: r.perSecond, burst: r.burst };
}

export function resolveOptions(options: BatchSimulatorOptions = {}): ResolvedOptions {
	const rateLimit = checkRate('rateLimit', options.rateLimit ?? { ...DEFAULTS.rateLimit });
	const massUpdateRateLimit = checkRate(
		'massUpdateRateLimit',
		options.massUpdateRateLimit ?? (options.rateLimit === false ? false : { ...DEFAULTS.massUpdateRateLimit }),
	);
	const restApiKey = options.restApiKey ?? DEFAULTS.restApiKey;
	const projectKey = options.projectKey ?? DEFAULTS.projectKey;
	if (!restApiKey) throw new TypeError('restApiKey must not be empty');
	if (!projectKey) throw new TypeError('projectKey must not be empty');
	return {
		host: options.host ?? DEFAULTS.host,
		port: options.port ?? DEFAULTS.port,
		restApiKey,
		projectKey,
		appApiKeys: { ...(options.appApiKeys ?? DEFAULTS.appApiKeys) },
		rateLimit,
		massUpdateRateLimit,
		maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
		recordBodies: options.recordBodies === true,
		now: options.now ?? Date.now,
		clock: options.clock ?? (() => performance.now()),
	};
}

export async function startBatchSimulator(options: BatchSimulatorOptions = {}): Promise<BatchSimulator> {
	const resolved = resolveOptions(options);
	const server = new SimulatorServer(resolved);
	const port = await server.listen();
	const hostForUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
	return {
		url: `http://${hostForUrl}:${port}`,
		port,
		close: () => server.close(),
		reset: () => server.reset(),
		injectFaults: (faults: Fault[]) => {
			server.injectFaults(faults);
		},
		clearFaults: () => server.clearFaults(),
		profile: (kind, id) => server.profile(kind, id),
		triggerEvents: (appApiKey, customId) => server.triggerEvents(appApiKey, customId),
		get requests() {
			return server.requests();
		},
		clearRequests: () => server.clearRequests(),
		stats: () => server.stats(),
		endpoints: () => server.endpoints(),
	};
}
