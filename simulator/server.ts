/**
 * The simulator's HTTP server (node:http only): routing, faults, body limit, request log, stats.
 * The public API is in batchSimulator.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { handleAdmin, redactTriggerEvent, type AdminTarget } from './admin';
import type { HandlerContext, ResolvedOptions } from './context';
import { EndpointCounters, endpointOf, type EndpointName, type EndpointStatsByName } from './endpoints';
import { FaultQueue, errorCodeForStatus } from './faults';
import { BodyTooLargeError, batchError, parseJson, readBody, sendJson, type ApiResult } from './http';
import { ORCHESTRATIONS_ROUTE, handleOrchestrationsApi } from './orchestrationsApi';
import { PROFILE_ROUTE, handleProfileApi, type ForcedRejections } from './profileApi';
import { Store } from './store';
import { TokenBucket } from './tokenBucket';
import { TRIGGER_ROUTE, handleTriggerEventsApi, platformOf } from './triggerEventsApi';
import type { Fault, ProfileKind, ProfileSnapshot, RecordedTriggerEvent, RequestLogEntry, SimulatorStats } from './types';

/** At most this many request-log entries are kept (oldest dropped first). */
export const REQUEST_LOG_LIMIT = 50_000;

function emptyStats(): SimulatorStats {
	return {
		requests: 0,
		acceptedOperations: 0,
		rejectedOperations: 0,
		rejectedRequests: 0,
		rateLimited: 0,
		faultsInjected: 0,
		acceptedTriggerEvents: 0,
		connections: 0,
		openConnections: 0,
		peakOpenConnections: 0,
	};
}

export class SimulatorServer implements AdminTarget {
	readonly server: Server;
	readonly store = new Store();
	readonly faults = new FaultQueue();
	private readonly ctx: HandlerContext;
	private readonly endpointCounters = new EndpointCounters();
	private log: RequestLogEntry[] = [];
	private seq = 0;
	private readonly sockets = new Set<Socket>();
	private readonly timers = new Set<NodeJS.Timeout>();
	private closing = false;

	constructor(readonly options: ResolvedOptions) {
		this.ctx = {
			options,
			store: this.store,
			stats: emptyStats(),
			// One bucket per endpoint: /profiles/mass-update has its own budget, apart from /profiles/update's
			// (https://doc.batch.com/developer/api/cep/profiles, "choosing the right API endpoint").
			updateBucket: options.rateLimit
				? new TokenBucket(options.rateLimit.perSecond, options.rateLimit.burst, options.clock)
				: undefined,
			massUpdateBucket: options.massUpdateRateLimit
				? new TokenBucket(options.massUpdateRateLimit.perSecond, options.massUpdateRateLimit.burst, options.clock)
				: undefined,
		};
		this.server = createServer({ keepAlive: true }, (req, res) => {
			this.handle(req, res).catch((err: unknown) => {
				// Never leak internals: a generic 500, as Batch would answer.
				sendJson(res, 500, batchError('SERVER_ERROR', 'Unexpected simulator error'));
				if (process.env.BATCH_SIM_DEBUG) console.error('[batch-simulator]', err);
			});
		});
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket: Socket) => {
			this.sockets.add(socket);
			const stats = this.ctx.stats;
			stats.connections++;
			stats.peakOpenConnections = Math.max(stats.peakOpenConnections, this.sockets.size);
			socket.on('close', () => this.sockets.delete(socket));
		});
		// A malformed request line etc.: answer 400 and close (never crash).
		this.server.on('clientError', (_err, socket: Socket) => {
			if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
			else socket.destroy();
		});
	}

	listen(): Promise<number> {
		return new Promise((resolve, reject) => {
			const onError = (err: Error) => reject(err);
			this.server.once('error', onError);
			this.server.listen(this.options.port, this.options.host, () => {
				this.server.off('error', onError);
				const addr = this.server.address();
				resolve(typeof addr === 'object' && addr ? addr.port : this.options.port);
			});
		});
	}

	/** Stop listening, cancel pending fault delays and destroy every open socket. */
	close(): Promise<void> {
		this.closing = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		return new Promise((resolve) => {
			if (!this.server.listening) {
				resolve();
				return;
			}
			this.server.close(() => resolve());
			this.server.closeAllConnections();
			for (const s of this.sockets) s.destroy();
		});
	}

	private sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.timers.delete(t);
				resolve();
			}, ms);
			this.timers.add(t);
		});
	}

	// ---- AdminTarget / programmatic API -------------------------------------------------------

	profile(kind: ProfileKind, id: string): ProfileSnapshot | undefined {
		return this.store.profile(kind, id);
	}

	triggerEvents(appApiKey?: string, customId?: string): RecordedTriggerEvent[] {
		return this.store.triggerEvents(appApiKey, customId);
	}

	requests(): RequestLogEntry[] {
		return this.log.map((e) => ({ ...e }));
	}

	stats(): SimulatorStats {
		return { ...this.ctx.stats, openConnections: this.sockets.size };
	}

	endpoints(): EndpointStatsByName {
		return this.endpointCounters.snapshot();
	}

	clearRequests(): void {
		this.log = [];
	}

	injectFaults(faults: unknown): number {
		this.faults.add(faults);
		return Array.isArray(faults) ? faults.length : 0;
	}

	clearFaults(): void {
		this.faults.clear();
	}

	reset(): void {
		this.store.reset();
		this.faults.clear();
		this.log = [];
		Object.assign(this.ctx.stats, emptyStats(), { peakOpenConnections: this.sockets.size });
		this.endpointCounters.reset();
		this.ctx.updateBucket?.reset();
		this.ctx.massUpdateBucket?.reset();
	}

	state(): unknown {
		return {
			profiles: this.store.allProfiles(),
			triggerEvents: this.store.triggerEvents().map(redactTriggerEvent),
			stats: this.stats(),
			endpoints: this.endpoints(),
			faults: this.faults.pending(),
		};
	}

	// ---- request handling ---------------------------------------------------------------------

	/** The path as logged: app API keys replaced by `{ios}` / `{android}` / `{unknown-app-key}`. */
	private redactPath(path: string): string {
		const m = TRIGGER_ROUTE.exec(path) ?? /^\/1\.0\/([^/]+)(\/.*)?$/.exec(path);
		if (!m) return path;
		let key = m[1];
		try {
			key = decodeURIComponent(key);
		} catch {
			/* keep as is */
		}
		const platform = platformOf(this.ctx, key);
		return path.replace(`/1.0/${m[1]}`, `/1.0/{${platform ?? 'unknown-app-key'}}`);
	}

	/** Log an answered API request and count it for its endpoint (`accepted`/`rejected`: see ApiResult). */
	private record(entry: Omit<RequestLogEntry, 'seq'>, counts: { accepted?: number; rejected?: number } = {}): void {
		this.endpointCounters.count({ ...counts, endpoint: entry.endpoint, status: entry.status, operations: entry.operations, fault: entry.fault });
		this.seq++;
		this.log.push({ seq: this.seq, ...entry });
		if (this.log.length > REQUEST_LOG_LIMIT) this.log.splice(0, this.log.length - REQUEST_LOG_LIMIT);
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const started = performance.now();
		const at = new Date().toISOString();
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://simulator.invalid');
		} catch {
			sendJson(res, 400, batchError('MALFORMED_PARAMETER', 'Malformed URL'));
			return;
		}
		const path = url.pathname;

		let body: Buffer;
		try {
			body = await readBody(req, this.options.maxBodyBytes);
		} catch (err) {
			if (err instanceof BodyTooLargeError) {
				if (!path.startsWith('/_simulator/')) {
					this.ctx.stats.requests++;
					this.ctx.stats.rejectedRequests++;
					this.record({
						method: req.method ?? '',
						path: this.redactPath(path),
						api: this.apiOf(path),
						endpoint: endpointOf(path),
						status: 413,
						operations: 0,
						durationMs: performance.now() - started,
						code: 'PAYLOAD_TOO_LARGE',
						at,
					});
				}
				// Stop reading: answer and close the connection.
				sendJson(res, 413, batchError('PAYLOAD_TOO_LARGE', `The body is larger than ${err.limit} bytes`), { Connection: 'close' });
				res.on('finish', () => req.socket.destroy());
				return;
			}
			req.socket.destroy();
			return;
		}

		if (path === '/_simulator' || path.startsWith('/_simulator/')) {
			const r = handleAdmin(this, req, url, body);
			sendJson(res, r.status, r.body, r.headers);
			return;
		}

		this.ctx.stats.requests++;
		const api = this.apiOf(path);
		const endpoint: EndpointName = endpointOf(path);
		const parsed = this.options.recordBodies ? parseJson(body) : undefined;
		const logBase = { method: req.method ?? '', path: this.redactPath(path), api, endpoint, at, ...(parsed?.ok ? { body: parsed.value } : {}) };

		const fault = this.faults.take(path);
		let faultKind: RequestLogEntry['fault'];
		let forced: ForcedRejections | undefined;
		if (fault) {
			this.ctx.stats.faultsInjected++;
			const partial = fault.rejectOperations !== undefined || fault.rejectCustomIds !== undefined;
			faultKind = fault.drop
				? 'drop'
				: partial
					? 'partial'
					: fault.status !== undefined || fault.delayMs === undefined
						? 'status'
						: 'delay';
			if (partial) {
				forced = {
					bulkIndexes: fault.rejectOperations ?? [],
					customIds: fault.rejectCustomIds ?? [],
					reason: fault.reason ?? 'injected failure',
				};
			}
			if (fault.delayMs) await this.sleep(fault.delayMs);
			if (this.closing) {
				req.socket.destroy();
				return;
			}
			if (faultKind === 'drop') {
				req.socket.destroy();
				this.record({ ...logBase, status: 0, operations: 0, durationMs: performance.now() - started, fault: 'drop' });
				return;
			}
			if (faultKind === 'status') {
				const r = this.faultAnswer(fault);
				sendJson(res, r.status, r.body, r.headers);
				this.record({
					...logBase,
					status: r.status,
					operations: 0,
					durationMs: performance.now() - started,
					code: codeOf(r.body),
					fault: 'status',
				});
				return;
			}
		}

		let r: ApiResult;
		if (api === 'profile') r = handleProfileApi(this.ctx, req, path, body, forced);
		else if (api === 'orchestrations') r = handleOrchestrationsApi(this.ctx, req, url);
		else if (api === 'triggerEvents') r = handleTriggerEventsApi(this.ctx, req, path, body);
		else r = { status: 404, body: batchError('ROUTE_NOT_FOUND', 'Route not found'), operations: 0 };
		if (r.status >= 400 && r.status < 500 && r.status !== 429) this.ctx.stats.rejectedRequests++;
		sendJson(res, r.status, r.body, r.headers);
		this.record(
			{
				...logBase,
				status: r.status,
				operations: r.operations,
				durationMs: performance.now() - started,
				code: codeOf(r.body),
				...(faultKind ? { fault: faultKind } : {}),
			},
			{ accepted: r.accepted, rejected: r.rejected },
		);
	}

	private apiOf(path: string): RequestLogEntry['api'] {
		if (PROFILE_ROUTE.test(path)) return 'profile';
		if (TRIGGER_ROUTE.test(path)) return 'triggerEvents';
		if (ORCHESTRATIONS_ROUTE.test(path)) return 'orchestrations';
		return 'unknown';
	}

	private faultAnswer(fault: Fault): ApiResult {
		const status = fault.status ?? 500;
		const headers: Record<string, string> = {};
		if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
		const body =
			fault.body !== undefined
				? fault.body
				: batchError(
						errorCodeForStatus(status),
						status === 503
							? "Batch's services are under maintenance. Please try again later"
							: status === 429
								? 'Too Many Requests'
								: 'Injected fault',
					);
		return { status, body, headers, operations: 0 };
	}
}

function codeOf(body: unknown): string | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const b = body as Record<string, unknown>;
	if (typeof b.error_code === 'string') return b.error_code;
	if (typeof b.code === 'string') return b.code;
	return undefined;
}
