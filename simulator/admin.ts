/**
 * Admin HTTP endpoints under /_simulator/ for out-of-process use (npm start, real-n8n e2e tests).
 * Never faulted, never rate limited, not counted in stats or the request log.
 *
 *   GET    /_simulator/health                         → {"ok": true}
 *   GET    /_simulator/state                          → {profiles, triggerEvents, stats, endpoints, faults}
 *   GET    /_simulator/profiles/<custom_id|installation>/<id>  → profile, or 404
 *   GET    /_simulator/trigger-events[?platform=ios|android][&customId=…] → {events}
 *   GET    /_simulator/requests[?endpoint=profiles/mass-update] → {requests} (optionally one endpoint's only)
 *   DELETE /_simulator/requests                       → {cleared: true} (the log only)
 *   GET    /_simulator/stats                          → stats
 *   GET    /_simulator/endpoints                      → counters per endpoint: {"profiles/update": {requests,
 *          operations, maxOperations, acceptedOperations, rejectedOperations, rejectedRequests, rateLimited,
 *          faultsInjected}, "profiles/mass-update": {…}, "trigger-events": {…}, "orchestrations/list": {…}, "unknown": {…}}
 *   POST   /_simulator/faults   (JSON array of faults) → {armed}
 *   DELETE /_simulator/faults                         → {cleared: true}
 *   POST   /_simulator/reset                          → {reset: true}
 */
import type { IncomingMessage } from 'node:http';
import { batchError, parseJson, type ApiResult } from './http';
import { ENDPOINT_NAMES, type EndpointName, type EndpointStatsByName } from './endpoints';
import type { RecordedTriggerEvent, RequestLogEntry } from './types';

export interface AdminTarget {
	state(): unknown;
	profile(kind: 'custom_id' | 'installation', id: string): unknown;
	triggerEvents(): RecordedTriggerEvent[];
	requests(): RequestLogEntry[];
	clearRequests(): void;
	stats(): unknown;
	endpoints(): EndpointStatsByName;
	injectFaults(faults: unknown): number;
	clearFaults(): void;
	reset(): void;
}

/** Trigger events as the admin endpoints show them: without the app API key (the platform says which). */
export function redactTriggerEvent(e: RecordedTriggerEvent): Omit<RecordedTriggerEvent, 'appApiKey'> {
	const { appApiKey: _omit, ...rest } = e;
	void _omit;
	return rest;
}

export function handleAdmin(target: AdminTarget, req: IncomingMessage, url: URL, body: Buffer): ApiResult {
	const path = url.pathname.replace(/\/+$/, '');
	const method = req.method ?? 'GET';
	const ok = (b: unknown): ApiResult => ({ status: 200, body: b, operations: 0 });
	const notFound = (): ApiResult => ({ status: 404, body: batchError('ROUTE_NOT_FOUND', 'Unknown simulator admin route'), operations: 0 });
	const notAllowed = (allow: string): ApiResult => ({
		status: 405,
		body: batchError('METHOD_NOT_ALLOWED', `Use ${allow}`),
		headers: { Allow: allow },
		operations: 0,
	});

	if (path === '/_simulator/health') return method === 'GET' ? ok({ ok: true }) : notAllowed('GET');
	if (path === '/_simulator/state') return method === 'GET' ? ok(target.state()) : notAllowed('GET');
	if (path === '/_simulator/requests') {
		if (method === 'GET') {
			const endpoint = url.searchParams.get('endpoint');
			if (endpoint === null) return ok({ requests: target.requests() });
			if (!(ENDPOINT_NAMES as readonly string[]).includes(endpoint)) {
				return {
					status: 400,
					body: batchError('MALFORMED_PARAMETER', `endpoint must be one of ${ENDPOINT_NAMES.join(', ')}`),
					operations: 0,
				};
			}
			return ok({ requests: target.requests().filter((r) => r.endpoint === (endpoint as EndpointName)) });
		}
		if (method === 'DELETE') {
			target.clearRequests();
			return ok({ cleared: true });
		}
		return notAllowed('GET, DELETE');
	}
	if (path === '/_simulator/stats') return method === 'GET' ? ok(target.stats()) : notAllowed('GET');
	if (path === '/_simulator/endpoints') return method === 'GET' ? ok(target.endpoints()) : notAllowed('GET');
	if (path === '/_simulator/trigger-events') {
		if (method !== 'GET') return notAllowed('GET');
		const platform = url.searchParams.get('platform');
		const customId = url.searchParams.get('customId');
		const events = target
			.triggerEvents()
			.filter((e) => (platform === null || e.platform === platform) && (customId === null || e.customId === customId))
			.map(redactTriggerEvent);
		return ok({ events });
	}
	if (path === '/_simulator/reset') {
		if (method !== 'POST') return notAllowed('POST');
		target.reset();
		return ok({ reset: true });
	}
	if (path === '/_simulator/faults') {
		if (method === 'DELETE') {
			target.clearFaults();
			return ok({ cleared: true });
		}
		if (method !== 'POST') return notAllowed('POST, DELETE');
		const parsed = parseJson(body);
		if (!parsed.ok) return { status: 400, body: batchError('MALFORMED_JSON_BODY', 'The body is not valid JSON'), operations: 0 };
		try {
			return ok({ armed: target.injectFaults(parsed.value) });
		} catch (err) {
			return { status: 400, body: batchError('INVALID_FAULT', (err as Error).message), operations: 0 };
		}
	}
	const m = /^\/_simulator\/profiles\/(custom_id|installation)\/(.+)$/.exec(path);
	if (m) {
		if (method !== 'GET') return notAllowed('GET');
		let id: string;
		try {
			id = decodeURIComponent(m[2]);
		} catch {
			return { status: 400, body: batchError('MALFORMED_PARAMETER', 'Malformed percent-encoding'), operations: 0 };
		}
		const p = target.profile(m[1] as 'custom_id' | 'installation', id);
		return p === undefined ? { status: 404, body: batchError('PROFILE_NOT_FOUND', 'No such profile'), operations: 0 } : ok(p);
	}
	return notFound();
}
