import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	deriveMeta,
	parsePayload,
	platformFromStore,
	recognisePayload,
	type RecognisedPayload,
} from '../../nodes/PurchaselyTrigger/payload';

const FIXTURES = join(__dirname, '../fixtures/purchasely');
const fixtureBytes = (name: string) => readFileSync(join(FIXTURES, name));
const RECEIVED_AT = new Date('2026-03-02T11:22:33.000Z');

function recognised(bytes: Buffer | string): RecognisedPayload {
	const result = parsePayload(bytes);
	if (!result.ok) throw new Error(`expected a payload, got: ${result.message}`);
	return result;
}

describe('Purchasely payload recognition', () => {
	it('recognises a flat API v3 event and keeps the body exactly, dynamic currency keys included', () => {
		const bytes = fixtureBytes('v3-renewal-disabled.json');
		const payload = recognised(bytes);
		expect(payload.apiVersion).toBe(3);
		expect(payload.eventName).toBe('RENEWAL_DISABLED');
		expect(payload.body).toEqual(JSON.parse(bytes.toString('utf8')));
		expect(payload.body.plan_price_in_eur).toBe(9.99);
		expect(payload.body.cumulated_revenues_in_eur).toBe(39.96);
	});

	it('recognises a legacy API v2 event (name, user, properties)', () => {
		const payload = recognised(fixtureBytes('v2-purchase-validated.json'));
		expect(payload.apiVersion).toBe(2);
		expect(payload.eventName).toBe('PURCHASE_VALIDATED');
		expect((payload.body.user as { vendor_id: string }).vendor_id).toBe('user-1203');
	});

	it('accepts a UTF-8 byte order mark and non-ASCII text', () => {
		const payload = recognised(Buffer.from('\ufeff{"event_name":"ACTIVATE","placement":"écran ✓"}', 'utf8'));
		expect(payload.body.placement).toBe('écran ✓');
	});

	it.each([
		['an array', '[{"event_name":"ACTIVATE"}]', 'must be a JSON object, got an array'],
		['a string', '"ACTIVATE"', 'must be a JSON object, got a string'],
		['a number', '42', 'must be a JSON object, got a number'],
		['null', 'null', 'must be a JSON object, got null'],
		['invalid JSON', '{"event_name": "ACTIVATE",', 'not valid JSON'],
		['an empty body', '', 'empty'],
		['whitespace', '  \n', 'empty'],
		['no event name', '{"user_id":"u1","store":"STRIPE"}', 'expected field "event_name"'],
		['an empty event_name', '{"event_name":""}', 'field "event_name" must be a non-empty string'],
		['a numeric event_name', '{"event_name":12}', 'field "event_name" must be a non-empty string'],
		['an empty v2 name', '{"name":"  ","user":{}}', 'field "name" (API version 2)'],
	])('refuses %s with a message naming the problem', (_label, body, message) => {
		const result = parsePayload(body);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.message).toContain(message);
	});

	it('recognisePayload works on already-parsed values too', () => {
		expect(recognisePayload({ event_name: 'ACTIVATE' })).toMatchObject({ ok: true, apiVersion: 3 });
		expect(recognisePayload([1])).toMatchObject({ ok: false });
	});
});

describe('Purchasely meta derivation', () => {
	it('derives meta for a logged-in v3 user', () => {
		const meta = deriveMeta(recognised(fixtureBytes('v3-renewal-disabled.json')), {
			signature: 'request',
			receivedAt: RECEIVED_AT,
		});
		expect(meta).toEqual({
			eventName: 'RENEWAL_DISABLED',
			eventId: '6c1b7e0e-5d3a-4f0e-9a51-2b7f0c3d9e11',
			userId: 'user-8841',
			userIdSource: 'user_id',
			store: 'APPLE_APP_STORE',
			platform: 'ios',
			sandbox: false,
			eventTime: '2026-03-02T09:15:27.412Z',
			apiVersion: 3,
			signature: 'request',
		});
	});

	it('falls back to anonymous_user_id and flags sandbox events', () => {
		const meta = deriveMeta(recognised(fixtureBytes('v3-anonymous-google-sandbox.json')), {
			signature: 'legacy',
			receivedAt: RECEIVED_AT,
		});
		expect(meta).toMatchObject({
			eventName: 'TRIAL_STARTED',
			userId: 'anon-77aa01',
			userIdSource: 'anonymous_user_id',
			store: 'GOOGLE_PLAY_STORE',
			platform: 'android',
			sandbox: true,
			signature: 'legacy',
		});
	});

	it('uses nulls and the receive time when optional fields are missing', () => {
		const meta = deriveMeta(recognised('{"event_name":"SOMETHING_NEW"}'), {
			signature: 'request',
			receivedAt: RECEIVED_AT,
		});
		expect(meta).toEqual({
			eventName: 'SOMETHING_NEW',
			eventId: null,
			userId: null,
			userIdSource: null,
			store: null,
			platform: null,
			sandbox: false,
			eventTime: RECEIVED_AT.toISOString(),
			apiVersion: 3,
			signature: 'request',
		});
	});

	it('treats an empty user_id as absent and uses event_created_at_ms when the ISO date is unusable', () => {
		const meta = deriveMeta(
			recognised(
				'{"event_name":"ACTIVATE","user_id":"","anonymous_user_id":"anon-1","event_created_at":"not a date","event_created_at_ms":1772445600000}',
			),
			{ signature: 'request', receivedAt: RECEIVED_AT },
		);
		expect(meta.userId).toBe('anon-1');
		expect(meta.userIdSource).toBe('anonymous_user_id');
		expect(meta.eventTime).toBe('2026-03-02T10:00:00.000Z');
	});

	it('derives meta for a legacy v2 event', () => {
		const meta = deriveMeta(recognised(fixtureBytes('v2-purchase-validated.json')), {
			signature: 'request',
			receivedAt: RECEIVED_AT,
		});
		expect(meta).toEqual({
			eventName: 'PURCHASE_VALIDATED',
			eventId: null,
			userId: 'user-1203',
			userIdSource: 'user_id',
			store: 'GOOGLE_PLAY_STORE',
			platform: 'android',
			sandbox: false,
			eventTime: RECEIVED_AT.toISOString(),
			apiVersion: 2,
			signature: 'request',
		});
	});

	it('maps every documented store to its platform', () => {
		expect(platformFromStore('APPLE_APP_STORE')).toBe('ios');
		expect(platformFromStore('GOOGLE_PLAY_STORE')).toBe('android');
		expect(platformFromStore('AMAZON_APPSTORE')).toBe('android');
		expect(platformFromStore('HUAWEI_APPGALLERY')).toBe('android');
		expect(platformFromStore('STRIPE')).toBe('web');
		expect(platformFromStore('SOME_NEW_STORE')).toBeNull();
		expect(platformFromStore(null)).toBeNull();
	});
});
