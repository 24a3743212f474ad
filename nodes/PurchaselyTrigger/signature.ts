/**
 * Purchasely webhook signatures: verification (trigger) and signing (send-test-event).
 *
 * Current scheme: X-PURCHASELY-REQUEST-SIGNATURE = hex(HMAC-SHA256(sharedSecret,
 * X-PURCHASELY-TIMESTAMP + raw request body bytes)). It covers the body.
 *
 * Legacy scheme (deprecated): X-PURCHASELY-SIGNATURE = hex(HMAC-SHA256(sharedSecret,
 * sharedSecret + X-PURCHASELY-TIMESTAMP)). It does NOT cover the body: anyone who captured one
 * signed request can attach any body to that signature and timestamp.
 *
 * Pure module: no n8n import, no I/O. Nothing here ever returns or prints the secret.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { asBuffer } from './bytes';

export const REQUEST_SIGNATURE_HEADER = 'X-PURCHASELY-REQUEST-SIGNATURE';
export const LEGACY_SIGNATURE_HEADER = 'X-PURCHASELY-SIGNATURE';
export const TIMESTAMP_HEADER = 'X-PURCHASELY-TIMESTAMP';

export type SignatureScheme = 'request' | 'legacy';

/** Header bag as Node/Express give it (lower-cased names) or as a caller builds it (any case). */
export type HeaderBag = Record<string, string | string[] | number | undefined>;

/** Case-insensitive header lookup; the first value when a header was sent more than once. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const wanted = name.toLowerCase();
	for (const [key, raw] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted || raw === undefined) continue;
		const value = Array.isArray(raw) ? raw[0] : raw;
		return value === undefined ? undefined : String(value);
	}
	return undefined;
}

/** hex(HMAC-SHA256(secret, timestamp + rawBody)), fed as bytes: the body is never re-encoded. */
export function computeRequestSignature(
	secret: string,
	timestamp: string,
	rawBody: Buffer | Uint8Array | string,
): string {
	return createHmac('sha256', secret)
		.update(Buffer.from(timestamp, 'utf8'))
		.update(asBuffer(rawBody) ?? Buffer.alloc(0))
		.digest('hex');
}

/** hex(HMAC-SHA256(secret, secret + timestamp)) — the deprecated scheme. */
export function computeLegacySignature(secret: string, timestamp: string): string {
	return createHmac('sha256', secret).update(`${secret}${timestamp}`, 'utf8').digest('hex');
}

/**
 * Constant-time comparison of two hex signatures. Hex is case-insensitive; a length mismatch
 * is simply a mismatch (timingSafeEqual only accepts equal lengths).
 */
export function signaturesMatch(expectedHex: string, providedHex: string): boolean {
	const expected = Buffer.from(expectedHex.toLowerCase(), 'utf8');
	const provided = Buffer.from(providedHex.trim().toLowerCase(), 'utf8');
	if (expected.length !== provided.length) return false;
	return timingSafeEqual(expected, provided);
}

export type SignatureFailure =
	| 'missing_timestamp'
	| 'missing_signature'
	| 'signature_mismatch'
	| 'legacy_signature_not_allowed';

export type SignatureCheck =
	| { ok: true; scheme: SignatureScheme; timestamp: string }
	| { ok: false; reason: SignatureFailure; message: string };

export interface VerifyInput {
	secret: string;
	headers: HeaderBag;
	rawBody: Buffer | Uint8Array | string;
	/** Accept the deprecated X-PURCHASELY-SIGNATURE when the current header is absent. */
	allowLegacy: boolean;
}

/**
 * Verifies a request. When X-PURCHASELY-REQUEST-SIGNATURE is present it alone decides: a wrong
 * value is never rescued by a legacy header sent alongside it.
 */
export function verifySignature(input: VerifyInput): SignatureCheck {
	const timestamp = headerValue(input.headers, TIMESTAMP_HEADER)?.trim();
	const requestSignature = headerValue(input.headers, REQUEST_SIGNATURE_HEADER);
	const legacySignature = headerValue(input.headers, LEGACY_SIGNATURE_HEADER);

	if (requestSignature === undefined && legacySignature === undefined) {
		return {
			ok: false,
			reason: 'missing_signature',
			message: `missing ${REQUEST_SIGNATURE_HEADER} header`,
		};
	}
	if (timestamp === undefined || timestamp === '') {
		return {
			ok: false,
			reason: 'missing_timestamp',
			message: `missing ${TIMESTAMP_HEADER} header`,
		};
	}

	if (requestSignature !== undefined) {
		const expected = computeRequestSignature(input.secret, timestamp, input.rawBody);
		return signaturesMatch(expected, requestSignature)
			? { ok: true, scheme: 'request', timestamp }
			: {
					ok: false,
					reason: 'signature_mismatch',
					message: `${REQUEST_SIGNATURE_HEADER} does not match the body and ${TIMESTAMP_HEADER}`,
				};
	}

	if (!input.allowLegacy) {
		return {
			ok: false,
			reason: 'legacy_signature_not_allowed',
			message: `only the legacy ${LEGACY_SIGNATURE_HEADER} header was sent and the "Allow Legacy Signature" option is off`,
		};
	}
	const expected = computeLegacySignature(input.secret, timestamp);
	return signaturesMatch(expected, legacySignature as string)
		? { ok: true, scheme: 'legacy', timestamp }
		: {
				ok: false,
				reason: 'signature_mismatch',
				message: `${LEGACY_SIGNATURE_HEADER} does not match ${TIMESTAMP_HEADER}`,
			};
}

export interface SignInput {
	secret: string;
	timestamp: string;
	rawBody: Buffer | Uint8Array | string;
	scheme?: SignatureScheme;
}

/** The headers Purchasely would send with this body (used by send-test-event and tests). */
export function sign(input: SignInput): Record<string, string> {
	if ((input.scheme ?? 'request') === 'legacy') {
		return {
			[TIMESTAMP_HEADER]: input.timestamp,
			[LEGACY_SIGNATURE_HEADER]: computeLegacySignature(input.secret, input.timestamp),
		};
	}
	return {
		[TIMESTAMP_HEADER]: input.timestamp,
		[REQUEST_SIGNATURE_HEADER]: computeRequestSignature(input.secret, input.timestamp, input.rawBody),
	};
}
