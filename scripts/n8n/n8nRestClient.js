'use strict';
// The n8n REST client: public API calls with the API key, internal /rest calls with the owner's
// session cookie, owner setup / login / API key, credentials. N8nWorkflows (n8nWorkflows.js) adds
// workflows and executions; N8n (n8nProcess.js) the process that serves them.
const crypto = require('node:crypto');
const { httpJson, check } = require('./http');

const DEFAULT_OWNER = Object.freeze({
	email: 'owner@example.com',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'Demo-Passw0rd!',
});

/** Scopes the harness asks for when the server cannot list them (n8n 1.x, 2.x all know these). */
const FALLBACK_SCOPES = [
	'workflow:create',
	'workflow:read',
	'workflow:update',
	'workflow:delete',
	'workflow:list',
	'workflow:activate',
	'workflow:deactivate',
	'execution:read',
	'execution:list',
	'execution:delete',
	'credential:create',
	'credential:delete',
];

class N8nRestClient {
	constructor(props) {
		Object.assign(this, props);
		this.cookie = undefined;
		this.apiKey = props.apiKey;
		this.browserId = props.browserId || crypto.randomUUID();
	}

	/** Public API call (`/api/v1/...`) with the API key. Returns { status, json, text }. */
	api(method, p, body, opts = {}) {
		return httpJson(method, `${this.baseUrl}/api/v1${p}`, { ...opts, headers: { 'X-N8N-API-KEY': this.apiKey, ...(opts.headers || {}) }, body });
	}

	/** Internal REST call (`/rest/...`) with the owner's session cookie. */
	rest(method, p, body, opts = {}) {
		const headers = { 'browser-id': this.browserId, ...(this.cookie ? { cookie: this.cookie } : {}), ...(opts.headers || {}) };
		return httpJson(method, `${this.baseUrl}/rest${p}`, { ...opts, headers, body });
	}

	/** Creates the owner (first start only), logs in and creates an API key with every scope offered. */
	async setupOwner(owner = this.owner) {
		this.owner = owner;
		const setup = await this.rest('POST', '/owner/setup', owner);
		if (setup.status >= 300) {
			// Owner already exists (persistent user folder): log in instead.
			const login = await this.rest('POST', '/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
			check(login, 'login');
			this.cookie = cookieFrom(login.headers);
		} else {
			this.cookie = cookieFrom(setup.headers);
		}
		if (!this.cookie) throw new Error('n8n set no auth cookie on owner setup/login');
		if (setup.status >= 300) {
			// A persistent user folder: drop the keys earlier runs of the harness created.
			const keys = await this.rest('GET', '/api-keys');
			const d = keys.json && keys.json.data;
			const list = Array.isArray(d) ? d : (d && Array.isArray(d.items) ? d.items : []);
			for (const k of list) {
				if (typeof k.label === 'string' && k.label.startsWith('harness-')) await this.rest('DELETE', `/api-keys/${k.id}`);
			}
		}
		const scopesRes = await this.rest('GET', '/api-keys/scopes');
		const scopes = scopesRes.status === 200 && Array.isArray(scopesRes.json && scopesRes.json.data) ? scopesRes.json.data : FALLBACK_SCOPES;
		const created = check(
			await this.rest('POST', '/api-keys', { label: `harness-${Date.now()}`, expiresAt: null, scopes }),
			'creating an API key',
		);
		this.apiKey = created.data.rawApiKey || created.data.apiKey;
		if (!this.apiKey) throw new Error('n8n returned no API key');
		return this;
	}

	/** POST /api/v1/credentials. Returns { id, name, type }. */
	async createCredential({ name, type, data }) {
		let res = await this.api('POST', '/credentials', { name, type, data });
		if (res.status === 400 && /allowedDomains/.test(res.text) && data.allowedHttpRequestDomains === undefined) {
			// n8n 1.x adds "Allowed HTTP Request Domains" fields to credentials with an `authenticate`
			// block, and its public API schema then requires allowedDomains unless that field is set.
			res = await this.api('POST', '/credentials', { name, type, data: { ...data, allowedHttpRequestDomains: 'all' } });
		}
		const c = check(res, `creating credential ${name} (${type})`);
		return { id: String(c.id), name: c.name, type: c.type };
	}

	/** PATCH /api/v1/credentials/<id> (n8n 2.x): e.g. a new baseUrl for the Batch credential. */
	async updateCredential(id, { name, type, data }) {
		const c = check(await this.api('PATCH', `/credentials/${id}`, { name, type, data }), `updating credential ${id}`);
		return { id: String(c.id), name: c.name, type: c.type };
	}
}

function cookieFrom(headers) {
	const list = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : [headers.get('set-cookie')].filter(Boolean);
	const auth = list.map((c) => c.split(';')[0]).filter((c) => c.startsWith('n8n-auth='));
	return auth.length ? auth.join('; ') : undefined;
}

module.exports = { N8nRestClient, DEFAULT_OWNER };
