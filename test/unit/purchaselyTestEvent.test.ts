import { V3_EVENT_NAMES } from '../../nodes/PurchaselyTrigger/eventCatalog';
import { deriveMeta, parsePayload } from '../../nodes/PurchaselyTrigger/payload';
import { buildTestEvent, serializeTestEvent } from '../../nodes/PurchaselyTrigger/testEvent';

const NOW = new Date('2026-03-02T10:00:00.000Z');

describe('Purchasely test-event builder', () => {
	it('builds a complete v3 event with the always-present attributes', () => {
		const event = buildTestEvent({ eventName: 'renewal_disabled', now: NOW, eventId: 'evt-1' });
		for (const key of [
			'api_version',
			'event_name',
			'event_id',
			'event_created_at',
			'event_created_at_ms',
			'purchase_type',
			'product',
			'store_country',
			'store_app_bundle_id',
			'store_product_id',
			'store_transaction_id',
			'store_original_transaction_id',
			'purchased_at',
			'purchased_at_ms',
			'original_purchased_at',
			'original_purchased_at_ms',
			'environment',
			'offer_type',
		]) {
			expect(event).toHaveProperty(key);
		}
		expect(event).toMatchObject({
			api_version: 3,
			event_name: 'RENEWAL_DISABLED',
			event_id: 'evt-1',
			event_created_at: '2026-03-02T10:00:00.000Z',
			event_created_at_ms: NOW.getTime(),
			environment: 'SANDBOX',
			user_id: 'test-user-1',
			store: 'APPLE_APP_STORE',
			plan: 'premium_monthly',
			product: 'premium',
			subscription_status: 'AUTO_RENEWING_CANCELED',
			plan_price_in_eur: 9.99,
		});
	});

	it('is reproducible for a given time and event id, and unique otherwise', () => {
		expect(buildTestEvent({ now: NOW, eventId: 'x' })).toEqual(buildTestEvent({ now: NOW, eventId: 'x' }));
		expect(buildTestEvent().event_id).not.toEqual(buildTestEvent().event_id);
	});

	it('honours the user, store, plan, product and environment options', () => {
		const event = buildTestEvent({
			eventName: 'ACTIVATE',
			userId: 'u-42',
			anonymousUserId: 'anon-42',
			store: 'google_play_store',
			plan: 'gold_yearly',
			product: 'gold',
			environment: 'PRODUCTION',
			now: NOW,
		});
		expect(event).toMatchObject({
			user_id: 'u-42',
			anonymous_user_id: 'anon-42',
			store: 'GOOGLE_PLAY_STORE',
			plan: 'gold_yearly',
			product: 'gold',
			store_product_id: 'gold_yearly',
			environment: 'PRODUCTION',
		});
	});

	it('leaves user_id out for an anonymous-only event', () => {
		const event = buildTestEvent({ anonymousUserId: 'anon-9', now: NOW });
		expect(event).not.toHaveProperty('user_id');
		expect(event.anonymous_user_id).toBe('anon-9');
	});

	it('adds the event-specific attributes', () => {
		expect(buildTestEvent({ eventName: 'TRANSACTION_PROCESSED', now: NOW })).toMatchObject({
			source_event_name: 'SUBSCRIPTION_RENEWED',
			amount_in_eur: 9.99,
		});
		expect(buildTestEvent({ eventName: 'TRIAL_STARTED', now: NOW })).toMatchObject({
			offer_type: 'FREE_TRIAL',
			plan_price_in_eur: 0,
		});
		expect(buildTestEvent({ eventName: 'SUBSCRIPTION_UPGRADED', now: NOW }).previous_plan).toBe('premium_yearly');
		const oneTime = buildTestEvent({ eventName: 'ONE_TIME_PURCHASE_RECEIVED', now: NOW });
		expect(oneTime.purchase_type).toBe('NON_CONSUMABLE');
		expect(oneTime).not.toHaveProperty('next_renewal_at');
		expect(oneTime.transferred_from_user_id).toBe('test-user-0');
	});

	it('round-trips every v3 event through the trigger payload parser with the expected meta', () => {
		for (const eventName of [...V3_EVENT_NAMES, 'SOME_FUTURE_EVENT']) {
			const bytes = serializeTestEvent(buildTestEvent({ eventName, now: NOW, store: 'STRIPE' }));
			const parsed = parsePayload(bytes);
			expect(parsed.ok).toBe(true);
			if (!parsed.ok) continue;
			const meta = deriveMeta(parsed, { signature: 'request', receivedAt: new Date(0) });
			expect(meta).toMatchObject({
				eventName,
				userId: 'test-user-1',
				userIdSource: 'user_id',
				store: 'STRIPE',
				platform: 'web',
				sandbox: true,
				eventTime: NOW.toISOString(),
				apiVersion: 3,
			});
		}
	});
});
