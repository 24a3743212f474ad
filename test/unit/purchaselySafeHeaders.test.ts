import { safeHeaders } from '../../nodes/PurchaselyTrigger/safeHeaders';

/** Headers a proxy, a load balancer, an identity-aware proxy or a browser may attach: none may reach the output. */
const SECRET_BEARING: Record<string, string> = {
	authorization: 'Bearer secret-authorization',
	'proxy-authorization': 'Basic secret-proxy',
	cookie: 'session=secret-cookie',
	'set-cookie': 'session=secret-set-cookie',
	'api-key': 'secret-api-key',
	apikey: 'secret-apikey',
	'x-api-key': 'secret-x-api-key',
	'x-access-token': 'secret-access-token',
	'x-auth-token': 'secret-auth-token',
	'x-amz-security-token': 'secret-amz-token',
	'x-amz-date': '20260101T000000Z',
	'x-vault-token': 'secret-vault-token',
	'x-n8n-api-key': 'secret-n8n-key',
	'x-goog-iap-jwt-assertion': 'secret-iap-jwt',
	'x-serverless-authorization': 'Bearer secret-serverless',
	'x-amzn-oidc-data': 'secret-alb-oidc-data',
	'x-amzn-oidc-accesstoken': 'secret-alb-access-token',
	'x-amzn-oidc-identity': 'secret-alb-identity',
	'cf-access-jwt-assertion': 'secret-cloudflare-access',
	'cf-access-client-secret': 'secret-cf-client-secret',
	'x-ms-token-aad-id-token': 'secret-azure-easy-auth',
	'x-forwarded-access-token': 'secret-oauth2-proxy-token',
	'x-forwarded-user': 'someone@example.com',
	'x-csrf-token': 'secret-csrf',
	'x-hub-signature-256': 'sha256=secret-other-signature',
	'x-purchasely-request-signature': 'abcdef0123',
	'x-purchasely-signature': 'legacy-hmac-usable-for-replay',
	'x-purchasely-secret': 'secret-purchasely',
	'x-purchasely-api-key': 'secret-purchasely-key',
	'x-purchasely-token': 'secret-purchasely-token',
	'x-some-vendor-header': 'unknown means not listed',
};

const KEPT: Record<string, string> = {
	'content-type': 'application/json',
	'content-length': '512',
	'user-agent': 'Purchasely-Webhooks/1.0',
	'x-purchasely-timestamp': '1698322022',
	'x-purchasely-event-id': 'evt-1',
	'x-forwarded-for': '203.0.113.7, 10.0.0.1',
	'x-forwarded-proto': 'https',
	'x-forwarded-host': 'n8n.example.com',
	'x-real-ip': '203.0.113.7',
	forwarded: 'for=203.0.113.7;proto=https',
	via: '1.1 proxy',
	'x-request-id': 'req-1',
};

describe('Include Headers: an allow-list', () => {
	it('keeps the content, agent, forwarding and non-secret Purchasely headers, and nothing else', () => {
		const mixedCase = Object.fromEntries(Object.entries({ ...SECRET_BEARING, ...KEPT }).map(([name, value], index) => [index % 2 ? name.toUpperCase() : name, value]));
		const output = safeHeaders(mixedCase);
		expect(output).toEqual(KEPT);
		const text = JSON.stringify(output);
		for (const value of Object.values(SECRET_BEARING)) expect(text).not.toContain(value);
	});

	it('keeps repeated values as lists and skips absent ones', () => {
		expect(safeHeaders({ via: ['1.1 a', '1.1 b'], 'content-length': 3, 'user-agent': undefined })).toEqual({ via: ['1.1 a', '1.1 b'], 'content-length': '3' });
	});

	it('builds an object no header name can give a prototype to', () => {
		const output = safeHeaders(JSON.parse('{"__proto__": {"polluted": "yes"}, "content-type": "text/plain"}') as Record<string, string>);
		expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
		expect((output as Record<string, unknown>).polluted).toBeUndefined();
		expect(output).toEqual({ 'content-type': 'text/plain' });
	});
});
