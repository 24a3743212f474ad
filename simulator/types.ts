/**
 * Types shared by the simulator modules (see batchSimulator.ts for the documented public API).
 */
import type { EndpointName } from './endpoints';

/** A JSON value as parsed by JSON.parse. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** How an attribute value was typed when Batch received it. */
export type AttributeType = 'string' | 'integer' | 'float' | 'boolean' | 'date' | 'url' | 'array' | 'object';

/** One event as Batch holds it on a profile (Profile API). */
export interface RecordedProfileEvent {
	name: string;
	/** ISO 8601: the `time` sent, or the arrival time when none was sent. */
	time: string;
	/** Attributes by bare name (`date(x)` → `x`); `$label` and `$tags` are moved to `label` / `tags`. */
	attributes: Record<string, Json>;
	/** The type of each attribute (`date(x)` → `date`, `url(x)` → `url`, …). */
	attributeTypes: Record<string, AttributeType>;
	label?: string;
	tags?: string[];
	/** Arrival time at the simulator, ISO 8601. */
	receivedAt: string;
}

/** What Batch would hold for one profile. */
export interface ProfileSnapshot {
	/** Attributes merged across updates by bare name; `null` deleted them. */
	attributes: Record<string, Json>;
	attributeTypes: Record<string, AttributeType>;
	/** Events in arrival order. */
	events: RecordedProfileEvent[];
}

export type ProfileKind = 'custom_id' | 'installation';

/** One event recorded by the Trigger Events API (1.0). */
export interface RecordedTriggerEvent {
	/** Which configured app key received it: `ios`, `android`, or `other` for an extra key. */
	platform: string;
	/** The app API key the event was sent to (not a secret in the REST-key sense: apps embed it). */
	appApiKey: string;
	customId: string;
	name: string;
	/** `YYYY-MM-ddTHH:mm:ss` as sent (UTC), or the arrival time when none was sent. */
	time: string;
	label?: string;
	tags?: string[];
	attributes: Record<string, Json>;
	attributeTypes: Record<string, AttributeType>;
	receivedAt: string;
}

/** One entry of the request log. Holds no secret: no header, no REST key, app keys replaced by `{ios}` / `{android}`. */
export interface RequestLogEntry {
	seq: number;
	method: string;
	/** Path with app API keys redacted. */
	path: string;
	api: 'profile' | 'triggerEvents' | 'orchestrations' | 'unknown';
	/** Which endpoint: `profiles/update`, `profiles/mass-update`, `trigger-events`, `orchestrations/list` or `unknown`. */
	endpoint: EndpointName;
	status: number;
	/** Operations (Profile API) or events (Trigger Events API) in the body, 0 when it could not be read. */
	operations: number;
	durationMs: number;
	/** The Batch `error_code` or `code` of the answer, when there was one. */
	code?: string;
	/** Set when an injected fault decided the answer. */
	fault?: 'status' | 'drop' | 'delay' | 'partial';
	/** Arrival time, ISO 8601. */
	at: string;
	/** The JSON body as parsed (option `recordBodies`; absent otherwise, or when it was not JSON). */
	body?: unknown;
}

export interface SimulatorStats {
	/** API requests received (admin endpoints excluded). */
	requests: number;
	/** Profile API operations recorded. */
	acceptedOperations: number;
	/** Profile API operations dropped by per-operation validation (SUCCESS_WITH_PARTIAL_ERRORS). */
	rejectedOperations: number;
	/** Requests answered with a 4xx other than 429 (auth, malformed, limits, Trigger Events validation). */
	rejectedRequests: number;
	/** Requests answered 429 because the token bucket was empty. */
	rateLimited: number;
	/** Requests whose answer was decided by an injected fault (delay-only faults included). */
	faultsInjected: number;
	/** Trigger Events API events recorded. */
	acceptedTriggerEvents: number;
	/**
	 * TCP connections accepted (a keep-alive client reuses one for many requests; a client opening one per request
	 * shows here). Counted when accepted, before any request is read: admin requests' connections are included.
	 */
	connections: number;
	/** TCP connections open now. */
	openConnections: number;
	/** Most TCP connections open at once (since start or reset(); reset() starts it from those open then). */
	peakOpenConnections: number;
}

/** A fault to inject on the next matching request(s). */
export interface Fault {
	/** How many matching requests it applies to (default 1). */
	times?: number;
	/** Substring the request path must contain (default: any API path; admin paths are never faulted). */
	path?: string;
	/** Answer this status instead of handling the request (default 500 when neither delayMs nor drop is set). */
	status?: number;
	/** Seconds, sent as a `Retry-After` header. */
	retryAfter?: number;
	/** Wait this long first. With no `status` and no `drop`, the request is then handled normally. */
	delayMs?: number;
	/** Destroy the socket without answering (after delayMs, if any). */
	drop?: true;
	/** Body to answer (default: a Batch-style error body for the status). */
	body?: unknown;
	/**
	 * Profile API only, without `status`/`drop`: handle the request normally but fail the operations at these
	 * 0-based indexes with `SUCCESS_WITH_PARTIAL_ERRORS` (category `operation`); they are not recorded.
	 */
	rejectOperations?: number[];
	/** Same, for the operations whose `identifiers.custom_id` is one of these. */
	rejectCustomIds?: string[];
	/** Reason reported for `rejectOperations` / `rejectCustomIds` (default "injected failure"). */
	reason?: string;
}
