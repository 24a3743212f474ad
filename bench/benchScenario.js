'use strict';
// One benchmark scenario in its own process (so that its peak RSS is its own). Prints one JSON line.
// Usage: node bench/benchScenario.js <scenario> <simulatorUrl> <items>
const { performance } = require('node:perf_hooks');
const { loadBatchNode, buildContext, stopN8nCoreBackgroundTimers } = require('./executeContext');
const { KEYS, makeItems } = require('./benchData');

const [scenario, baseUrl, countText] = process.argv.slice(2);
const count = Number(countText);
const credentials = { ...KEYS, baseUrl };
const fast = { rateLimitPerSecond: 0, maxConcurrentRequests: 4 }; // client-side limit off: measure the node
const TERNARY = '={{ $json.body.plan.endsWith("yearly") ? "yearly_renewal" : "monthly_renewal" }}';

// The parameter blocks the scenarios share.
const EVENT_OPTIONS = { label: 'bench', tags: 'n8n, bench' };
const EDITOR_ATTRIBUTES = { attribute: [{ name: 'source', type: 'string', value: 'n8n' }, { name: 'deeplink', type: 'url', value: 'myapp://ply/placements/RETENTION' }] };
// Version 1, Track Event on the Profile API: label, tags and two typed editor attributes, the attributes object
// read by field path from `body`.
const V1_TRACK = { operation: 'trackEvent', eventOptions: EVENT_OPTIONS, attributes: EDITOR_ATTRIBUTES, attributesField: 'body' };
// Version 1's field paths for the user id and the event name (read once, no expression).
const V1_FIELD_PATHS = { identifierSource: 'field', identifierField: 'meta.userId', eventNameSource: 'field', eventNameField: 'meta.eventName' };
// Version 2 with the parameters as dragging fields from the input panel writes them: plain field references
// (`{{ $json.meta.userId }}`), the same work as nodeProfile's field paths.
const V2_PLAIN = {
	version: 2,
	resource: 'event',
	operation: 'track',
	customUserId: '={{ $json.meta.userId }}',
	eventName: '={{ $json.meta.eventName }}',
	eventOptions: EVENT_OPTIONS,
	attributes: EDITOR_ATTRIBUTES,
	attributesObject: '={{ $json.body }}',
	// /profiles/update like version 1 (Automatic would pick mass update for 10,000 items): this row measures
	// the parameter reading, not the endpoint.
	options: { ...fast, endpoint: 'update' },
};

const scenarios = {
	// The node, Profile API, parameters read once: field paths for the user id and the attributes object,
	// fixed event name, label and two typed editor attributes.
	nodeProfile: { ...V1_TRACK, ...V1_FIELD_PATHS, options: fast },
	// Same, but the user id and the label come from expressions: evaluated per item by n8n's expression engine.
	nodeProfileExpressions: {
		...V1_TRACK,
		identifierSource: 'value',
		identifierValue: '={{ $json.meta.userId }}',
		eventName: '={{ $json.meta.eventName.toLowerCase() }}',
		eventOptions: { ...EVENT_OPTIONS, label: '={{ $json.body.plan }}' },
		options: fast,
	},
	nodeV2Plain: V2_PLAIN,
	// Version 2, the event name from a ternary: n8n evaluates it per item.
	nodeV2Ternary: { ...V2_PLAIN, eventName: TERNARY },
	// Mass update (bench/massUpdate.js): the nodeProfile parameters at the default rate limits, the simulator
	// enforcing Batch's figures; Endpoint Automatic (mass update above 1,000 items) or forced to /profiles/update.
	nodeMassUpdate: { ...V1_TRACK, ...V1_FIELD_PATHS, options: { endpoint: 'auto' } },
	nodeUpdateDefaultLimits: { ...V1_TRACK, ...V1_FIELD_PATHS, options: { endpoint: 'update' } },
	// The node, Trigger Events API, app chosen from the Purchasely store (iOS / Android alternate).
	nodeTriggerEvents: {
		operation: 'trackEvent',
		api: 'triggerEvents',
		platform: 'fromStore',
		eventNameSource: 'field',
		eventOptions: { label: 'bench' },
		attributesField: 'body',
		options: fast,
	},
};

async function runNode({ version = 1, ...parameters }) {
	const nodeType = loadBatchNode(version);
	const items = makeItems(count);
	const startedAt = performance.now();
	const context = buildContext(nodeType, parameters, credentials, items);
	const [output] = await nodeType.execute.call(context);
	const wallMs = performance.now() - startedAt;
	const accepted = output.filter((item) => item.json.accepted === true).length;
	return { wallMs, accepted, outputItems: output.length };
}

// Baseline: the same operations, one POST per item, plain undici over 20 keep-alive connections
// (the "plain undici, single POSTs" row of n8n-performance.md), no n8n involved.
async function runUndiciSingle() {
	const { Pool } = require('undici');
	const items = makeItems(count);
	const url = new URL(baseUrl);
	const pool = new Pool(url.origin, { connections: 20, pipelining: 1 });
	const headers = { authorization: `Bearer ${KEYS.restApiKey}`, 'x-batch-project': KEYS.projectKey, 'content-type': 'application/json' };
	let next = 0;
	let accepted = 0;
	const startedAt = performance.now();
	await Promise.all(
		Array.from({ length: 20 }, async () => {
			while (next < items.length) {
				const json = items[next++];
				const body = JSON.stringify([
					{
						identifiers: { custom_id: json.meta.userId },
						events: [{ name: json.meta.eventName.toLowerCase(), attributes: { $label: 'bench', plan: json.body.plan, price: json.body.price, source: 'n8n', 'url(deeplink)': 'myapp://ply/placements/RETENTION' } }],
					},
				]);
				const response = await pool.request({ method: 'POST', path: '/2.11/profiles/update', headers, body });
				await response.body.text();
				if (response.statusCode === 202) accepted++;
			}
		}),
	);
	const wallMs = performance.now() - startedAt;
	await pool.close();
	return { wallMs, accepted, outputItems: items.length };
}

// Reference: what n8n itself costs to evaluate the ternary once per item (getNodeParameter per item, as any node
// reading an expression parameter does), no node logic and no network.
async function runN8nTernary() {
	const nodeType = loadBatchNode(2);
	const items = makeItems(count);
	const startedAt = performance.now();
	const context = buildContext(nodeType, { resource: 'event', operation: 'track', eventName: TERNARY }, credentials, items);
	let yearly = 0;
	for (let index = 0; index < items.length; index++) if (context.getNodeParameter('eventName', index) === 'yearly_renewal') yearly++;
	const wallMs = performance.now() - startedAt;
	if (yearly !== Math.ceil(count / 2)) throw new Error(`the ternary gave ${yearly} yearly names`);
	return { wallMs, accepted: 0, outputItems: 0 };
}

(async () => {
	const result =
		scenario === 'undiciSingle' ? await runUndiciSingle() : scenario === 'n8nTernary' ? await runN8nTernary() : await runNode(scenarios[scenario]);
	stopN8nCoreBackgroundTimers();
	const peakRssMiB = process.resourceUsage().maxRSS / 1024;
	process.stdout.write(`${JSON.stringify({ scenario, items: count, ...result, peakRssMiB })}\n`);
})().catch((error) => {
	process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
	process.exit(1);
});
