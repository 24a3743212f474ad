/** A request body as bytes, without re-encoding: a Buffer as is, a Uint8Array's own memory, text as UTF-8. */
export function asBuffer(value: unknown): Buffer | undefined {
	if (Buffer.isBuffer(value)) return value;
	if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
	if (typeof value === 'string') return Buffer.from(value, 'utf8');
	return undefined;
}
