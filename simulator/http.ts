/**
 * Small node:http helpers: bounded body reading, JSON answers, Batch-style error bodies.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Error body of Batch's REST APIs: `{"error_code": "...", "error_message": "..."}` (see docs/batch-api-notes.md). */
export interface BatchErrorBody {
	error_code: string;
	error_message: string;
}

export function batchError(code: string, message: string): BatchErrorBody {
	return { error_code: code, error_message: message };
}

/** What a handler decides; the server writes it. */
export interface ApiResult {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	/** Operations / events in the request (for the log and stats). */
	operations: number;
	/** Operations recorded, when the handler recorded only some (default: all on a 2xx, none otherwise). */
	accepted?: number;
	/** Operations dropped one by one (SUCCESS_WITH_PARTIAL_ERRORS). */
	rejected?: number;
}

export class BodyTooLargeError extends Error {
	constructor(readonly limit: number) {
		super(`request body larger than ${limit} bytes`);
	}
}

/** Read the whole body, or reject with BodyTooLargeError past `limit` bytes (the rest is not buffered). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const declared = Number(req.headers['content-length']);
		if (Number.isFinite(declared) && declared > limit) {
			reject(new BodyTooLargeError(limit));
			return;
		}
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		req.on('data', (chunk: Buffer) => {
			if (done) return;
			size += chunk.length;
			if (size > limit) {
				done = true;
				chunks.length = 0;
				reject(new BodyTooLargeError(limit));
				return;
			}
			chunks.push(chunk);
		});
		req.on('end', () => {
			if (done) return;
			done = true;
			resolve(Buffer.concat(chunks));
		});
		req.on('error', (err) => {
			if (done) return;
			done = true;
			reject(err);
		});
	});
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	if (res.headersSent || res.destroyed) return;
	const text = body === undefined ? '' : JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(text)),
		...headers,
	});
	res.end(text);
}

/** Parse JSON, returning `{ ok: false }` instead of throwing. */
export function parseJson(buf: Buffer): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(buf.toString('utf8')) as unknown };
	} catch {
		return { ok: false };
	}
}

export function header(req: IncomingMessage, name: string): string | undefined {
	const v = req.headers[name.toLowerCase()];
	return Array.isArray(v) ? v[0] : v;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
