/**
 * Where each rule the simulator enforces comes from. Quoted next to every rule in rules.ts,
 * profileApi.ts and triggerEventsApi.ts; docs/batch-api-notes.md says which are confirmed.
 */
export const SOURCES = {
	/** Profile API "update": ≤ 200 operations, "Exactly one of custom_id or installation", 202 `{"code":"SUCCESS"}`, X-Batch-Project + Bearer. */
	profileUpdate: 'https://doc.batch.com/developer/api/cep/profiles/update',
	/** Profile API "mass-update": ≤ 10 000 operations, same body; 10 000 updates/s, "No burst"; example with `date(birthdate)`, `$add`, `$label`, `$tags`. */
	profileMassUpdate: 'https://doc.batch.com/developer/api/cep/profiles/mass-update-profile',
	/** Profiles overview, "choosing the right API endpoint": update 200/call, 300/s, peaks 1000; mass-update 10,000/call, 10,000/s, no burst. */
	profileEndpoints: 'https://doc.batch.com/developer/api/cep/profiles',
	/** Segment's Batch (Actions) destination: partial-error body `{code, errors:[{category, bulk_index, reason, attribute?}]}`. */
	segmentTypes:
		'https://github.com/segmentio/action-destinations/blob/main/packages/destination-actions/src/destinations/batch/updateProfile/type.ts',
	/** Segment's mapping: event names lower-cased to [a-z0-9_], ISO 8601 dates as date(key), URLs as url(key). */
	segmentUtils:
		'https://github.com/segmentio/action-destinations/blob/main/packages/destination-actions/src/destinations/batch/updateProfile/utils.ts',
	/** Project APIs' failure answers: "The Rest API Key is not valid for this project", "Too Many Requests", maintenance (503). */
	projectApiFailures: 'https://doc.batch.com/developer/api/cep/catalogs/create',
	/** Trigger Events API routes, X-Authorization, ≤ 1000 events (single and bulk). */
	triggerTrack: 'https://doc.batch.com/developer/api/mep/trigger-events-api/track-events',
	/** Trigger Events API event object: name, time (24 h, no future), label ≤ 200, ≤ 15 attributes [a-z0-9_]{≤30}, string ≤ 64, tags ≤ 10 × 64, date(). */
	triggerParameters: 'https://doc.batch.com/developer/api/mep/trigger-events-api/parameters',
	/** Batch's Android SDK: the limits it enforces client-side (ProfileDataHelper.java, EventAttributesValidator.java): strings 300, URLs 2048, lists 25, 20 event attributes, custom id 1024, no empty text. */
	androidSdk: 'https://github.com/BatchLabs/Batch-Android-SDK/tree/master/Sources/sdk/src/main/java/com/batch/android',
	/** Batch's iOS SDK: the same name pattern and event-attribute rules (BAProfileCenter.swift, BATEventAttributesValidator.swift). */
	iosSdk: 'https://github.com/BatchLabs/Batch-iOS-SDK/tree/master/Sources/Batch',
	/** Batch's Web SDK attribute rules: strings "can't be empty". */
	webSdkAttributes: 'https://doc.batch.com/web/custom-data/custom-attributes/',
} as const;
