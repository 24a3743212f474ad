/**
 * Which simulated Batch endpoint a request went to, and counters per endpoint, so that a test (or the
 * benchmark) can tell `/profiles/update` traffic from `/profiles/mass-update` traffic without reading the
 * request log (which is capped). Pure: no I/O.
 *
 * The two Profile API write endpoints share headers, body and answers but not their limits:
 * https://doc.batch.com/developer/api/cep/profiles ("Profile updates: choosing the right API endpoint").
 */
import { ORCHESTRATIONS_ROUTE } from './orchestrationsApi';
import { PROFILE_ROUTE } from './profileApi';
import { TRIGGER_ROUTE } from './triggerEventsApi';
import type { RequestLogEntry } from './types';

export const ENDPOINT_NAMES = [
	'profiles/update',
	'profiles/mass-update',
	'trigger-events',
	'orchestrations/list',
	'unknown',
] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

export function endpointOf(path: string): EndpointName {
	const profile = PROFILE_ROUTE.exec(path);
	if (profile) return profile[2] === 'mass-update' ? 'profiles/mass-update' : 'profiles/update';
	if (TRIGGER_ROUTE.test(path)) return 'trigger-events';
	if (ORCHESTRATIONS_ROUTE.test(path)) return 'orchestrations/list';
	return 'unknown';
}

/** Counters of one endpoint. Same meanings as `SimulatorStats`, restricted to that endpoint. */
export interface EndpointStats {
	/** Requests received (dropped and faulted ones included). */
	requests: number;
	/** Operations (Profile API) or events (Trigger Events API) in the bodies, whatever the answer. */
	operations: number;
	/** Most operations / events in one request. */
	maxOperations: number;
	/** Operations / events recorded. */
	acceptedOperations: number;
	/** Operations dropped by per-operation validation or a partial fault (SUCCESS_WITH_PARTIAL_ERRORS). */
	rejectedOperations: number;
	/** Requests answered with a 4xx other than 429, not decided by a fault. */
	rejectedRequests: number;
	/** Requests answered 429 because the endpoint's token bucket was short. */
	rateLimited: number;
	/** Requests whose answer an injected fault decided (delay-only faults included). */
	faultsInjected: number;
}

export type EndpointStatsByName = Record<EndpointName, EndpointStats>;

/** What the server knows once a request is answered. */
export interface AnsweredRequest {
	endpoint: EndpointName;
	status: number;
	operations: number;
	fault?: RequestLogEntry['fault'];
	/** Operations recorded; default: all of them on a 2xx answer, none otherwise. */
	accepted?: number;
	/** Operations dropped one by one (partial errors); default 0. */
	rejected?: number;
}

function zero(): EndpointStats {
	return {
		requests: 0,
		operations: 0,
		maxOperations: 0,
		acceptedOperations: 0,
		rejectedOperations: 0,
		rejectedRequests: 0,
		rateLimited: 0,
		faultsInjected: 0,
	};
}

export class EndpointCounters {
	private byName = new Map<EndpointName, EndpointStats>();

	count(r: AnsweredRequest): void {
		let s = this.byName.get(r.endpoint);
		if (!s) {
			s = zero();
			this.byName.set(r.endpoint, s);
		}
		s.requests++;
		s.operations += r.operations;
		s.maxOperations = Math.max(s.maxOperations, r.operations);
		if (r.fault) s.faultsInjected++;
		const faultDecided = r.fault === 'status' || r.fault === 'drop';
		const ok = r.status >= 200 && r.status < 300;
		s.acceptedOperations += r.accepted ?? (ok ? r.operations : 0);
		s.rejectedOperations += r.rejected ?? 0;
		if (!faultDecided && r.status === 429) s.rateLimited++;
		if (!faultDecided && r.status >= 400 && r.status < 500 && r.status !== 429) s.rejectedRequests++;
	}

	/** Every endpoint, zeros included (a copy). */
	snapshot(): EndpointStatsByName {
		const out = {} as EndpointStatsByName;
		for (const name of ENDPOINT_NAMES) out[name] = { ...(this.byName.get(name) ?? zero()) };
		return out;
	}

	reset(): void {
		this.byName.clear();
	}
}
