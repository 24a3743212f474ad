/**
 * Key echo: a local server (started and stopped by this test, on 127.0.0.1) answers the Batch node with every
 * credential key in every position of every response shape Batch uses: JSON fields (code, error_code, message,
 * error_message, reason, category, attribute, nested error), text bodies with a key straddling the 300-character
 * cut, headers (Retry-After included), on 2xx, partial errors, 4xx, 429 and 5xx. The node runs through a genuine
 * n8n-core ExecuteContext, with "Continue On Fail" on and off, on both APIs; the test then looks for each key,
 * its URL-encoded form and its 8-character prefix in every output item, the thrown error (message, description,
 * stack, cause, context, errorResponse) and every log line n8n's logger received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { Batch } from '../../nodes/Batch/Batch.node';
import { recordN8nLogLines, runExecute, stopN8nCoreBackgroundTimers, type ExecuteResult } from '../helpers/n8nExecuteContext';
import { serialiseRun } from '../helpers/batchNodeHarness';

const ECHO_KEYS = {
	restApiKey: 'RK7q2ZxW9mPv4TbN8sLc3HdY6fJg1Kea',
	projectKey: 'PJ5w8XrT2nVb7QmC4zKd9LsF3hGy6Ape',
	iosApiKey: 'IA3m9TqW6zXc2VbN7kRs4PdL8fHy5Jgu',
	androidApiKey: 'AN8c4VxQ1wZm7TbR3kLs9PdH6fYg2Jeo',
};
const KEYS = Object.values(ECHO_KEYS);

type Shape = (res: ServerResponse) => void;

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
	res.writeHead(status, { 'content-type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
};
const text = (res: ServerResponse, status: number, body: string) => {
	res.writeHead(status, { 'content-type': 'text/plain', 'x-echo': KEYS.join(',') });
	res.end(body);
};

/** Every field name Batch (or a proxy) might put a string in, each set to every key. */
function everyField(prefix: string): IDataObject {
	const all = KEYS.join(' ');
	return {
		code: `${prefix}${all}`,
		error_code: `${prefix}${all}`,
		message: all,
		error_message: all,
		reason: all,
		category: all,
		attribute: all,
		error: { code: all, message: all, reason: all },
		[KEYS[0]]: KEYS[1],
	};
}

/** Text bodies that cut a key at the 300-character limit at every offset around it. */
const straddling: Shape[] = [];
for (const key of KEYS) {
	for (const cut of [4, 8, 12, 16, 20, 28]) {
		straddling.push((res) => text(res, 400, `${'x'.repeat(300 - cut)}${key}${' tail'.repeat(40)}`));
	}
}

const SHAPES: Array<[string, Shape]> = [
	['2xx with a key as its code', (res) => json(res, 202, { code: KEYS.join(''), token: KEYS.join('') }, { 'x-echo': KEYS.join(',') })],
	[
		'2xx partial errors with keys in code, category, reason, attribute',
		(res) =>
			json(res, 202, {
				...everyField(''),
				errors: Array.from({ length: 4 }, (_, bulk_index) => ({ bulk_index, category: KEYS.join(''), reason: KEYS.join(' '), message: KEYS[0], attribute: KEYS[1] })),
			}),
	],
	['400 with keys in every error field', (res) => json(res, 400, everyField(''), { 'x-echo': KEYS.join(',') })],
	['401 with a key as its whole code', (res) => json(res, 401, { error_code: KEYS[0], code: KEYS[1] })],
	['429 with a key as Retry-After', (res) => json(res, 429, everyField('TOO_MANY_'), { 'retry-after': KEYS[0] })],
	['503 with keys in every field', (res) => json(res, 503, everyField('MAINTENANCE_'))],
	['500 text body', (res) => text(res, 500, `upstream said ${KEYS.join(' and ')}`)],
	...straddling.map((shape, index): [string, Shape] => [`400 text body, key cut at 300 (#${index})`, shape]),
	['400 JSON string body', (res) => json(res, 400, `${'y'.repeat(290)}${KEYS.join('')}`)],
];

let server: Server;
let baseUrl: string;
let current: Shape = SHAPES[0][1];
let logLines: string[] = [];
/** Log lines seen over the whole file: the test must have seen some for "no key in the logs" to mean anything. */
let loggedAtAll = 0;

beforeAll(async () => {
	server = createServer((req: IncomingMessage, res: ServerResponse) => {
		req.resume();
		req.on('end', () => current(res));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	logLines = recordN8nLogLines();
});

afterAll(async () => {
	expect(loggedAtAll).toBeGreaterThan(0);
	server.closeAllConnections();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	stopN8nCoreBackgroundTimers();
});

function leaks(text: string): string[] {
	const found: string[] = [];
	for (const key of KEYS) {
		for (const needle of [key, encodeURIComponent(key), key.slice(0, 8), key.slice(-8)]) {
			if (text.includes(needle)) found.push(needle);
		}
	}
	return found;
}

const PARAMETERS: Array<[string, INodeParameters]> = [
	['Profile API', { eventName: 'renewal', options: { maxAttempts: 2, maxRetryDuration: 2 } }],
	['Trigger Events API', { api: 'triggerEvents', platform: 'both', eventName: 'renewal', options: { maxAttempts: 2, maxRetryDuration: 2 } }],
];

describe('no key in any output, error or log line, whatever Batch answers', () => {
	const cases = SHAPES.flatMap(([shape, answer]) =>
		PARAMETERS.flatMap(([api, parameters]) => [true, false].map((continueOnFail) => ({ shape, answer, api, parameters, continueOnFail }))),
	);
	it.each(cases)('$shape ($api, continue on fail: $continueOnFail)', async ({ answer, parameters, continueOnFail }) => {
		current = answer;
		logLines.length = 0;
		const result: ExecuteResult = await runExecute({
			nodeType: new Batch(),
			typeName: 'n8n-nodes-purchasely-batch.batch',
			credentialType: 'batchApi',
			credentialData: { ...ECHO_KEYS, baseUrl },
			parameters,
			items: Array.from({ length: 4 }, (_, index) => ({ meta: { userId: `user-${index}` } })),
			continueOnFail,
		});
		expect(result.output !== undefined || result.error !== undefined).toBe(true);
		expect(leaks(serialiseRun(result))).toEqual([]);
		expect(leaks(logLines.join('\n'))).toEqual([]);
		loggedAtAll += logLines.length;
	});
});
