/**
 * The package's only network code: an undici connection pool to the Batch API host (or whatever
 * `baseUrl` points at: a proxy, the simulator). Keep-alive connections are reused across every request of
 * one execution; the pool is closed when the execution ends. Connect, headers and body timeouts are set.
 *
 * Errors thrown here never carry a URL: the Trigger Events API has the app key in the path, so a failure
 * reports only the error's code and a short reason (see BatchNetworkError).
 */
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- undici is this package's deliberate runtime dependency (see eslint.config.mjs, Waiver 1): keep-alive pool with timeouts.
import { Pool } from 'undici';
import { baseUrlParts } from '../requestDescription';

export interface BatchHttpClientOptions {
	/** e.g. https://api.batch.com, or http://127.0.0.1:4010, or https://proxy.example/batch (a path prefix is kept). */
	baseUrl: string;
	/** Most connections open at once (= most requests in flight). */
	connections: number;
	/** Time allowed to open a connection (ms). */
	connectTimeoutMs: number;
	/** Time allowed for the response headers, and between body chunks (ms). */
	requestTimeoutMs: number;
	/** How long an idle connection is kept (ms). */
	keepAliveTimeoutMs?: number;
}

export interface BatchHttpAnswer {
	status: number;
	/** Lower-cased header names. */
	headers: Record<string, string | string[] | undefined>;
	/** Parsed JSON when the body is JSON, else the text (empty string when none). */
	body: unknown;
}

/** A request that got no HTTP answer (refused, reset, dropped, timed out). Its message holds no URL. */
export class BatchNetworkError extends Error {
	constructor(
		readonly code: string,
		reason: string,
	) {
		super(`${code}: ${reason}`);
		this.name = 'BatchNetworkError';
	}
}

export interface BatchTransport {
	/** `signal` aborts the request (sending or waiting for the answer); it then throws a BatchNetworkError. */
	request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string | Uint8Array, signal?: AbortSignal): Promise<BatchHttpAnswer>;
	close(): Promise<void>;
}

export class BatchHttpClient implements BatchTransport {
	private readonly pool: Pool;
	private readonly pathPrefix: string;
	private closed = false;

	constructor(options: BatchHttpClientOptions) {
		const { origin, pathPrefix } = baseUrlParts(options.baseUrl);
		this.pathPrefix = pathPrefix;
		this.pool = new Pool(origin, {
			connections: Math.max(1, options.connections),
			pipelining: 1,
			connectTimeout: options.connectTimeoutMs,
			headersTimeout: options.requestTimeoutMs,
			bodyTimeout: options.requestTimeoutMs,
			keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
		});
	}

	async request(method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: string | Uint8Array, signal?: AbortSignal): Promise<BatchHttpAnswer> {
		let response;
		try {
			response = await this.pool.request({
				method,
				path: this.pathPrefix + path,
				headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
				body,
				signal,
			});
		} catch (error) {
			throw toNetworkError(error);
		}
		let text: string;
		try {
			text = await response.body.text();
		} catch (error) {
			throw toNetworkError(error);
		}
		return { status: response.statusCode, headers: response.headers, body: parseBody(text) };
	}

	/** Waits for the requests in flight, then closes the connections. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		await this.pool.close();
	}

	/** Closes every connection now, failing the requests in flight (used when the execution is cancelled). */
	async destroy(): Promise<void> {
		this.closed = true;
		await this.pool.destroy();
	}
}

function parseBody(text: string): unknown {
	if (text === '') return '';
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

/** Keeps the error's code and a fixed reason per code: undici's own messages may quote the host or path. */
function toNetworkError(error: unknown): BatchNetworkError {
	const code = (error as { code?: unknown })?.code;
	const known: Record<string, string> = {
		UND_ERR_CONNECT_TIMEOUT: 'could not connect in time',
		UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
		UND_ERR_BODY_TIMEOUT: 'response body stalled',
		UND_ERR_SOCKET: 'the connection was closed before the answer',
		UND_ERR_CLOSED: 'the connection pool is closed',
		UND_ERR_ABORTED: 'the request was aborted',
		ECONNREFUSED: 'connection refused',
		ECONNRESET: 'connection reset',
		EPIPE: 'connection broken',
		ETIMEDOUT: 'connection timed out',
		ENOTFOUND: 'host not found',
		EAI_AGAIN: 'host lookup failed',
	};
	if (typeof code === 'string') return new BatchNetworkError(code, known[code] ?? 'network error');
	return new BatchNetworkError('NETWORK_ERROR', 'network error');
}
