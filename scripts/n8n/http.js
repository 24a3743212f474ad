'use strict';
// The harness's HTTP client: one request at a time to loopback URLs only, without keep-alive.
const http = require('node:http');

/**
 * One HTTP request to a loopback URL, without keep-alive (no socket outlives the call, so jest
 * and `npm start` exit promptly). `body`: an object (sent as JSON), a string or a Buffer (sent
 * as is). Resolves { status, headers (a Headers), text, json }.
 */
function httpJson(method, url, { headers = {}, body, timeoutMs = 30_000 } = {}) {
	const u = new URL(url);
	if (!['127.0.0.1', 'localhost'].includes(u.hostname)) return Promise.reject(new Error(`harness only talks to loopback, not ${u.hostname}`));
	const raw = body === undefined ? undefined : Buffer.isBuffer(body) || typeof body === 'string' ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
	const hdrs = { accept: 'application/json', ...(raw ? { 'content-type': 'application/json', 'content-length': String(raw.length) } : {}), ...headers };
	return new Promise((resolve, reject) => {
		const req = http.request(u, { method, headers: hdrs, agent: false }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				clearTimeout(timer);
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				const h = new Headers();
				for (const [k, v] of Object.entries(res.headers)) {
					if (Array.isArray(v)) for (const x of v) h.append(k, x);
					else if (v !== undefined) h.set(k, String(v));
				}
				resolve({ status: res.statusCode, headers: h, text, json });
			});
		});
		const timer = setTimeout(() => req.destroy(new Error(`${method} ${u.pathname} timed out after ${timeoutMs / 1000} s`)), timeoutMs);
		req.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		req.end(raw);
	});
}

/** The JSON body of a 2xx answer; otherwise throws naming `what`, the status and the start of the body. */
function check(res, what) {
	if (res.status >= 200 && res.status < 300) return res.json;
	throw new Error(`${what} failed: HTTP ${res.status} ${res.text.slice(0, 500)}`);
}

module.exports = { httpJson, check };
