/**
 * Batch's documented limits, in one place, each with the page it comes from.
 *
 * Sources (read through the search tool, 2026):
 * - PROFILE_UPDATE: https://doc.batch.com/developer/api/cep/profiles/update
 *   ("You can specify at most 200 operations or the API call will be rejected";
 *   "Exactly one of custom_id or installation must be provided"; Bearer REST key + X-Batch-Project).
 * - PROFILE_MASS_UPDATE: https://doc.batch.com/developer/api/cep/profiles/mass-update-profile
 *   (token bucket measured in profile updates, one update = one Custom ID in a request; 429 when exceeded;
 *   example payload with `date(birthdate)`, `$label`, `$tags`).
 * - TRIGGER_TRACK: https://doc.batch.com/developer/api/mep/trigger-events-api/track-events
 *   (routes `/1.0/<APP_API_KEY>/events/users[/<CUSTOM_USER_ID>]`, `X-Authorization` header,
 *   up to 1000 events per call, single or bulk).
 * - TRIGGER_PARAMETERS: https://doc.batch.com/developer/api/mep/trigger-events-api/parameters
 *   (time `YYYY-MM-ddTHH:mm:ss`, last 24 hours, never in the future; label ≤ 200; ≤ 15 attributes named
 *   [a-z0-9_] ≤ 30 chars; string values ≤ 64; tags ≤ 10 × 64; `date(key)` with epoch seconds or that format, UTC).
 * - SEGMENT: segmentio/action-destinations, packages/destination-actions/src/destinations/batch/updateProfile/type.ts
 *   (202 `{"code":"SUCCESS_WITH_PARTIAL_ERRORS","errors":[{category, bulk_index (0-based), reason, attribute?}]}`).
 * - SDK: Batch's Android SDK (github.com/BatchLabs/Batch-Android-SDK, `ProfileDataHelper.java`,
 *   `EventAttributesValidator.java`) and iOS SDK (github.com/BatchLabs/Batch-iOS-SDK): profile strings 300, URLs 2048,
 *   string arrays 25 items, event attributes 20, custom user id 1024. Enforced client-side by Batch's own code, not
 *   read in the API pages: treated as the safe side. docs/batch-api-notes.md gives each one's status.
 */

export const API_MAX_OPERATIONS = {
	/** PROFILE_UPDATE: at most 200 operations per `/profiles/update` call. */
	profile: 200,
	/** TRIGGER_TRACK: at most 1000 events per bulk call. */
	triggerEvents: 1000,
} as const;

/** PROFILE_MASS_UPDATE / batch-api.md: 300 profile updates per second, bursts up to 1000. */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 300;
export const DEFAULT_RATE_LIMIT_BURST = 1000;

/**
 * `/profiles/mass-update`, Batch's endpoint "for large-scale periodic imports" — same headers, body and answers
 * as `/profiles/update`, its own limits and rate budget:
 * https://doc.batch.com/developer/api/cep/profiles/mass-update-profile ("You can specify at most 10 000
 * operations or the API call will be rejected"; "Up to 10000 profile updates per second"; "Burst capacity:
 * No burst") and https://doc.batch.com/developer/api/cep/profiles ("Bulk size: Up to 10,000 updates per call.
 * Rate limit: 10,000 updates per second. Burst: No burst"). The same overview page also states
 * `/profiles/update`'s "300 updates per second", "peaks up to 1000 updates".
 * The Batch simulator enforces the same figures (simulator/rules.ts LIMITS, simulator/batchSimulator.ts
 * DEFAULTS); test/unit/batchSimulatorRules.test.ts checks that both sides agree.
 */
export const MASS_UPDATE_MAX_OPERATIONS = 10_000;
export const MASS_UPDATE_RATE_PER_SECOND = 10_000;
/** "No burst": a bucket of one second's rate (one full call fits, the next waits a second). */
export const MASS_UPDATE_RATE_BURST = MASS_UPDATE_RATE_PER_SECOND;

/** The Profile API's two write endpoints (option `endpoint`; the Trigger Events API has one route only). */
export type ProfileEndpoint = 'update' | 'massUpdate';

/** Each endpoint's limits (its path, headers and body: profileApiRequest.ts). */
export interface ProfileEndpointLimits {
	/** Most operations in one call. */
	maxOperations: number;
	/** Profile updates per second, and the bucket size (burst). */
	ratePerSecond: number;
	burst: number;
}

/** Each endpoint's documented limits (sources above: PROFILE_UPDATE, the Profiles overview, PROFILE_MASS_UPDATE). */
export const PROFILE_ENDPOINT_LIMITS: Readonly<Record<ProfileEndpoint, ProfileEndpointLimits>> = {
	update: { maxOperations: API_MAX_OPERATIONS.profile, ratePerSecond: DEFAULT_RATE_LIMIT_PER_SECOND, burst: DEFAULT_RATE_LIMIT_BURST },
	massUpdate: { maxOperations: MASS_UPDATE_MAX_OPERATIONS, ratePerSecond: MASS_UPDATE_RATE_PER_SECOND, burst: MASS_UPDATE_RATE_BURST },
};

/**
 * Endpoint "Automatic": mass update when one execution sends more profile operations than one `/update` burst
 * (1,000: more would wait on `/update`'s 300/s), else `/update` (Batch's endpoint for streams).
 */
export const AUTO_MASS_UPDATE_ABOVE = DEFAULT_RATE_LIMIT_BURST;

/**
 * At most 15 events per profile in one Profile API request. Third-party only: two independent public clients cap it
 * (a Batch CEP agent skill: `if (events.length > 15)` → "max 15 per edit"; a TypeScript adapter:
 * `BATCH_MAX_EVENEMENTS = 15`, "15 événements par profil et par appel", said to be read on
 * https://doc.batch.com/developer/api/cep/profiles/update, whose "events object" section could not be read here).
 * The node sends one event per operation (one input item), but several items of the same user can share a request:
 * requests are cut so that no profile gets more than this many events in one (the stricter reading, per profile and
 * per call, which also covers "per operation"). docs/batch-api-notes.md §5.
 */
export const MAX_EVENTS_PER_PROFILE_PER_REQUEST = 15;

export const NAME_PATTERN = /^[a-z0-9_]{1,30}$/;
export const MAX_NAME_LENGTH = 30;

export interface ApiValueLimits {
	/** Longest string attribute value. */
	maxStringLength: number;
	/** Most attributes on one event object (label and tags not counted). */
	maxEventAttributes: number;
	/** Longest URL attribute value. */
	maxUrlLength: number;
	/** Most items in a string-list attribute. */
	maxStringListItems: number;
	/** Whether string lists are accepted as attribute values. */
	allowsStringLists: boolean;
	/** Whether `url(key)` attributes are accepted (otherwise URLs travel as strings). */
	allowsUrlType: boolean;
}

export const VALUE_LIMITS: Record<'profile' | 'triggerEvents', ApiValueLimits> = {
	profile: {
		maxStringLength: 300, // SDK
		maxEventAttributes: 20, // SDK
		maxUrlLength: 2048, // SDK
		maxStringListItems: 25, // SDK
		allowsStringLists: true, // PROFILE_UPDATE ("String arrays")
		allowsUrlType: true, // PROFILE_UPDATE ("URL")
	},
	triggerEvents: {
		maxStringLength: 64, // TRIGGER_PARAMETERS
		maxEventAttributes: 15, // TRIGGER_PARAMETERS
		maxUrlLength: 64, // sent as a string there, so the string limit applies
		maxStringListItems: 0,
		allowsStringLists: false, // TRIGGER_PARAMETERS lists string, integer, boolean, float, date only
		allowsUrlType: false,
	},
};

/** TRIGGER_PARAMETERS: label up to 200 characters (also `$label` on the Profile API). */
export const MAX_LABEL_LENGTH = 200;
/** TRIGGER_PARAMETERS: up to 10 tags, 64 characters each (also `$tags` on the Profile API). */
export const MAX_TAGS = 10;
export const MAX_TAG_LENGTH = 64;
/** SDK: custom user id ≤ 1024 characters. */
export const MAX_CUSTOM_ID_LENGTH = 1024;
/** TRIGGER_PARAMETERS: events from the last 24 hours only, none in the future. */
export const MAX_EVENT_AGE_MS = 24 * 60 * 60 * 1000;
/** Clock skew tolerated before a time counts as "in the future". */
export const FUTURE_TOLERANCE_MS = 60 * 1000;

/** Native profile attributes that may be set by name (PROFILE_MASS_UPDATE example, PROFILE_UPDATE "Native attributes"). */
export const NATIVE_PROFILE_ATTRIBUTES: ReadonlySet<string> = new Set([
	'$email_address',
	'$email_marketing',
	'$phone_number',
	'$sms_marketing',
	'$language',
	'$region',
	'$timezone',
]);
