/**
 * Injected faults: each applies to the next `times` API requests whose path contains `path`.
 * Admin paths (/_simulator/…) are never faulted.
 */
import type { Fault } from './types';

interface ArmedFault {
	fault: Fault;
	remaining: number;
}

export class FaultQueue {
	private armed: ArmedFault[] = [];

	/** Validate and add faults; throws TypeError on a malformed one (nothing is added then). */
	add(faults: unknown): void {
		if (!Array.isArray(faults)) throw new TypeError('faults must be an array');
		const checked = faults.map((f, i) => FaultQueue.check(f, i));
		for (const fault of checked) this.armed.push({ fault, remaining: fault.times ?? 1 });
	}

	private static check(f: unknown, i: number): Fault {
		if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new TypeError(`fault ${i} must be an object`);
		const o = f as Record<string, unknown>;
		const known = ['times', 'path', 'status', 'retryAfter', 'delayMs', 'drop', 'body', 'rejectOperations', 'rejectCustomIds', 'reason'];
		for (const k of Object.keys(o)) if (!known.includes(k)) throw new TypeError(`fault ${i}: unknown field "${k}"`);
		const int = (k: string, min: number, max: number) => {
			const v = o[k];
			if (v === undefined) return;
			if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
				throw new TypeError(`fault ${i}: ${k} must be an integer in [${min}, ${max}]`);
			}
		};
		int('times', 1, 1_000_000);
		int('status', 100, 599);
		int('retryAfter', 0, 86_400);
		int('delayMs', 0, 600_000);
		if (o.path !== undefined && typeof o.path !== 'string') throw new TypeError(`fault ${i}: path must be a string`);
		if (o.drop !== undefined && o.drop !== true) throw new TypeError(`fault ${i}: drop must be true when set`);
		if (o.rejectOperations !== undefined) {
			const r = o.rejectOperations;
			if (!Array.isArray(r) || !r.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
				throw new TypeError(`fault ${i}: rejectOperations must be an array of operation indexes`);
			}
		}
		if (o.rejectCustomIds !== undefined) {
			const r = o.rejectCustomIds;
			if (!Array.isArray(r) || !r.every((s) => typeof s === 'string')) throw new TypeError(`fault ${i}: rejectCustomIds must be an array of strings`);
		}
		if (o.reason !== undefined && typeof o.reason !== 'string') throw new TypeError(`fault ${i}: reason must be a string`);
		const partial = o.rejectOperations !== undefined || o.rejectCustomIds !== undefined;
		if (partial && (o.status !== undefined || o.drop !== undefined || o.body !== undefined)) {
			throw new TypeError(`fault ${i}: rejectOperations / rejectCustomIds cannot be combined with status, drop or body`);
		}
		return o as Fault;
	}

	/** Take the first armed fault matching this path (consuming one of its `times`). */
	take(path: string): Fault | undefined {
		const idx = this.armed.findIndex((a) => a.fault.path === undefined || path.includes(a.fault.path));
		if (idx < 0) return undefined;
		const a = this.armed[idx];
		a.remaining--;
		if (a.remaining <= 0) this.armed.splice(idx, 1);
		return a.fault;
	}

	pending(): Array<Fault & { remaining: number }> {
		return this.armed.map((a) => ({ ...a.fault, remaining: a.remaining }));
	}

	clear(): void {
		this.armed = [];
	}
}

/** Batch-style error code for a faulted status. */
export function errorCodeForStatus(status: number): string {
	switch (status) {
		case 400:
			return 'BAD_REQUEST';
		case 401:
			return 'AUTHENTICATION_INVALID';
		case 403:
			return 'FORBIDDEN';
		case 404:
			return 'ROUTE_NOT_FOUND';
		case 429:
			return 'TOO_MANY_REQUESTS';
		case 500:
			return 'SERVER_ERROR';
		case 502:
			return 'BAD_GATEWAY';
		case 503:
			return 'MAINTENANCE_ERROR';
		case 504:
			return 'GATEWAY_TIMEOUT';
		default:
			return status >= 500 ? 'SERVER_ERROR' : 'BAD_REQUEST';
	}
}
