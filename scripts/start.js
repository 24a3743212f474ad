#!/usr/bin/env node
// `npm start`: a local demo in one command, on a fresh machine after `npm install`.
//  - builds the package when dist/ is missing or older than the sources;
//  - installs n8n 2.41.1 and Node 24 into ~/.cache/n8n-nodes-purchasely-batch once (about 4-6 min);
//  - starts the Batch API simulator (or uses the real Batch when BATCH_REST_API_KEY and
//    BATCH_PROJECT_KEY are set), then n8n with this package installed from its `npm pack` tarball;
//  - writes the backfill sample (100,000 subscribers) where n8n may read it, once;
//  - creates the owner, both credentials, imports every templates/*.json and activates those with a
//    Purchasely Trigger (the backfill template is started by hand: Execute workflow);
//  - prints the editor URL and login, each template's webhook URL and a send-test-event command.
// Ctrl-C stops everything it started. The n8n user folder persists in .tmp/n8n-demo/ (gitignored)
// so workflows you edit survive restarts; `npm start -- --fresh` starts from scratch.
// See docs/real-n8n-harness.md.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { execFileSync } = require('node:child_process');
const harness = require('./n8n/harness');
const { freePort, portIsFree } = require('./n8n/processes');

const ROOT = path.resolve(__dirname, '..');
const DEMO_DIR = path.join(ROOT, '.tmp', 'n8n-demo');
const STATE_FILE = path.join(DEMO_DIR, 'demo-state.json');
const SECRET_FILE = path.join(DEMO_DIR, 'purchasely-shared-secret');
// Files n8n may read (n8n 2.x reads only under N8N_RESTRICT_FILE_ACCESS_TO, default ~/.n8n-files): the demo's own
// folder is added to that default, and the backfill template reads its sample from there.
const FILES_DIR = path.join(DEMO_DIR, 'files');
const BACKFILL_SAMPLE = path.join(FILES_DIR, 'backfill-subscribers.csv');
const BACKFILL_PATH_NODE = 'File to backfill (edit me)';
const DEMO_OWNER = { email: 'demo@example.com', password: 'Demo-Passw0rd!', firstName: 'Demo', lastName: 'User' };
// Keys the local simulator expects. Not secrets: the simulator only listens on 127.0.0.1.
const SIM_KEYS = { restApiKey: 'demo-rest-api-key', projectKey: 'project_demo', iosApiKey: 'DEMO_IOS_API_KEY', androidApiKey: 'DEMO_ANDROID_API_KEY' };

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
	console.log(`Usage: npm start [-- --fresh] [-- --port N]

Starts the Batch simulator and a local n8n 2.41.1 with this package, its credentials and
every workflow template, and prints how to use them. Ctrl-C stops everything.

  --fresh     forget the demo n8n (.tmp/n8n-demo) and start from scratch
  --port N    n8n port (default 5678, or a free port if 5678 is taken)

Environment: BATCH_REST_API_KEY, BATCH_PROJECT_KEY (both required to use the real Batch instead of
the simulator), BATCH_IOS_API_KEY, BATCH_ANDROID_API_KEY, BATCH_BASE_URL (optional);
PURCHASELY_SHARED_SECRET (default: a random secret kept in .tmp/n8n-demo).`);
	process.exit(0);
}
const flagValue = (name) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};

const say = (...a) => console.log('[start]', ...a);

function newestMtime(dir, filter) {
	let newest = 0;
	if (!fs.existsSync(dir)) return newest;
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) newest = Math.max(newest, newestMtime(p, filter));
		else if (filter(e.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
	}
	return newest;
}

function buildIfNeeded() {
	const built = [
		'dist/nodes/PurchaselyTrigger/PurchaselyTrigger.node.js',
		'dist/nodes/Batch/Batch.node.js',
		'dist/simulator/batchSimulator.js',
		'dist/bin/send-test-event.js',
	].map((f) => path.join(ROOT, f));
	const sources = Math.max(
		...['nodes', 'credentials', 'bin', 'simulator'].map((d) => newestMtime(path.join(ROOT, d), (n) => /\.(ts|json|svg|png)$/.test(n))),
		fs.statSync(path.join(ROOT, 'package.json')).mtimeMs,
	);
	const stale = built.some((f) => !fs.existsSync(f) || fs.statSync(f).mtimeMs < sources);
	if (!stale) return;
	say('building the package (npm run build)…');
	execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.js')], { cwd: ROOT, stdio: 'inherit' });
}

/**
 * Imports a template as the editor does (Import from File, then save: POST /rest/workflows with the
 * whole file), so that its pinned sample event comes along (Execute workflow runs it); the two
 * credentials are set by id, each trigger gets a fresh webhook id (older demo copies keep theirs).
 */
async function importAsEditor(n8n, file, credentials) {
	const wf = JSON.parse(fs.readFileSync(file, 'utf8'));
	const own = { [`${harness.PACKAGE_NAME}.purchaselyTrigger`]: 'purchaselyWebhookApi', [`${harness.PACKAGE_NAME}.batch`]: 'batchApi' };
	const nodes = wf.nodes.map((node) => {
		const copy = { ...node };
		if (copy.webhookId) copy.webhookId = crypto.randomUUID();
		// The backfill template reads the demo's sample (an operator's edit of its file path).
		if (copy.name === BACKFILL_PATH_NODE && copy.parameters && copy.parameters.assignments) {
			const rows = copy.parameters.assignments.assignments.map((row) => (row.name === 'file_path' ? { ...row, value: BACKFILL_SAMPLE } : row));
			copy.parameters = { ...copy.parameters, assignments: { ...copy.parameters.assignments, assignments: rows } };
		}
		const type = own[copy.type];
		if (type && credentials[type]) copy.credentials = { [type]: { id: String(credentials[type].id), name: credentials[type].name } };
		return copy;
	});
	const res = await n8n.rest('POST', '/workflows', { name: wf.name, nodes, connections: wf.connections, settings: wf.settings, pinData: wf.pinData || {} });
	if (res.status !== 200 || !res.json || !res.json.data) throw new Error(`POST /rest/workflows: ${res.status} ${String(res.text).slice(0, 300)}`);
	return res.json.data;
}

/** The backfill template's sample, written once (`npm start -- --fresh` writes a new one). */
function writeBackfillSample() {
	if (fs.existsSync(BACKFILL_SAMPLE)) return;
	say(`writing the backfill sample (100,000 subscribers) to ${path.relative(ROOT, BACKFILL_SAMPLE)}…`);
	execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'generate-backfill-sample.js'), '--rows', '100000', '--out', BACKFILL_SAMPLE], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

function readState() {
	try {
		return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {
		return {};
	}
}
function writeState(state) {
	fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
}

let n8n;
let simulator;
let stopping = false;
async function shutdown(code) {
	if (stopping) return;
	stopping = true;
	if (n8n || simulator) say('stopping n8n and the simulator…');
	if (n8n) await n8n.stop({ timeoutMs: 15_000 }).catch(() => {});
	if (simulator) await simulator.close().catch(() => {});
	if (n8n || simulator) say('stopped.');
	// process.exit also runs the harness' and installer's exit hooks (no child left behind).
	process.exit(code);
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

async function main() {
	const t0 = Date.now();
	if (args.includes('--fresh')) {
		say(`--fresh: removing ${path.relative(ROOT, DEMO_DIR)}`);
		fs.rmSync(DEMO_DIR, { recursive: true, force: true });
	}
	fs.mkdirSync(DEMO_DIR, { recursive: true });
	buildIfNeeded();
	writeBackfillSample();

	say('making sure n8n 2.41.1 is installed (first time: about 4-6 minutes, then cached in ~/.cache)…');
	await harness.ensureN8n('n8n2');
	const tarball = await harness.packPackage({ outDir: path.join(ROOT, '.tmp', 'pack'), build: 'never' });

	// Batch: the real one when keys are given, else the local simulator.
	const realBatch = Boolean(process.env.BATCH_REST_API_KEY && process.env.BATCH_PROJECT_KEY);
	let batchData;
	if (realBatch) {
		batchData = {
			restApiKey: process.env.BATCH_REST_API_KEY,
			projectKey: process.env.BATCH_PROJECT_KEY,
			iosApiKey: process.env.BATCH_IOS_API_KEY || '',
			androidApiKey: process.env.BATCH_ANDROID_API_KEY || '',
			baseUrl: process.env.BATCH_BASE_URL || 'https://api.batch.com',
		};
	} else {
		const { startBatchSimulator } = require(path.join(ROOT, 'dist', 'simulator', 'batchSimulator.js'));
		simulator = await startBatchSimulator({
			host: '127.0.0.1',
			port: Number(process.env.BATCH_SIM_PORT || 0),
			restApiKey: SIM_KEYS.restApiKey,
			projectKey: SIM_KEYS.projectKey,
			appApiKeys: { ios: SIM_KEYS.iosApiKey, android: SIM_KEYS.androidApiKey },
		});
		batchData = { ...SIM_KEYS, baseUrl: simulator.url };
	}

	let secret = process.env.PURCHASELY_SHARED_SECRET;
	if (!secret) {
		if (!fs.existsSync(SECRET_FILE)) fs.writeFileSync(SECRET_FILE, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });
		secret = fs.readFileSync(SECRET_FILE, 'utf8').trim();
	} else {
		fs.writeFileSync(SECRET_FILE, secret, { mode: 0o600 });
	}

	let port = Number(flagValue('--port') || 5678);
	if (!flagValue('--port') && !(await portIsFree(port))) port = await freePort();

	// Reinstall the package every start: the tarball may have changed since last time.
	fs.rmSync(path.join(DEMO_DIR, '.n8n', 'nodes', 'node_modules', harness.PACKAGE_NAME), { recursive: true, force: true });
	say(`starting n8n on http://127.0.0.1:${port} (log: ${path.relative(ROOT, path.join(DEMO_DIR, 'n8n.log'))})…`);
	n8n = await harness.startN8n({
		tarball,
		userFolder: DEMO_DIR,
		port,
		logFile: path.join(DEMO_DIR, 'n8n.log'),
		env: { N8N_RESTRICT_FILE_ACCESS_TO: `~/.n8n-files;${FILES_DIR}` },
		owner: DEMO_OWNER,
	});

	n8n.exitPromise.then((e) => {
		if (!stopping) {
			console.error(`[start] n8n exited unexpectedly (${JSON.stringify(e)}); see ${n8n.logFile}`);
			shutdown(1);
		}
	});

	// Credentials: created once, updated every start (the simulator's port changes).
	const state = readState();
	state.credentials = state.credentials || {};
	// Named as n8n's editor names a new credential of each type ("Batch API" → "Batch account"): the
	// names the templates reference, so a template imported again from the editor links them too.
	const credDefs = {
		batchApi: { name: 'Batch account', type: 'batchApi', data: batchData },
		purchaselyWebhookApi: { name: 'Purchasely Webhook account', type: 'purchaselyWebhookApi', data: { sharedSecret: secret } },
	};
	const credentials = {};
	for (const [type, def] of Object.entries(credDefs)) {
		const known = state.credentials[type];
		let ref;
		if (known) ref = await n8n.updateCredential(known, def).catch(() => undefined);
		if (!ref) ref = await n8n.createCredential(def);
		credentials[type] = ref;
		state.credentials[type] = ref.id;
	}
	writeState(state);

	// Templates: imported once (your edits survive restarts), activated every start. When a
	// template file changed since it was imported (a newer version of this package), the new
	// version is imported and the old copy deactivated, never deleted.
	state.workflows = state.workflows || {};
	const templatesDir = process.env.DEMO_TEMPLATES_DIR ? path.resolve(process.env.DEMO_TEMPLATES_DIR) : path.join(ROOT, 'templates');
	const files = fs.existsSync(templatesDir) ? fs.readdirSync(templatesDir).filter((f) => f.endsWith('.json')).sort() : [];
	const ready = [];
	const byHand = [];
	for (const file of files) {
		let wf;
		const templateFile = path.join(templatesDir, file);
		const hash = crypto.createHash('sha256').update(fs.readFileSync(templateFile)).digest('hex');
		// Older demo folders stored the bare workflow id.
		const known = typeof state.workflows[file] === 'string' ? { id: state.workflows[file] } : state.workflows[file];
		if (known) wf = await n8n.getWorkflow(known.id).catch(() => undefined);
		if (wf && known.hash && known.hash !== hash) {
			say(`templates/${file} changed since it was imported: importing the new version; your copy "${wf.name}" (id ${wf.id}) is deactivated and kept`);
			if (wf.active) await n8n.deactivate(wf).catch((e) => say(`could not deactivate ${wf.id}: ${e.message}`));
			wf = undefined;
		}
		if (!wf) {
			try {
				wf = await importAsEditor(n8n, templateFile, credentials);
			} catch (e) {
				say(`could not import templates/${file}: ${e.message}`);
				continue;
			}
			state.workflows[file] = { id: wf.id, hash };
			writeState(state);
		}
		if (!wf.nodes.some((n) => n.webhookId)) {
			// No webhook to wait for (the backfill's Manual Trigger): n8n cannot activate it; it runs by hand.
			byHand.push({ file, wf });
			continue;
		}
		try {
			if (!wf.active) await n8n.activate(wf);
			const urls = [];
			for (const node of wf.nodes.filter((n) => n.webhookId)) {
				try {
					const url = n8n.webhookUrl(wf, node.name);
					await n8n.waitForWebhook(url, { timeoutMs: 30_000 });
					// An event this trigger lets through: the first one it selects, else ACTIVATE.
					const selected = (node.parameters && node.parameters.events) || [];
					const extra = String((node.parameters && node.parameters.additionalEvents) || '').split(',').map((x) => x.trim()).filter(Boolean);
					urls.push({ url, event: String(selected[0] || extra[0] || 'ACTIVATE').toUpperCase() });
				} catch (e) {
					say(`templates/${file}: ${e.message}`);
				}
			}
			ready.push({ file, wf, urls });
		} catch (e) {
			say(`could not activate templates/${file} ("${wf.name}"): ${e.message}`);
		}
	}
	if (!files.length) say('no templates/*.json yet: nothing imported');

	const sendCmd = ({ url, event }) =>
		`PURCHASELY_SHARED_SECRET="$(cat ${path.relative(ROOT, SECRET_FILE)})" node dist/bin/send-test-event.js --url ${url} --event ${event} --user-id demo-user-1`;
	const lines = [
		'',
		'================================================================================',
		` n8n ${n8n.n8nVersion} is running (ready in ${Math.round((Date.now() - t0) / 1000)} s)`,
		'',
		` Editor:   ${n8n.baseUrl}/`,
		` Login:    ${DEMO_OWNER.email}  /  ${DEMO_OWNER.password}`,
		realBatch
			? ` Batch:    the real Batch API (${batchData.baseUrl}), keys from BATCH_* environment variables`
			: ` Batch:    local simulator ${simulator.url}  (what it received: ${simulator.url}/_simulator/state)`,
		'',
		' Workflows (active):',
		...(ready.length
			? ready.flatMap((r) => [
					`  - ${r.wf.name}  (templates/${r.file})`,
					...r.urls.flatMap((u) => [`      webhook: ${u.url}`, `      test:    ${sendCmd(u)}`]),
				])
			: ['  (none)']),
		'',
	];
	if (byHand.length) {
		lines.push(
			' Workflows to run by hand (open one, then Execute workflow):',
			...byHand.map((r) => `  - ${r.wf.name}  (templates/${r.file})`),
			`      reads ${path.relative(ROOT, BACKFILL_SAMPLE)} (100,000 sample subscribers; npm run backfill-sample -- --help)`,
			'',
		);
	}
	if (ready.some((r) => r.urls.length)) {
		lines.push(' The "test:" lines send a signed Purchasely event (run them from this folder; add --help for options).', '');
	}
	lines.push(' Ctrl-C stops n8n and the simulator. Data kept in .tmp/n8n-demo (npm start -- --fresh to reset).');
	lines.push('================================================================================');
	console.log(lines.join('\n'));
}

main().catch(async (e) => {
	console.error('[start] failed:', e.message);
	await harness.stopAll();
	await shutdown(1);
});
