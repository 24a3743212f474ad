/**
 * The request headers the "Include Headers" option may put in the output item: everything
 * except credentials a proxy or browser could have attached (cookies, authorization, API keys).
 * Purchasely's own headers carry no secret: the shared secret is never sent, only HMACs of it.
 *
 * Pure module.
 */

const SECRET_HEADERS: ReadonlySet<string> = new Set([
	'authorization',
	'proxy-authorization',
	'cookie',
	'set-cookie',
	'x-api-key',
	'x-auth-token',
	'x-n8n-api-key',
]);

export type OutputHeaders = Record<string, string | string[]>;

export function safeHeaders(headers: Record<string, string | string[] | number | undefined>): OutputHeaders {
	const result: OutputHeaders = {};
	for (const [name, value] of Object.entries(headers)) {
		const key = name.toLowerCase();
		if (value === undefined || SECRET_HEADERS.has(key)) continue;
		result[key] = Array.isArray(value) ? value.map(String) : String(value);
	}
	return result;
}
