/**
 * The exact bytes of the request body, which the signature covers.
 *
 * n8n reads webhook bodies itself: its `rawBodyReader` middleware (packages/cli
 * middlewares/body-parser.ts, n8n 1.x and 2.x) gives every request a `readRawBody()` that stores
 * the bytes as a Buffer in `req.rawBody`, and the webhook code calls it (through `parseBody`)
 * before a version-1 node's `webhook()` runs, whatever the content type (multipart excepted).
 * This module takes `req.rawBody`, else calls `req.readRawBody()` if n8n has not yet, else reads
 * the stream if nobody consumed it. It never rebuilds bytes from the parsed `req.body`: a
 * re-serialised JSON would not be what Purchasely signed.
 */
import { asBuffer } from './bytes';

export interface RawBodyRequest {
	rawBody?: unknown;
	readRawBody?: unknown;
	readable?: boolean;
	readableEnded?: boolean;
	on?: unknown;
}

/** Refuse to buffer more than this when reading the stream ourselves (Purchasely events are small). */
export const MAX_SELF_READ_BYTES = 5 * 1024 * 1024;

async function readStream(req: NodeJS.ReadableStream, limit: number): Promise<Buffer | undefined> {
	return await new Promise<Buffer | undefined>((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		const finish = (value: Buffer | undefined) => {
			if (done) return;
			done = true;
			resolve(value);
		};
		req.on('data', (chunk: Buffer | string) => {
			const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
			size += buffer.length;
			if (size > limit) finish(undefined);
			else chunks.push(buffer);
		});
		req.on('end', () => finish(Buffer.concat(chunks)));
		req.on('error', () => finish(undefined));
		req.on('close', () => finish(undefined)); // closed before 'end': aborted, the bytes are incomplete
	});
}

/** The raw body bytes, or `undefined` when they cannot be obtained any more. */
export async function getRawBody(req: RawBodyRequest): Promise<Buffer | undefined> {
	const existing = asBuffer(req.rawBody);
	if (existing !== undefined) return existing;

	if (typeof req.readRawBody === 'function') {
		await (req.readRawBody as () => Promise<void>).call(req);
		const read = asBuffer(req.rawBody);
		if (read !== undefined) return read;
	}

	if (req.readable === true && req.readableEnded !== true && typeof req.on === 'function') {
		return await readStream(req as unknown as NodeJS.ReadableStream, MAX_SELF_READ_BYTES);
	}
	return undefined;
}
