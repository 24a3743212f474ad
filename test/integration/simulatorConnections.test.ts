/**
 * The simulator's TCP connection counters (stats().connections / openConnections / peakOpenConnections), over real
 * sockets on 127.0.0.1: what the real-n8n benchmark reports as "TCP connections seen by the simulator".
 */
import * as http from 'node:http';
import * as net from 'node:net';

import { startBatchSimulator, type BatchSimulator } from '../../simulator/batchSimulator';

const REST = 'test-rest-key';
const PROJECT = 'project_test';

let sim: BatchSimulator;

beforeEach(async () => {
	sim = await startBatchSimulator({ restApiKey: REST, projectKey: PROJECT });
});
afterEach(async () => {
	await sim.close();
});

/** One Profile API update through `agent` (one operation); resolves the status. */
function update(agent: http.Agent | false): Promise<number> {
	const body = JSON.stringify([{ identifiers: { custom_id: 'u' }, attributes: { plan: 'p' } }]);
	const url = new URL(sim.url);
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: url.hostname,
				port: url.port,
				path: '/2.11/profiles/update',
				method: 'POST',
				agent,
				headers: { Authorization: `Bearer ${REST}`, 'X-Batch-Project': PROJECT, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
				timeout: 5000,
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
			},
		);
		req.on('timeout', () => req.destroy(new Error('timeout')));
		req.on('error', reject);
		req.end(body);
	});
}

/** Polls stats() until `check` holds (bounded: 5 s). */
async function until(check: (s: ReturnType<BatchSimulator['stats']>) => boolean): Promise<ReturnType<BatchSimulator['stats']>> {
	const deadline = Date.now() + 5000;
	for (;;) {
		const s = sim.stats();
		if (check(s)) return s;
		if (Date.now() > deadline) throw new Error(`stats never matched: ${JSON.stringify(s)}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

it('a keep-alive client is one connection for many requests', async () => {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	try {
		for (let i = 0; i < 3; i++) expect(await update(agent)).toBe(202);
		expect(sim.stats()).toMatchObject({ requests: 3, connections: 1, openConnections: 1, peakOpenConnections: 1 });
	} finally {
		agent.destroy();
	}
	await until((s) => s.openConnections === 0);
});

it('a client opening one connection per request shows one connection per request', async () => {
	for (let i = 0; i < 3; i++) expect(await update(false)).toBe(202);
	const s = await until((st) => st.openConnections === 0);
	expect(s).toMatchObject({ requests: 3, connections: 3 });
	expect(s.peakOpenConnections).toBeGreaterThanOrEqual(1);
	expect(s.peakOpenConnections).toBeLessThanOrEqual(3);
});

it('counts connections open at once, keeps the peak after they close, and reset() starts again from those open', async () => {
	const port = Number(new URL(sim.url).port);
	const sockets = await Promise.all(
		Array.from(
			{ length: 5 },
			() =>
				new Promise<net.Socket>((resolve, reject) => {
					const socket = net.connect(port, '127.0.0.1', () => resolve(socket));
					socket.on('error', reject);
				}),
		),
	);
	try {
		expect(await until((s) => s.connections === 5)).toMatchObject({ connections: 5, openConnections: 5, peakOpenConnections: 5, requests: 0 });
		sockets.slice(0, 3).forEach((socket) => socket.destroy());
		expect(await until((s) => s.openConnections === 2)).toMatchObject({ connections: 5, peakOpenConnections: 5 });
		sim.reset();
		expect(sim.stats()).toMatchObject({ connections: 0, openConnections: 2, peakOpenConnections: 2 });
	} finally {
		sockets.forEach((socket) => socket.destroy());
	}
	expect(await until((s) => s.openConnections === 0)).toMatchObject({ connections: 0, peakOpenConnections: 2 });
});
