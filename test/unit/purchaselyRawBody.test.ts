import { PassThrough } from 'node:stream';

import { getRawBody } from '../../nodes/PurchaselyTrigger/rawBody';

describe('Purchasely raw body access', () => {
	it('uses req.rawBody when n8n already read it', async () => {
		const bytes = Buffer.from('{"event_name":"ACTIVATE"}');
		await expect(getRawBody({ rawBody: bytes })).resolves.toBe(bytes);
	});

	it("calls n8n's req.readRawBody() when the body was not read yet", async () => {
		const req: { rawBody?: Buffer; readRawBody: () => Promise<void> } = {
			readRawBody: async () => {
				req.rawBody = Buffer.from('abc');
			},
		};
		await expect(getRawBody(req)).resolves.toEqual(Buffer.from('abc'));
	});

	it('reads an unconsumed stream itself, byte for byte', async () => {
		const stream = new PassThrough();
		const pending = getRawBody(stream as unknown as Parameters<typeof getRawBody>[0]);
		stream.write(Buffer.from([0x7b, 0xc3]));
		stream.end(Buffer.from([0xa9, 0x7d]));
		await expect(pending).resolves.toEqual(Buffer.from([0x7b, 0xc3, 0xa9, 0x7d]));
	});

	it('gives up (undefined) when the stream was consumed and no raw copy exists', async () => {
		const stream = new PassThrough();
		stream.resume();
		stream.end('gone');
		await new Promise((resolve) => stream.on('end', resolve));
		await expect(getRawBody(stream as unknown as Parameters<typeof getRawBody>[0])).resolves.toBeUndefined();
	});

	it('never rebuilds bytes from a parsed body', async () => {
		await expect(getRawBody({ body: { event_name: 'ACTIVATE' } } as never)).resolves.toBeUndefined();
	});
});
