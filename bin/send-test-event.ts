#!/usr/bin/env node
/**
 * send-test-event: POST a realistic Purchasely webhook event, signed the way Purchasely signs it,
 * to a Purchasely Trigger URL (or any receiver), and print the answer.
 *
 * The shared secret is read from --secret or, better (it then stays out of the shell history),
 * from the PURCHASELY_SHARED_SECRET environment variable. It is never printed.
 */
// A command-line tool, not node code: it opens its own HTTP connection and reads files.
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import { readFileSync } from 'node:fs';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import * as http from 'node:http';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports
import * as https from 'node:https';

import { KNOWN_EVENT_NAMES } from '../nodes/PurchaselyTrigger/eventCatalog';
import { sign } from '../nodes/PurchaselyTrigger/signature';
import { buildTestEvent, serializeTestEvent, TEST_STORES } from '../nodes/PurchaselyTrigger/testEvent';

export const SECRET_ENV = 'PURCHASELY_SHARED_SECRET';
const DEFAULT_TIMEOUT_SECONDS = 15;
const MAX_PRINTED_BODY = 4000;

export const HELP = `Usage: send-test-event --url <webhook URL> [options]

Builds a realistic Purchasely webhook (API version 3) event, signs it like Purchasely
(X-PURCHASELY-TIMESTAMP + X-PURCHASELY-REQUEST-SIGNATURE = hex HMAC-SHA256 of
timestamp + body with the shared secret), POSTs it and prints the HTTP status and body.
Exits 0 on a 2xx answer, 1 on any other answer or a network error, 2 on a usage error.

Options:
  --url <url>                 Where to POST (required), e.g. the Purchasely Trigger's test
                              or production URL: http(s)://<n8n>/webhook-test/<id>/webhook
  --secret <secret>           The app's "Client shared secret". Prefer the environment
                              variable ${SECRET_ENV}: a secret typed on the command line
                              ends up in the shell history. Never printed.
  --event <NAME>              Event name (default ACTIVATE). Any name is accepted, including
                              ones this tool does not know.
  --user-id <id>              user_id of the event (default test-user-1, or none when only
                              --anonymous-user-id is given)
  --anonymous-user-id <id>    anonymous_user_id of the event (default: generated)
  --store <STORE>             ${TEST_STORES.join(', ')} (default APPLE_APP_STORE)
  --plan <id>                 Plan id (default premium_monthly)
  --product <id>              Product id (default premium)
  --environment <env>         PRODUCTION or SANDBOX (default SANDBOX)
  --timestamp <seconds>       X-PURCHASELY-TIMESTAMP to sign with (default: now), e.g. to
                              check that the trigger refuses stale requests
  --legacy-signature          Sign with the deprecated X-PURCHASELY-SIGNATURE scheme instead
                              (covers only secret + timestamp, not the body)
  --body-file <path>          Send this file's bytes as the body instead of a built event
                              (the event options above are then ignored)
  --dry-run                   Print the signed request (method, URL, headers, body) and send
                              nothing; --url is then optional
  --timeout <seconds>         Give up waiting for the answer after this long (default ${DEFAULT_TIMEOUT_SECONDS})
  -h, --help                  Show this help
`;

type Flag = 'legacy-signature' | 'dry-run' | 'help';
type ValueOption =
	| 'url'
	| 'secret'
	| 'event'
	| 'user-id'
	| 'anonymous-user-id'
	| 'store'
	| 'plan'
	| 'product'
	| 'environment'
	| 'timestamp'
	| 'body-file'
	| 'timeout';

const FLAGS: readonly Flag[] = ['legacy-signature', 'dry-run', 'help'];
const VALUE_OPTIONS: readonly ValueOption[] = [
	'url',
	'secret',
	'event',
	'user-id',
	'anonymous-user-id',
	'store',
	'plan',
	'product',
	'environment',
	'timestamp',
	'body-file',
	'timeout',
];

export interface ParsedArgs {
	flags: Set<Flag>;
	values: Partial<Record<ValueOption, string>>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): ParsedArgs {
	const flags = new Set<Flag>();
	const values: Partial<Record<ValueOption, string>> = {};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '-h') {
			flags.add('help');
			continue;
		}
		if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
		const eq = arg.indexOf('=');
		const name = arg.slice(2, eq === -1 ? undefined : eq);
		if ((FLAGS as readonly string[]).includes(name)) {
			if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
			flags.add(name as Flag);
			continue;
		}
		if (!(VALUE_OPTIONS as readonly string[]).includes(name)) {
			throw new UsageError(`unknown option --${name} (see --help)`);
		}
		let value: string | undefined;
		if (eq !== -1) value = arg.slice(eq + 1);
		else {
			value = argv[i + 1];
			i++;
		}
		if (value === undefined || (eq === -1 && value.startsWith('--'))) {
			throw new UsageError(`option --${name} needs a value`);
		}
		values[name as ValueOption] = value;
	}
	return { flags, values };
}

export interface PreparedRequest {
	url: URL;
	headers: Record<string, string>;
	body: Buffer;
	warnings: string[];
}

function readBodyFile(path: string): Buffer | Error {
	try {
		return readFileSync(path);
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

function isJson(bytes: Buffer): boolean {
	try {
		JSON.parse(bytes.toString('utf8'));
		return true;
	} catch {
		return false;
	}
}

/** Builds and signs the request described by the options (no I/O except --body-file). */
export function prepareRequest(args: ParsedArgs, env: NodeJS.ProcessEnv, nowMs = Date.now()): PreparedRequest {
	const { values, flags } = args;
	const warnings: string[] = [];

	const rawUrl = values.url ?? (flags.has('dry-run') ? 'http://127.0.0.1/webhook' : undefined);
	if (rawUrl === undefined) throw new UsageError('--url is required');
	const url = URL.canParse(rawUrl) ? new URL(rawUrl) : undefined;
	if (url === undefined) throw new UsageError(`--url "${rawUrl}" is not a valid URL`);
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new UsageError('--url must start with http:// or https://');
	}

	const secret = values.secret ?? env[SECRET_ENV];
	if (secret === undefined || secret.length === 0) {
		throw new UsageError(`no shared secret: set the ${SECRET_ENV} environment variable (or pass --secret)`);
	}

	let timestamp = String(Math.floor(nowMs / 1000));
	if (values.timestamp !== undefined) {
		if (!/^\d+$/.test(values.timestamp)) {
			throw new UsageError('--timestamp must be an integer number of seconds since the epoch');
		}
		timestamp = values.timestamp;
	}

	const environment = (values.environment ?? 'SANDBOX').toUpperCase();
	if (environment !== 'PRODUCTION' && environment !== 'SANDBOX') {
		throw new UsageError('--environment must be PRODUCTION or SANDBOX');
	}

	let body: Buffer;
	if (values['body-file'] !== undefined) {
		const file = readBodyFile(values['body-file']);
		if (file instanceof Error) {
			throw new UsageError(`--body-file: cannot read "${values['body-file']}" (${file.message})`);
		}
		body = file;
		if (!isJson(body)) warnings.push('the --body-file content is not valid JSON; sending it anyway');
	} else {
		const eventName = (values.event ?? 'ACTIVATE').trim().toUpperCase();
		if (!/^[A-Z0-9_]+$/.test(eventName)) {
			throw new UsageError('--event must be an event name such as RENEWAL_DISABLED');
		}
		if (!KNOWN_EVENT_NAMES.includes(eventName)) {
			warnings.push(`${eventName} is not a documented Purchasely event name; sending it anyway`);
		}
		const store = values.store?.trim().toUpperCase();
		if (store !== undefined && !(TEST_STORES as readonly string[]).includes(store)) {
			warnings.push(`${store} is not a store Purchasely documents; sending it anyway`);
		}
		body = serializeTestEvent(
			buildTestEvent({
				eventName,
				userId: values['user-id'],
				anonymousUserId: values['anonymous-user-id'],
				store,
				plan: values.plan,
				product: values.product,
				environment,
				now: new Date(nowMs),
			}),
		);
	}

	const signatureHeaders = sign({
		secret,
		timestamp,
		rawBody: body,
		scheme: flags.has('legacy-signature') ? 'legacy' : 'request',
	});
	return {
		url,
		headers: {
			'Content-Type': 'application/json',
			Accept: 'application/json',
			'User-Agent': 'n8n-nodes-purchasely-batch/send-test-event',
			...signatureHeaders,
		},
		body,
		warnings,
	};
}

/** The URL without any user:password part. */
function printableUrl(url: URL): string {
	const copy = new URL(url.toString());
	copy.username = '';
	copy.password = '';
	return copy.toString();
}

function truncate(text: string): string {
	return text.length > MAX_PRINTED_BODY ? `${text.slice(0, MAX_PRINTED_BODY)}… (${text.length} characters)` : text;
}

export interface Answer {
	status: number;
	statusText: string;
	body: string;
}

export async function send(request: PreparedRequest, timeoutMs: number): Promise<Answer> {
	const client = request.url.protocol === 'https:' ? https : http;
	return await new Promise<Answer>((resolve, reject) => {
		const req = client.request(
			request.url,
			{
				method: 'POST',
				headers: { ...request.headers, 'Content-Length': String(request.body.length) },
				timeout: timeoutMs,
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (chunk: Buffer) => chunks.push(chunk));
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						statusText: res.statusMessage ?? '',
						body: Buffer.concat(chunks).toString('utf8'),
					}),
				);
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
		req.on('error', reject);
		req.end(request.body);
	});
}

export interface Io {
	out: (line: string) => void;
	err: (line: string) => void;
}

export async function main(argv: readonly string[], env: NodeJS.ProcessEnv, io: Io): Promise<number> {
	let args: ParsedArgs;
	let request: PreparedRequest;
	try {
		args = parseArgs(argv);
		if (args.flags.has('help')) {
			io.out(HELP);
			return 0;
		}
		request = prepareRequest(args, env);
	} catch (error) {
		io.err(`send-test-event: ${error instanceof Error ? error.message : String(error)}`);
		if (!(error instanceof UsageError)) return 1;
		io.err('Run send-test-event --help for the options.');
		return 2;
	}
	for (const warning of request.warnings) io.err(`warning: ${warning}`);

	let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
	if (args.values.timeout !== undefined) {
		timeoutSeconds = Number(args.values.timeout);
		if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
			io.err('send-test-event: --timeout must be a positive number of seconds');
			return 2;
		}
	}

	if (args.flags.has('dry-run')) {
		io.out(`POST ${printableUrl(request.url)}`);
		for (const [name, value] of Object.entries(request.headers)) io.out(`${name}: ${value}`);
		io.out(`Content-Length: ${request.body.length}`);
		io.out('');
		io.out(request.body.toString('utf8'));
		return 0;
	}

	io.out(`POST ${printableUrl(request.url)}`);
	try {
		const answer = await send(request, timeoutSeconds * 1000);
		io.out(`HTTP ${answer.status} ${answer.statusText}`.trimEnd());
		if (answer.body.length > 0) io.out(truncate(answer.body));
		return answer.status >= 200 && answer.status < 300 ? 0 : 1;
	} catch (error) {
		io.err(`send-test-event: request failed: ${(error as Error).message}`);
		return 1;
	}
}

if (require.main === module) {
	main(process.argv.slice(2), process.env, {
		out: (line) => process.stdout.write(`${line}\n`),
		err: (line) => process.stderr.write(`${line}\n`),
	}).then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			process.stderr.write(`send-test-event: ${(error as Error).message}\n`);
			process.exitCode = 1;
		},
	);
}
