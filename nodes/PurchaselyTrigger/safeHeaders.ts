/**
 * The request headers the "Include Headers" option may put in the output item: an allow-list, never a
 * block-list (proxies, load balancers and identity-aware proxies add credential headers under names nobody
 * can list in advance: api-key, x-access-token, x-amz-security-token, x-goog-iap-jwt-assertion, x-amzn-oidc-*,
 * cf-access-jwt-assertion, …). Kept: content type and length, user agent, forwarding headers, x-request-id, and
 * Purchasely's own `x-purchasely-*` headers except the signatures (the legacy one signs only the timestamp,
 * so it could be replayed with another body within the window) and any name that suggests a secret.
 *
 * Pure module.
 */

const ALLOWED: ReadonlySet<string> = new Set([
	'content-type',
	'content-length',
	'user-agent',
	'x-forwarded-for',
	'x-forwarded-proto',
	'x-forwarded-host',
	'x-forwarded-port',
	'x-real-ip',
	'forwarded',
	'via',
	// Request ids set by proxies, for correlating an execution with access logs.
	'x-request-id',
]);

const PURCHASELY_PREFIX = 'x-purchasely-';
const SECRET_WORDS = /signature|secret|token|key|auth|password|passwd|credential|session|cookie|jwt/;

export type OutputHeaders = Record<string, string | string[]>;

export function isOutputHeader(name: string): boolean {
	if (ALLOWED.has(name)) return true;
	return name.startsWith(PURCHASELY_PREFIX) && !SECRET_WORDS.test(name);
}

export function safeHeaders(headers: Record<string, string | string[] | number | undefined>): OutputHeaders {
	// Built without a prototype, then copied into a plain object: no header name can reach Object.prototype.
	const kept = new Map<string, string | string[]>();
	for (const [name, value] of Object.entries(headers)) {
		const key = name.toLowerCase();
		if (value === undefined || !isOutputHeader(key)) continue;
		kept.set(key, Array.isArray(value) ? value.map(String) : String(value));
	}
	return Object.fromEntries(kept);
}
