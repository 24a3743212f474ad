#!/usr/bin/env node
/**
 * `node dist/simulator/cli.js [flags]` (or `npm run simulator -- [flags]`): run the Batch API simulator.
 * Prints exactly one line `Batch simulator listening on http://HOST:PORT` when ready (stdout); stops
 * cleanly on SIGINT / SIGTERM. Never prints keys.
 */
import { DEFAULTS, startBatchSimulator, type BatchSimulatorOptions } from './batchSimulator';

export const USAGE = `Usage: node dist/simulator/cli.js [options]

Runs a local Batch (batch.com) API simulator: Profile API 2.x and Trigger Events API 1.0,
plus admin endpoints under /_simulator/ (state, profiles, requests, faults, reset).

Options (each also read from the environment variable in brackets; flags win):
  --host HOST               listen address                      [BATCH_SIM_HOST]  (default ${DEFAULTS.host})
  --port N                  port, 0 = random                    [BATCH_SIM_PORT]  (default ${DEFAULTS.port})
  --rest-api-key KEY        REST API key expected               [BATCH_SIM_REST_API_KEY]
  --project-key KEY         project key expected                [BATCH_SIM_PROJECT_KEY]
  --ios-api-key KEY         iOS app API key (Trigger Events)    [BATCH_SIM_IOS_API_KEY]
  --android-api-key KEY     Android app API key (Trigger Events)[BATCH_SIM_ANDROID_API_KEY]
  --rate-limit N            profile updates per second          [BATCH_SIM_RATE_LIMIT]  (default ${DEFAULTS.rateLimit.perSecond})
  --rate-limit-burst N      bucket size                         [BATCH_SIM_RATE_LIMIT_BURST]  (default ${DEFAULTS.rateLimit.burst})
  --mass-update-rate-limit N  /profiles/mass-update updates per second, no burst
                            [BATCH_SIM_MASS_UPDATE_RATE_LIMIT]  (default ${DEFAULTS.massUpdateRateLimit.perSecond})
  --no-rate-limit           disable rate limiting (both endpoints) [BATCH_SIM_NO_RATE_LIMIT=1]
  --help                    show this help

Defaults for keys: rest ${DEFAULTS.restApiKey}, project ${DEFAULTS.projectKey},
ios ${DEFAULTS.appApiKeys.ios}, android ${DEFAULTS.appApiKeys.android}.
`;

export class UsageError extends Error {}

function positiveNumber(name: string, raw: string | undefined, integer = false): number | undefined {
	if (raw === undefined || raw === '') return undefined;
	const n = Number(raw);
	if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new UsageError(`${name} must be a positive number (got "${raw}")`);
	return n;
}

/** Parse argv (without node and script) and env into options; `help: true` when --help was given. */
export function parseCli(argv: string[], env: NodeJS.ProcessEnv): { help: boolean; options: BatchSimulatorOptions } {
	const flags: Record<string, string | true> = {};
	const withValue = new Set(['host', 'port', 'rest-api-key', 'project-key', 'ios-api-key', 'android-api-key', 'rate-limit', 'rate-limit-burst', 'mass-update-rate-limit']);
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--help' || arg === '-h') return { help: true, options: {} };
		if (arg === '--no-rate-limit') {
			flags['no-rate-limit'] = true;
			continue;
		}
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
		if (!m || !withValue.has(m[1])) throw new UsageError(`Unknown argument: ${arg}`);
		let value = m[2];
		if (value === undefined) {
			value = argv[++i];
			if (value === undefined) throw new UsageError(`--${m[1]} needs a value`);
		}
		flags[m[1]] = value;
	}
	const pick = (flag: string, envName: string): string | undefined => {
		const f = flags[flag];
		if (typeof f === 'string') return f;
		const e = env[envName];
		return e === undefined || e === '' ? undefined : e;
	};

	const options: BatchSimulatorOptions = {};
	const host = pick('host', 'BATCH_SIM_HOST');
	if (host) options.host = host;
	const portRaw = pick('port', 'BATCH_SIM_PORT');
	if (portRaw !== undefined) {
		const port = Number(portRaw);
		if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be an integer in [0, 65535] (got "${portRaw}")`);
		options.port = port;
	}
	const rest = pick('rest-api-key', 'BATCH_SIM_REST_API_KEY');
	if (rest) options.restApiKey = rest;
	const project = pick('project-key', 'BATCH_SIM_PROJECT_KEY');
	if (project) options.projectKey = project;
	const ios = pick('ios-api-key', 'BATCH_SIM_IOS_API_KEY');
	const android = pick('android-api-key', 'BATCH_SIM_ANDROID_API_KEY');
	if (ios || android) {
		options.appApiKeys = { ios: ios ?? DEFAULTS.appApiKeys.ios, android: android ?? DEFAULTS.appApiKeys.android };
	}
	const noRate = flags['no-rate-limit'] === true || /^(1|true|yes)$/i.test(env.BATCH_SIM_NO_RATE_LIMIT ?? '');
	if (noRate) options.rateLimit = false;
	else {
		const perSecond = positiveNumber('--rate-limit', pick('rate-limit', 'BATCH_SIM_RATE_LIMIT'));
		const burst = positiveNumber('--rate-limit-burst', pick('rate-limit-burst', 'BATCH_SIM_RATE_LIMIT_BURST'));
		if (perSecond !== undefined || burst !== undefined) {
			options.rateLimit = {
				perSecond: perSecond ?? DEFAULTS.rateLimit.perSecond,
				burst: burst ?? DEFAULTS.rateLimit.burst,
			};
		}
		// "No burst" (https://doc.batch.com/developer/api/cep/profiles/mass-update-profile): the bucket holds one second.
		const mass = positiveNumber('--mass-update-rate-limit', pick('mass-update-rate-limit', 'BATCH_SIM_MASS_UPDATE_RATE_LIMIT'));
		if (mass !== undefined) options.massUpdateRateLimit = { perSecond: mass, burst: mass };
	}
	return { help: false, options };
}

async function main(): Promise<void> {
	let parsed: ReturnType<typeof parseCli>;
	try {
		parsed = parseCli(process.argv.slice(2), process.env);
	} catch (err) {
		if (err instanceof UsageError) {
			process.stderr.write(`${err.message}\n\n${USAGE}`);
			process.exitCode = 2;
			return;
		}
		throw err;
	}
	if (parsed.help) {
		process.stdout.write(USAGE);
		return;
	}
	const sim = await startBatchSimulator(parsed.options);
	process.stdout.write(`Batch simulator listening on ${sim.url}\n`);
	let stopping = false;
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return;
		stopping = true;
		sim.close().then(
			() => {
				process.stderr.write(`Batch simulator stopped (${signal})\n`);
				process.exit(0);
			},
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((err: unknown) => {
		process.stderr.write(`Batch simulator failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
		process.exit(1);
	});
}
