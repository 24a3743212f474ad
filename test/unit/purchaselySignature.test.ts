import {
	computeLegacySignature,
	computeRequestSignature,
	headerValue,
	sign,
	signaturesMatch,
	verifySignature,
} from '../../nodes/PurchaselyTrigger/signature';

// The two test vectors of Purchasely's documentation (https://docs.purchasely.com/integrations/webhook-1/detailed-specification).
const CURRENT = {
	secret: 'foobar',
	timestamp: '1698322022',
	body: '{"a_random_key":"a_random_value_ad"}',
	signature: 'f3c2a452e9ea72f41107321aeaf7999f1054148866a710c9b23f9f501785e2a4',
};
const LEGACY = {
	secret: 'foobar',
	timestamp: '1580909929',
	signature: 'ea909b88098b63ef93711cd14542403e5efe1a23c07d94a764bd4db55abba5a6',
};

describe('Purchasely signature: reference vectors', () => {
	it('computes the documented current-scheme signature (timestamp + raw body)', () => {
		expect(computeRequestSignature(CURRENT.secret, CURRENT.timestamp, CURRENT.body)).toBe(CURRENT.signature);
		expect(computeRequestSignature(CURRENT.secret, CURRENT.timestamp, Buffer.from(CURRENT.body))).toBe(
			CURRENT.signature,
		);
	});

	it('computes the documented legacy signature (secret + timestamp)', () => {
		expect(computeLegacySignature(LEGACY.secret, LEGACY.timestamp)).toBe(LEGACY.signature);
	});

	it('verifies the current vector with lower-case header names, as n8n passes them', () => {
		const check = verifySignature({
			secret: CURRENT.secret,
			headers: {
				'x-purchasely-request-signature': CURRENT.signature,
				'x-purchasely-timestamp': CURRENT.timestamp,
			},
			rawBody: Buffer.from(CURRENT.body),
			allowLegacy: false,
		});
		expect(check).toEqual({ ok: true, scheme: 'request', timestamp: CURRENT.timestamp });
	});

	it('verifies the legacy vector only when legacy signatures are allowed', () => {
		const input = {
			secret: LEGACY.secret,
			headers: { 'X-PURCHASELY-SIGNATURE': LEGACY.signature, 'X-PURCHASELY-TIMESTAMP': LEGACY.timestamp },
			rawBody: '{"anything":"the legacy scheme does not cover the body"}',
		};
		expect(verifySignature({ ...input, allowLegacy: true })).toEqual({
			ok: true,
			scheme: 'legacy',
			timestamp: LEGACY.timestamp,
		});
		const refused = verifySignature({ ...input, allowLegacy: false });
		expect(refused.ok).toBe(false);
		if (!refused.ok) expect(refused.reason).toBe('legacy_signature_not_allowed');
	});
});

describe('Purchasely signature: refusals', () => {
	const headers = {
		'x-purchasely-request-signature': CURRENT.signature,
		'x-purchasely-timestamp': CURRENT.timestamp,
	};

	it('refuses a tampered body (one byte changed)', () => {
		const check = verifySignature({
			secret: CURRENT.secret,
			headers,
			rawBody: CURRENT.body.replace('ad"', 'ae"'),
			allowLegacy: false,
		});
		expect(check).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('refuses a re-serialised body even when it is the same JSON value', () => {
		const reserialised = JSON.stringify(JSON.parse(CURRENT.body), null, 1);
		const check = verifySignature({ secret: CURRENT.secret, headers, rawBody: reserialised, allowLegacy: false });
		expect(check.ok).toBe(false);
	});

	it('refuses a tampered timestamp', () => {
		const check = verifySignature({
			secret: CURRENT.secret,
			headers: { ...headers, 'x-purchasely-timestamp': '1698322023' },
			rawBody: CURRENT.body,
			allowLegacy: false,
		});
		expect(check).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('refuses the wrong secret', () => {
		const check = verifySignature({ secret: 'foobaz', headers, rawBody: CURRENT.body, allowLegacy: false });
		expect(check).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('treats a signature of the wrong length as a mismatch, not an exception', () => {
		for (const provided of [CURRENT.signature.slice(0, 63), `${CURRENT.signature}0`, '', 'zz', 'é'.repeat(32)]) {
			expect(() =>
				verifySignature({
					secret: CURRENT.secret,
					headers: { ...headers, 'x-purchasely-request-signature': provided },
					rawBody: CURRENT.body,
					allowLegacy: false,
				}),
			).not.toThrow();
			expect(
				verifySignature({
					secret: CURRENT.secret,
					headers: { ...headers, 'x-purchasely-request-signature': provided },
					rawBody: CURRENT.body,
					allowLegacy: false,
				}),
			).toMatchObject({ ok: false, reason: 'signature_mismatch' });
		}
	});

	it('refuses a request without any signature header', () => {
		const check = verifySignature({
			secret: CURRENT.secret,
			headers: { 'x-purchasely-timestamp': CURRENT.timestamp },
			rawBody: CURRENT.body,
			allowLegacy: true,
		});
		expect(check).toMatchObject({ ok: false, reason: 'missing_signature' });
		if (!check.ok) expect(check.message).toContain('X-PURCHASELY-REQUEST-SIGNATURE');
	});

	it('refuses a signature without a timestamp header', () => {
		const check = verifySignature({
			secret: CURRENT.secret,
			headers: { 'x-purchasely-request-signature': CURRENT.signature },
			rawBody: CURRENT.body,
			allowLegacy: false,
		});
		expect(check).toMatchObject({ ok: false, reason: 'missing_timestamp' });
		if (!check.ok) expect(check.message).toContain('X-PURCHASELY-TIMESTAMP');
	});

	it('does not let a valid legacy header rescue a wrong current signature', () => {
		const check = verifySignature({
			secret: 'foobar',
			headers: {
				'x-purchasely-request-signature': '0'.repeat(64),
				'x-purchasely-signature': computeLegacySignature('foobar', CURRENT.timestamp),
				'x-purchasely-timestamp': CURRENT.timestamp,
			},
			rawBody: CURRENT.body,
			allowLegacy: true,
		});
		expect(check).toMatchObject({ ok: false, reason: 'signature_mismatch' });
	});

	it('never puts the secret in a refusal message', () => {
		const secret = 'sup3r-secret-value';
		const checks = [
			verifySignature({ secret, headers, rawBody: CURRENT.body, allowLegacy: false }),
			verifySignature({ secret, headers: {}, rawBody: CURRENT.body, allowLegacy: false }),
			verifySignature({
				secret,
				headers: { 'x-purchasely-signature': 'abc', 'x-purchasely-timestamp': '1' },
				rawBody: '',
				allowLegacy: false,
			}),
		];
		for (const check of checks) expect(JSON.stringify(check)).not.toContain(secret);
	});
});

describe('Purchasely signature helpers', () => {
	it('compares hex case-insensitively and in constant time on equal lengths', () => {
		expect(signaturesMatch(CURRENT.signature, CURRENT.signature.toUpperCase())).toBe(true);
		expect(signaturesMatch(CURRENT.signature, ` ${CURRENT.signature} `)).toBe(true);
		expect(signaturesMatch(CURRENT.signature, CURRENT.signature.replace(/^f/, 'e'))).toBe(false);
	});

	it('reads headers case-insensitively and takes the first of repeated values', () => {
		expect(headerValue({ 'X-Purchasely-Timestamp': '12' }, 'x-purchasely-timestamp')).toBe('12');
		expect(headerValue({ 'x-purchasely-timestamp': ['1', '2'] }, 'X-PURCHASELY-TIMESTAMP')).toBe('1');
		expect(headerValue({}, 'x-purchasely-timestamp')).toBeUndefined();
	});

	it('sign() produces headers that verifySignature() accepts, for both schemes', () => {
		const body = Buffer.from('{"event_name":"ACTIVATE","note":"é ✓"}');
		const current = sign({ secret: 's3', timestamp: '1700000000', rawBody: body });
		expect(current['X-PURCHASELY-REQUEST-SIGNATURE']).toMatch(/^[0-9a-f]{64}$/);
		expect(verifySignature({ secret: 's3', headers: current, rawBody: body, allowLegacy: false }).ok).toBe(true);

		const legacy = sign({ secret: 's3', timestamp: '1700000000', rawBody: body, scheme: 'legacy' });
		expect(legacy['X-PURCHASELY-REQUEST-SIGNATURE']).toBeUndefined();
		expect(verifySignature({ secret: 's3', headers: legacy, rawBody: body, allowLegacy: true })).toMatchObject({
			ok: true,
			scheme: 'legacy',
		});
	});
});
