/**
 * Builds a realistic Purchasely webhook API version 3 event of any name, shaped like the ones
 * Purchasely sends (flat object, ISO dates with their `*_ms` twins, currency-named price keys).
 * Used by `send-test-event` and by the tests. Unknown event names are allowed: Purchasely adds
 * events over time.
 *
 * Pure module: give `now` and `eventId` for a reproducible event.
 */
import { randomUUID } from 'node:crypto';

export type TestEnvironment = 'PRODUCTION' | 'SANDBOX';

export const TEST_STORES = [
	'APPLE_APP_STORE',
	'GOOGLE_PLAY_STORE',
	'AMAZON_APPSTORE',
	'HUAWEI_APPGALLERY',
	'STRIPE',
] as const;

export interface TestEventOptions {
	/** Default ACTIVATE. */
	eventName?: string;
	/** Logged-in user id. Default "test-user-1" unless only an anonymous id is given. */
	userId?: string;
	/** Purchasely anonymous id. Default: a generated one. */
	anonymousUserId?: string;
	/** Default APPLE_APP_STORE. */
	store?: string;
	/** Plan id (Purchasely console). Default "premium_monthly". */
	plan?: string;
	/** Product id (subscription group). Default "premium". */
	product?: string;
	/** Default SANDBOX, so that a test event never passes for a real purchase. */
	environment?: TestEnvironment;
	/** Default: the current time. */
	now?: Date;
	/** Default: a random UUID. */
	eventId?: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const PRICE = 9.99;
const BUNDLE_ID = 'com.example.app';

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type TestEvent = { [key: string]: Json };

function offerTypeOf(eventName: string): string {
	if (eventName.startsWith('TRIAL_')) return 'FREE_TRIAL';
	if (eventName.startsWith('INTRO_OFFER_')) return 'INTRO_OFFER';
	if (eventName.startsWith('PROMO_CODE_')) return 'PROMO_CODE';
	if (eventName.startsWith('PROMOTIONAL_OFFER_')) return 'PROMOTIONAL_OFFER';
	return 'NONE';
}

function subscriptionStatusOf(eventName: string): string {
	switch (eventName) {
		case 'DEACTIVATE':
		case 'SUBSCRIPTION_TERMINATED':
		case 'TRIAL_NOT_CONVERTED':
		case 'INTRO_OFFER_NOT_CONVERTED':
		case 'PROMO_CODE_NOT_CONVERTED':
		case 'PROMOTIONAL_OFFER_NOT_CONVERTED':
		case 'SUBSCRIPTION_CANCELLED_DURING_GRACE_PERIOD':
		case 'SUBSCRIPTION_CANCELLED_DURING_PAUSE':
			return 'DEACTIVATED';
		case 'SUBSCRIPTION_REFUNDED_REVOKED':
		case 'FAMILY_SHARED_REVOKED':
			return 'REVOKED';
		case 'RENEWAL_DISABLED':
			return 'AUTO_RENEWING_CANCELED';
		case 'GRACE_PERIOD_STARTED':
			return 'IN_GRACE_PERIOD';
		case 'ENTERED_BILLING_RETRY':
		case 'GRACE_PERIOD_TERMINATED':
			return 'ON_HOLD';
		case 'SUBSCRIPTION_PAUSED':
			return 'PAUSED';
		default:
			return 'AUTO_RENEWING';
	}
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}

/** Hex digits derived from the event id, so that ids in one event are stable for a given event id. */
function digitsFrom(seed: string, length: number): string {
	let out = '';
	for (let i = 0; out.length < length; i++) {
		out += (seed.charCodeAt(i % seed.length) * (i + 7)).toString(10);
	}
	return out.slice(0, length);
}

function storeIds(store: string, plan: string, seed: string) {
	switch (store) {
		case 'APPLE_APP_STORE':
			return {
				store_product_id: `${BUNDLE_ID}.${plan}`,
				store_transaction_id: `2000000${digitsFrom(seed, 9)}`,
				store_original_transaction_id: `2000000${digitsFrom(`${seed}o`, 9)}`,
			};
		case 'GOOGLE_PLAY_STORE':
			return {
				store_product_id: plan,
				store_transaction_id: `GPA.${digitsFrom(seed, 4)}-${digitsFrom(`${seed}a`, 4)}-${digitsFrom(`${seed}b`, 4)}-${digitsFrom(`${seed}c`, 5)}..0`,
				store_original_transaction_id: `GPA.${digitsFrom(seed, 4)}-${digitsFrom(`${seed}a`, 4)}-${digitsFrom(`${seed}b`, 4)}-${digitsFrom(`${seed}c`, 5)}`,
			};
		case 'STRIPE':
			return {
				store_product_id: `price_${digitsFrom(seed, 14)}`,
				store_transaction_id: `in_${digitsFrom(seed, 14)}`,
				store_original_transaction_id: `sub_${digitsFrom(`${seed}o`, 14)}`,
			};
		default:
			return {
				store_product_id: plan,
				store_transaction_id: `txn_${digitsFrom(seed, 12)}`,
				store_original_transaction_id: `txn_${digitsFrom(`${seed}o`, 12)}`,
			};
	}
}

export function buildTestEvent(options: TestEventOptions = {}): TestEvent {
	const eventName = (options.eventName ?? 'ACTIVATE').trim().toUpperCase();
	const now = options.now ?? new Date();
	const nowMs = now.getTime();
	const eventId = options.eventId ?? randomUUID();
	const store = (options.store ?? 'APPLE_APP_STORE').trim().toUpperCase();
	const plan = options.plan ?? 'premium_monthly';
	const product = options.product ?? 'premium';
	const environment: TestEnvironment = options.environment ?? 'SANDBOX';
	const anonymousUserId = options.anonymousUserId ?? `anon-${eventId.slice(0, 8)}`;
	const userId =
		options.userId ?? (options.anonymousUserId !== undefined ? undefined : 'test-user-1');

	const oneTime = eventName.startsWith('ONE_TIME_PURCHASE_');
	const offerType = offerTypeOf(eventName);
	const purchasedAtMs = nowMs - 60 * 1000;
	const originalPurchasedAtMs = nowMs - 30 * DAY_MS;
	const nextRenewalMs = purchasedAtMs + 30 * DAY_MS;
	const price = offerType === 'FREE_TRIAL' && eventName === 'TRIAL_STARTED' ? 0 : PRICE;

	const event: TestEvent = {
		api_version: 3,
		event_name: eventName,
		event_id: eventId,
		event_created_at: iso(nowMs),
		event_created_at_ms: nowMs,
		environment,
		...(userId !== undefined ? { user_id: userId } : {}),
		anonymous_user_id: anonymousUserId,
		device_type: 'PHONE',
		store,
		store_country: 'FR',
		store_app_bundle_id: BUNDLE_ID,
		...storeIds(store, plan, eventId),
		purchase_type: oneTime ? 'NON_CONSUMABLE' : 'RENEWING_SUBSCRIPTION',
		product,
		plan,
		offer_type: offerType,
		purchased_at: iso(purchasedAtMs),
		purchased_at_ms: purchasedAtMs,
		original_purchased_at: iso(originalPurchasedAtMs),
		original_purchased_at_ms: originalPurchasedAtMs,
		customer_currency: 'EUR',
		plan_price_in_customer_currency: price,
		plan_price_in_eur: price,
		cumulated_revenues_in_eur: 2 * PRICE,
		placement: 'onboarding',
		presentation: 'default_paywall',
	};

	if (oneTime) {
		event.purchasely_one_time_purchase_id = `otp_${digitsFrom(eventId, 12)}`;
	} else {
		event.purchasely_subscription_id = `subs_${digitsFrom(eventId, 12)}`;
		event.subscription_status = subscriptionStatusOf(eventName);
		event.is_family_shared = false;
		event.next_renewal_at = iso(nextRenewalMs);
		event.next_renewal_at_ms = nextRenewalMs;
		event.effective_next_renewal_at = iso(nextRenewalMs);
		event.effective_next_renewal_at_ms = nextRenewalMs;
	}

	if (eventName === 'TRANSACTION_PROCESSED') {
		event.source_event_name = 'SUBSCRIPTION_RENEWED';
		event.amount_in_customer_currency = PRICE;
		event.amount_in_eur = PRICE;
	}
	if (['SUBSCRIPTION_CROSSGRADED', 'SUBSCRIPTION_DOWNGRADED', 'SUBSCRIPTION_UPGRADED'].includes(eventName)) {
		event.previous_plan = plan === 'premium_yearly' ? 'premium_monthly' : 'premium_yearly';
	}
	if (eventName === 'GRACE_PERIOD_STARTED') {
		const expiresMs = nowMs + 16 * DAY_MS;
		event.grace_period_expires_at = iso(expiresMs);
		event.grace_period_expires_at_ms = expiresMs;
	}
	if (eventName === 'SUBSCRIPTION_DEFERRED') {
		const deferEndMs = nextRenewalMs + 30 * DAY_MS;
		event.defer_end_at = iso(deferEndMs);
		event.defer_end_at_ms = deferEndMs;
	}
	if (eventName === 'SUBSCRIPTION_WILL_PAUSE' || eventName === 'SUBSCRIPTION_PAUSED') {
		const resumeMs = nextRenewalMs + 30 * DAY_MS;
		event.auto_resume_at = iso(resumeMs);
		event.auto_resume_at_ms = resumeMs;
	}
	if (eventName.endsWith('_TRANSFERRED')) {
		event.transferred_to_user_id = 'test-user-2';
	}
	if (eventName.endsWith('_RECEIVED')) {
		event.transferred_from_user_id = 'test-user-0';
	}
	return event;
}

/** The JSON bytes Purchasely would POST for this event. */
export function serializeTestEvent(event: TestEvent): Buffer {
	return Buffer.from(JSON.stringify(event), 'utf8');
}
