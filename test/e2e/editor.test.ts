/**
 * The n8n editor in a real browser: Debian's chromium driven by playwright-core against the real
 * n8n 2.41.1 the e2e run shares (package installed from its tarball), as a new user works:
 * 1. the node panel finds both nodes by name, with their icons loaded (not n8n's fallback);
 * 2. a template (imported through the harness API) opened from the workflows list, zoomed to fit;
 * 3. in the Batch node, a field dragged with the mouse from the input panel onto the user id
 *    parameter, *Execute step*, and the event at the Batch simulator;
 * 4. the Batch credential's test in the credential modal: a good key, a wrong REST API key, a
 *    wrong project key, each saying so;
 * 5. the Purchasely trigger's test URL ("Listen for test event") receiving a wrongly signed request:
 *    answered 401, and the reason shown in the editor;
 * 6. both credentials created the way the editor creates them, with n8n's default names;
 * 7. every other Batch (version 2) value parameter: fields dragged onto Installation ID, Event Name, Time,
 *    Label, an attribute's Name, Type and Value, and Attributes Object, an expression typed into Tags,
 *    *Execute step*, and all of it in the event at the simulator;
 * 8. the Trigger Events API: the Store dragged, the event at the app the store picks;
 * 9. Profile → Update Attributes with a typed Custom User ID expression and Dry Run on: *Execute step*
 *    shows the request that would be sent, and the simulator receives nothing;
 * 10. the four webhook templates, imported as the editor imports them: opening their nodes (double-click,
 *    the node's view loaded, the Data table column lists fetched, closed; every Data table, Batch and Purchasely
 *    node of each file, n8n's other node types once) leaves the workflow as saved: the editor never marks it
 *    changed, no autosave, no toast;
 * 11. Options → Output added and set to One Summary Item by clicking, as a user does: *Execute step* outputs one
 *    item for the run (counts, the failed items), and the accepted items are at the simulator.
 * Every step saves screenshots under test-results/editor/ (also on failure). Only loopback
 * traffic: every other request of the page is aborted. Skipped (saying why) only outside CI when
 * chromium is missing; in CI a missing browser or a failed selector fails the test.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import type { Locator, Page } from 'playwright-core';

import {
	byTestId,
	clickInsideNdv,
	closeNdv,
	dismissToasts,
	editorWorkflowState,
	editorSkipReason,
	imageLoaded,
	inViewport,
	until,
	launchEditorBrowser,
	mouseDrag,
	openNodeFully,
	recordedToasts,
	recordToasts,
	searchNodePanel,
	shot,
	signIn,
	trackDynamicParameterRequests,
	typeExpression,
	waitForText,
	type EditorBrowser,
} from './editorPage';
import {
	createCredentials,
	installedTestEvents,
	postSigned,
	randomKeys,
	ROOT,
	runOnN8nNode,
	installedPackageDir,
	sharedN8n,
	startSimulator,
	type BatchSimulator,
	type CredentialRef,
	type N8n,
	type TestKeys,
	type Workflow,
} from './support';
import type { WorkflowInput } from '../../scripts/n8n/harness';
import {
	CHECK_NODES,
	createCredentialAsEditor,
	executeAsEditor,
	importTemplateAsEditor,
	readTemplate,
	signInAsEditor,
	TEMPLATE_FILES,
	type TemplateKey,
} from './templateScenarios';
import { BATCH_TYPE, TRIGGER_TYPE } from './workflows';

const SKIP = editorSkipReason();
if (SKIP) console.warn(`[editor] SKIPPED: ${SKIP}`);
const describeEditor = SKIP ? describe.skip : describe;

const TEMPLATE = path.join(ROOT, 'templates', 'forward-subscription-events-to-batch.json');
const STEP_TIMEOUT = 4 * 60_000; // generous for a loaded machine; a normal run takes seconds per step
const MANUAL = 'When clicking ‘Execute workflow’';
const SAMPLE = 'Sample event';

/**
 * n8n's editor saves a changed workflow by itself: debounced 1.5 s after the last change, at the latest 5 s after
 * the first (n8n-editor-ui 2.41.1, dist/assets/durations-*.js: TIME.API.AUTOSAVE 1500 and AUTOSAVE_MAX_WAIT 5000,
 * the debounce of useWorkflowSaving's autoSaveWorkflow).
 */
const AUTOSAVE_DEBOUNCE_MS = 1500;
const STICKY_TYPE = 'n8n-nodes-base.stickyNote';
const DATA_TABLE_TYPE = 'n8n-nodes-base.dataTable';

/** Runs one step; on failure saves `<name>-failure.png` first (the selector that failed is in the error). */
async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
	try {
		return await fn();
	} catch (e) {
		await shot(page, `${name}-failure`).catch(() => {});
		throw e;
	}
}

/** The Batch node versions of the package as n8n loaded it (read on n8n's Node, n8n's NODE_PATH). */
async function installedBatchVersions(n8n: N8n): Promise<{ versions: number[]; defaultVersion: number }> {
	const file = path.join(installedPackageDir(n8n), 'dist/nodes/Batch/Batch.node.js');
	const script = `
		const { Batch } = require(${JSON.stringify(file)});
		const b = new Batch();
		const versions = b.nodeVersions ? Object.keys(b.nodeVersions).map(Number) : [].concat(b.description.version);
		const defaultVersion = b.nodeVersions ? (b.description.defaultVersion ?? b.currentVersion) : Math.max(...versions);
		process.stdout.write(JSON.stringify({ versions, defaultVersion }));`;
	return runOnN8nNode(n8n, script, { cwd: path.dirname(file), what: 'reading the Batch node versions' });
}

/** The user-id parameter a field is dragged onto, per Batch node version (docs/architecture.md). */
function userIdParameter(version: number): { name: string; label: string; parameters: Record<string, unknown> } {
	if (version >= 2) {
		return {
			name: 'customUserId',
			label: 'Custom User ID',
			parameters: {
				resource: 'event',
				operation: 'track',
				api: 'profile',
				identifierType: 'customId',
				customUserId: '',
				eventName: '',
				attributes: { attribute: [{ name: 'store', type: 'string', value: '' }] },
			},
		};
	}
	return {
		name: 'identifierValue',
		label: 'Identifier Value',
		parameters: {
			operation: 'trackEvent',
			api: 'profile',
			identifierType: 'customId',
			identifierSource: 'value',
			identifierValue: '',
			eventNameSource: 'value',
			eventName: 'editor_drag_test',
			options: {},
		},
	};
}

/** The text of the credential modal's test banner (without the field labels below it). */
async function credentialTestMessage(dialog: Locator): Promise<string> {
	const more = dialog.getByText('More details', { exact: true });
	if (await more.isVisible().catch(() => false)) await more.click();
	const all = await byTestId(dialog, 'node-credentials-config-container').innerText();
	const start = all.search(/Couldn.t connect|Connection tested/);
	// The banner ends where the first field's label starts, on a line of its own ("REST API Key" may also be
	// inside the message itself).
	const from = Math.max(start, 0);
	const label = /\n\s*REST API Key\s*\*?\s*\n/.exec(all.slice(from));
	return all.slice(from, label ? from + label.index : undefined).replace(/\s+/g, ' ').trim();
}

/** The credentials n8n lists to the signed-in user (the editor's own REST call, with its browser id). */
async function savedCredentials(page: Page): Promise<Array<{ id: string; name: string; type: string }>> {
	// A string, evaluated in the page (the test's TypeScript has no DOM types).
	return page.evaluate(`(async () => {
		const key = Object.keys(localStorage).find((k) => /browser-?id/i.test(k));
		const res = await fetch('/rest/credentials', { headers: key ? { 'browser-id': localStorage.getItem(key) } : {} });
		const body = await res.json();
		return (body.data || []).map((c) => ({ id: String(c.id), name: c.name, type: c.type, createdAt: String(c.createdAt) }))
			.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
	})()`);
}

/** Every string inside `value` (object values, array entries). */
function stringLeaves(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (value && typeof value === 'object') return Object.values(value).flatMap(stringLeaves);
	return [];
}

/** Where `after` differs from `before` (JSON paths, with both values), e.g. a node's parameters as saved. */
function differences(before: unknown, after: unknown, at = ''): string[] {
	if (JSON.stringify(before) === JSON.stringify(after)) return [];
	const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';
	if (!isObject(before) || !isObject(after) || Array.isArray(before) !== Array.isArray(after)) {
		return [`${at || '.'}: ${JSON.stringify(before) ?? 'absent'} -> ${JSON.stringify(after) ?? 'absent'}`];
	}
	const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
	return keys.flatMap((k) => differences(before[k], after[k], `${at}.${k}`));
}

/** What changed in each node (by name) between two saved versions of a workflow. */
function nodeChanges(before: Workflow, after: Workflow): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	const names = new Set([...before.nodes, ...after.nodes].map((n) => n.name));
	for (const name of names) {
		const diff = differences(before.nodes.find((n) => n.name === name), after.nodes.find((n) => n.name === name));
		if (diff.length > 0) out[name] = diff;
	}
	return out;
}

/** The columns a Data table node's mapping shows (its schema's columns not marked removed), none for other nodes. */
function mappedColumns(node: Workflow['nodes'][number]): string[] {
	const columns = (node.parameters as { columns?: { schema?: Array<{ displayName: string; removed?: boolean }> } }).columns;
	if (node.type !== DATA_TABLE_TYPE || !Array.isArray(columns?.schema)) return [];
	return columns.schema.filter((c) => !c.removed).map((c) => c.displayName);
}

/** Manual Trigger → "Sample event" (a Set node giving `sample`) → a Batch node with `batch` parameters. */
function sampleWorkflow(name: string, sample: object, batch: { typeVersion: number; parameters: Record<string, unknown> }): WorkflowInput {
	return {
		name,
		nodes: [
			{ name: MANUAL, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ name: SAMPLE, type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0], parameters: { mode: 'raw', jsonOutput: JSON.stringify(sample) } },
			{ name: 'Batch', type: BATCH_TYPE, typeVersion: batch.typeVersion, position: [440, 0], parameters: batch.parameters },
		],
		connections: {
			[MANUAL]: { main: [[{ node: SAMPLE, type: 'main', index: 0 }]] },
			[SAMPLE]: { main: [[{ node: 'Batch', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

describeEditor('the n8n editor in a real browser (chromium, n8n 2.41.1)', () => {
	let n8n: N8n;
	let sim: BatchSimulator;
	let keys: TestKeys;
	let creds: { batchApi: CredentialRef; purchaselyWebhookApi: CredentialRef };
	let eb: EditorBrowser;
	let page: Page;

	beforeAll(async () => {
		n8n = sharedN8n();
		keys = randomKeys();
		sim = await startSimulator(keys);
		creds = await createCredentials(n8n, keys, sim.url, 'editor');
		eb = await launchEditorBrowser();
		page = eb.page;
		await step(page, '0-sign-in', () => signIn(page, n8n.baseUrl, n8n.owner));
	}, STEP_TIMEOUT);

	afterAll(async () => {
		await eb?.close();
		await sim?.close();
		if (eb?.pageErrors.length) console.warn(`[editor] page errors: ${eb.pageErrors.slice(0, 5).join(' | ')}`);
		if (eb?.blocked.length) console.log(`[editor] ${eb.blocked.length} non-loopback requests aborted (e.g. ${eb.blocked[0]})`);
	});

	test(
		'1. the node panel finds both nodes by name, with their icons loaded',
		() =>
			step(page, '1-node-panel', async () => {
				await page.goto(`${n8n.baseUrl}/workflow/new`);
				for (const [query, name, icon] of [
					['Purchasely', 'Purchasely', 'purchasely'], // n8n drops " Trigger" in the "What triggers this workflow?" list
					['Batch', 'Batch', 'batch'],
				] as const) {
					const items = await searchNodePanel(page, query);
					const item = items.filter({ has: page.getByText(name, { exact: true }) }).first();
					await item.waitFor();
					const img = item.locator('img').first();
					await img.waitFor();
					// The package's own SVG, served by n8n and decoded by the browser (a missing icon shows
					// n8n's fallback letter, a broken one an <img> of width 0).
					expect(await img.getAttribute('src')).toMatch(new RegExp(`/icons/n8n-nodes-purchasely-batch/dist/nodes/\\w+/${icon}\\.svg$`));
					await until(() => imageLoaded(img), Boolean, `the ${icon} icon loaded`);
					await shot(page, `1-node-panel-${icon}`);
				}
				// The trigger's details: what a user sees after choosing it.
				await searchNodePanel(page, 'Purchasely');
				await byTestId(page, 'item-iterator-item').filter({ has: page.getByText('Purchasely', { exact: true }) }).first().click();
				await byTestId(page, 'node-creator-category-item').first().waitFor();
				await shot(page, '1-node-panel-purchasely-triggers');
			}),
		STEP_TIMEOUT,
	);

	test(
		'2. a template opened from the workflows list, its canvas zoomed to fit',
		() =>
			step(page, '2-template', async () => {
				const wf = await n8n.importWorkflow(TEMPLATE, { credentials: creds, name: `Editor: forward events ${randomBytes(3).toString('hex')}` });
				await page.goto(`${n8n.baseUrl}/home/workflows`);
				await page.getByText(wf.name, { exact: true }).first().click();
				await page.waitForURL(new RegExp(`/workflow/${wf.id}`));
				const nodes = byTestId(page, 'canvas-node');
				await nodes.first().waitFor();
				const names = wf.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote').map((n) => n.name);
				for (const name of names) await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).waitFor({ state: 'attached' });
				await byTestId(page, 'zoom-to-fit').click();
				await page.waitForTimeout(800); // the zoom animation
				for (const name of ['Purchasely Trigger', ...wf.nodes.filter((n) => n.type === BATCH_TYPE).map((n) => n.name)]) {
					expect(await inViewport(page, page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`))).toBe(true);
				}
				await shot(page, '2-template-canvas');
			}),
		STEP_TIMEOUT,
	);

	test(
		'3. Batch node: fields dragged from the input panel onto Custom User ID, Event Name and an attribute value, Execute step, the event at the simulator',
		() =>
			step(page, '3-batch-drag', async () => {
				const { defaultVersion } = await installedBatchVersions(n8n);
				const target = userIdParameter(defaultVersion);
				const userId = `editor-${randomBytes(4).toString('hex')}`;
				const wf = await n8n.importWorkflow(
					{
						name: `Editor: drag a field (Batch v${defaultVersion}) ${userId}`,
						nodes: [
							{ name: MANUAL, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
							{
								name: SAMPLE,
								type: 'n8n-nodes-base.set',
								typeVersion: 3.4,
								position: [220, 0],
								parameters: { mode: 'raw', jsonOutput: JSON.stringify({ meta: { userId, eventName: 'SUBSCRIPTION_STARTED', store: 'APPLE_APP_STORE' } }) },
							},
							{ name: 'Batch', type: BATCH_TYPE, typeVersion: defaultVersion, position: [440, 0], parameters: target.parameters },
						],
						connections: {
							[MANUAL]: { main: [[{ node: SAMPLE, type: 'main', index: 0 }]] },
							[SAMPLE]: { main: [[{ node: 'Batch', type: 'main', index: 0 }]] },
						},
						settings: { executionOrder: 'v1' },
					},
					{ credentials: creds },
				);
				await page.goto(`${n8n.baseUrl}/workflow/${wf.id}`);
				await page.locator('[data-test-id="canvas-node"][data-node-name="Batch"]').dblclick();
				const ndv = byTestId(page, 'ndv');
				await ndv.waitFor();
				await byTestId(ndv, 'input-label').filter({ hasText: target.label }).first().waitFor();
				// Input data: run the nodes before it (Manual Trigger → Sample event).
				await byTestId(ndv, 'execute-previous-node').click();
				const pill = byTestId(ndv, 'ndv-input-panel').locator('[data-target="mappable"][data-path=".meta.userId"]');
				await pill.waitFor();
				const param = byTestId(ndv, `parameter-input-${target.name}`);
				await mouseDrag(page, pill, param);
				await waitForText(param, '{{ $json.meta.userId }}');
				await waitForText(byTestId(ndv, `parameter-expression-preview-${target.name}`), userId);
				await shot(page, '3-batch-dragged-field');
				if (defaultVersion >= 2) {
					// A second parameter, dragged the same way: the event name from the input item.
					await page.mouse.click(5, 5);
					const eventPill = byTestId(ndv, 'ndv-input-panel').locator('[data-target="mappable"][data-path=".meta.eventName"]');
					const eventParam = byTestId(ndv, 'parameter-input-eventName');
					await mouseDrag(page, eventPill, eventParam);
					await waitForText(eventParam, '{{ $json.meta.eventName }}');
					await waitForText(byTestId(ndv, 'parameter-expression-preview-eventName'), 'SUBSCRIPTION_STARTED');
					await shot(page, '3-batch-dragged-event-name');
					// And an attribute row's value (a parameter inside a fixed collection).
					await page.mouse.click(5, 5);
					const storePill = byTestId(ndv, 'ndv-input-panel').locator('[data-target="mappable"][data-path=".meta.store"]');
					const valueParam = byTestId(ndv, 'parameter-input-value').first();
					await valueParam.scrollIntoViewIfNeeded();
					await mouseDrag(page, storePill, valueParam);
					await waitForText(valueParam, '{{ $json.meta.store }}');
					await shot(page, '3-batch-dragged-attribute-value');
				}
				// Close the expression preview, then Execute step.
				await page.mouse.click(5, 5);
				await byTestId(ndv, 'node-execute-button').first().click();
				const out = byTestId(ndv, 'output-panel');
				await byTestId(out, 'node-run-status-success').waitFor({ timeout: 60_000 });
				await waitForText(out, userId);
				await shot(page, '3-batch-executed');
				// The event Batch received: exactly one, for this user.
				const events = await until(() => sim.profile('custom_id', userId)?.events.map((e) => e.name) ?? [], (names) => names.length > 0, 'the event at the simulator');
				// Version 2: the dragged event name (Batch names are not case-sensitive; the node sends them lower-cased).
				expect(events).toEqual([defaultVersion >= 2 ? 'subscription_started' : 'editor_drag_test']);
				if (defaultVersion >= 2) expect(sim.profile('custom_id', userId)?.events[0].attributes).toMatchObject({ store: 'APPLE_APP_STORE' });
			}),
		STEP_TIMEOUT,
	);

	test(
		'4 + 6. credentials created as the editor does: default names; the Batch test names the wrong key',
		() =>
			step(page, '4-credentials', async () => {
				const recorded: Record<string, string> = {};
				const created: string[] = [];
				const messages = { wrongRest: '', wrongProject: '' };
				for (const [typeName, file] of [
					['Batch API', 'batch'],
					['Purchasely Webhook', 'purchasely'],
				] as const) {
					await page.goto(`${n8n.baseUrl}/home/credentials`);
					const create = page.getByRole('button', { name: 'Create credential', exact: true }).first();
					await create.click();
					await byTestId(page, 'new-credential-type-select').locator('input').fill(typeName);
					await byTestId(page, 'new-credential-type-select-option').filter({ hasText: new RegExp(`^\\s*${typeName}\\s*$`) }).first().click();
					await byTestId(page, 'new-credential-type-button').click();
					const dialog = byTestId(page, 'credential-edit-dialog');
					await dialog.waitFor();
					// n8n's default name for a new credential of this type (the templates reference it).
					await shot(page, `6-credential-new-${file}`);
					const fill = (name: string, value: string) => byTestId(dialog, `parameter-input-${name}`).locator('input').fill(value);
					if (file === 'batch') {
						await fill('restApiKey', keys.restApiKey);
						await fill('projectKey', keys.projectKey);
						await fill('baseUrl', sim.url);
						await byTestId(page, 'credential-save-button').click();
						await byTestId(dialog, 'credentials-config-container-test-success').waitFor();
						await shot(page, '4-credential-test-good');

						await fill('restApiKey', `${keys.restApiKey}_wrong`);
						await byTestId(page, 'credential-save-button').click();
						await dialog.getByText(/Couldn.t connect/).waitFor();
						const wrongRest = await credentialTestMessage(dialog);
						await shot(page, '4-credential-test-wrong-rest-key');

						// Good keys again (the banner turns green), then the wrong project key.
						await fill('restApiKey', keys.restApiKey);
						await byTestId(page, 'credential-save-button').click();
						await byTestId(dialog, 'credentials-config-container-test-success').waitFor();
						await fill('projectKey', `${keys.projectKey}_wrong`);
						await byTestId(page, 'credential-save-button').click();
						await dialog.getByText(/Couldn.t connect/).waitFor();
						const wrongProject = await credentialTestMessage(dialog);
						await shot(page, '4-credential-test-wrong-project-key');
						messages.wrongRest = wrongRest;
						messages.wrongProject = wrongProject;
					} else {
						await fill('sharedSecret', keys.sharedSecret);
						await byTestId(page, 'credential-save-button').click();
						// No test for this type: n8n saves (and may close the modal); wait for it in n8n's list.
						await until(() => savedCredentials(page), (l) => l.some((c) => c.type === 'purchaselyWebhookApi' && / account( \d+)?$/.test(c.name)), 'the Purchasely credential saved');
					}
					// The name n8n gave it, as saved (n8n appends " 2", " 3"… when a credential of that name
					// exists: other tests share this n8n).
					const saved = await savedCredentials(page);
					const mine = saved.filter((c) => c.type === (file === 'batch' ? 'batchApi' : 'purchaselyWebhookApi') && / account( \d+)?$/.test(c.name));
					expect(mine.length).toBeGreaterThan(0);
					recorded[typeName] = mine[mine.length - 1].name.replace(/ \d+$/, '');
					created.push(mine[mine.length - 1].id);
					await page.keyboard.press('Escape');
				}
				// Leave n8n's default names free for the other test files (templates.test.ts creates credentials the
				// editor's way and expects exactly those names): delete what this step created, as the editor does.
				const deleted = await page.evaluate(`(async () => {
					const key = Object.keys(localStorage).find((k) => /browser-?id/i.test(k));
					const headers = key ? { 'browser-id': localStorage.getItem(key) } : {};
					const ids = ${JSON.stringify(created)};
					const statuses = [];
					for (const id of ids) statuses.push((await fetch('/rest/credentials/' + id, { method: 'DELETE', headers })).status);
					return statuses;
				})()`);
				expect(deleted).toEqual(created.map(() => 200));
				console.log(`[editor] n8n's default credential names: ${JSON.stringify(recorded)}`);
				expect(recorded).toEqual({ 'Batch API': 'Batch account', 'Purchasely Webhook': 'Purchasely Webhook account' });
				// Which key Batch refused, in the banner (not only "Unauthorized"); never a key.
				console.log(`[editor] Batch credential test messages: ${JSON.stringify(messages)}`);
				expect(messages.wrongRest).toMatch(/refused the REST API Key/i);
				expect(messages.wrongProject).toMatch(/refused the Project Key/i);
				for (const secret of [keys.restApiKey, keys.projectKey]) {
					expect(messages.wrongRest).not.toContain(secret);
					expect(messages.wrongProject).not.toContain(secret);
				}
			}),
		STEP_TIMEOUT,
	);

	test(
		"5. the trigger's test URL: a wrongly signed request is refused (401) and the reason shows in the editor",
		() =>
			step(page, '5-trigger', async () => {
				const wf: Workflow = await n8n.importWorkflow(
					{
						name: `Editor: listen for a test event ${randomBytes(3).toString('hex')}`,
						nodes: [
							{ name: 'Purchasely Trigger', type: TRIGGER_TYPE, typeVersion: 1, position: [0, 0], parameters: { events: [], acknowledge: 'immediately', options: {} } },
							{ name: 'No Operation, do nothing', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [260, 0], parameters: {} },
						],
						connections: { 'Purchasely Trigger': { main: [[{ node: 'No Operation, do nothing', type: 'main', index: 0 }]] } },
						settings: { executionOrder: 'v1' },
					},
					{ credentials: creds },
				);
				await page.goto(`${n8n.baseUrl}/workflow/${wf.id}`);
				await page.locator('[data-test-id="canvas-node"][data-node-name="Purchasely Trigger"]').dblclick();
				const ndv = byTestId(page, 'ndv');
				await ndv.waitFor();
				// The webhook URLs as the editor shows them: the test URL is the one we call.
				await ndv.getByText('Webhook URLs', { exact: true }).click();
				const testUrl = n8n.webhookUrl(wf).replace('/webhook/', '/webhook-test/');
				await waitForText(ndv, testUrl);
				await shot(page, '5-trigger-webhook-urls');

				await byTestId(ndv, 'trigger-execute-button').click();
				await byTestId(ndv, 'trigger-listening').waitFor();
				await shot(page, '5-trigger-listening');

				const body = installedTestEvents(n8n).serializeTestEvent(installedTestEvents(n8n).buildTestEvent({}));
				const res = await postSigned(n8n, testUrl, body, `${keys.sharedSecret}_wrong`);
				expect(res.status).toBe(401);
				// The editor says why (the test run's error), instead of listening on in silence.
				await until(async () => (await ndv.innerText()).replace(/\s+/g, ' '), (t) => /signature/i.test(t), 'the refusal reason in the trigger panel');
				await shot(page, '5-trigger-refused-in-editor');
				expect(await ndv.innerText()).not.toContain(keys.sharedSecret);
			}),
		STEP_TIMEOUT,
	);

	/** Opens the Batch node of workflow `wf` and runs the nodes before it, so that the input panel has data. */
	async function openBatchWithInput(wf: Workflow): Promise<Locator> {
		await page.goto(`${n8n.baseUrl}/workflow/${wf.id}`);
		await page.locator('[data-test-id="canvas-node"][data-node-name="Batch"]').dblclick();
		const ndv = byTestId(page, 'ndv');
		await ndv.waitFor();
		await byTestId(ndv, 'execute-previous-node').click();
		await byTestId(ndv, 'ndv-input-panel').locator('[data-target="mappable"]').first().waitFor();
		return ndv;
	}

	/** Drags the input panel's field `path` (e.g. `.meta.store`) onto parameter `name` (its `nth` occurrence). */
	async function dragField(ndv: Locator, path: string, name: string, nth = 0): Promise<void> {
		await clickInsideNdv(page, ndv);
		const pill = byTestId(ndv, 'ndv-input-panel').locator(`[data-target="mappable"][data-path="${path}"]`);
		const param = byTestId(ndv, `parameter-input-${name}`).nth(nth);
		await mouseDrag(page, pill, param);
		await waitForText(param, `{{ $json${path} }}`);
	}

	/** Execute step in the open node details view; waits for a successful run whose output shows `text`. */
	async function executeStep(ndv: Locator, text: string): Promise<void> {
		await clickInsideNdv(page, ndv);
		await byTestId(ndv, 'node-execute-button').first().click();
		const out = byTestId(ndv, 'output-panel');
		await byTestId(out, 'node-run-status-success').waitFor({ timeout: 60_000 });
		await waitForText(out, text);
	}

	/**
	 * The Batch node's parameters as saved (Ctrl+S, then n8n's REST API): what the editor wrote. Polls until every
	 * string of `expected` is there (n8n also autosaves, so an earlier state may be read first).
	 */
	async function savedBatchParameters(wf: Workflow, expected: string[]): Promise<Record<string, unknown>> {
		await clickInsideNdv(page, byTestId(page, 'ndv'));
		await page.keyboard.press('Control+s');
		return until(
			async () => (await n8n.getWorkflow(wf.id)).nodes.find((node) => node.name === 'Batch')?.parameters ?? {},
			(parameters) => expected.every((text) => JSON.stringify(parameters).includes(JSON.stringify(text).slice(1, -1))),
			'the workflow saved with every dragged field and typed expression',
		);
	}

	test(
		'7. Batch node: every other value parameter takes a dragged field or a typed expression, and Execute step sends what they give',
		() =>
			step(page, '7-batch-every-parameter', async () => {
				const installationId = `inst-${randomBytes(4).toString('hex')}`;
				const time = new Date(Date.now() - 5 * 60_000).toISOString();
				const sample = {
					meta: { installationId, eventName: 'RENEWAL_DISABLED', time, store: 'APPLE_APP_STORE' },
					body: { plan: 'premium_yearly', attributeName: 'Plan_Store', attributeType: 'string' },
					attributes: { renews: false, price: 9.99 },
				};
				const wf = await n8n.importWorkflow(
					sampleWorkflow(`Editor: every parameter ${installationId}`, sample, {
						typeVersion: 2,
						parameters: {
							resource: 'event',
							operation: 'track',
							api: 'profile',
							identifierType: 'installationId',
							installationId: '',
							eventName: '',
							// The options a user adds with "Add Option", already added (empty).
							eventOptions: { label: '', tags: '', time: '' },
							attributes: { attribute: [{ name: '', type: 'string', value: '' }] },
							attributesObject: '',
						},
					}),
					{ credentials: creds },
				);
				const ndv = await openBatchWithInput(wf);
				await dragField(ndv, '.meta.installationId', 'installationId');
				await dragField(ndv, '.meta.eventName', 'eventName');
				await dragField(ndv, '.body.plan', 'label');
				await dragField(ndv, '.meta.time', 'time');
				await dragField(ndv, '.body.attributeName', 'name');
				await dragField(ndv, '.body.attributeType', 'type');
				await dragField(ndv, '.meta.store', 'value');
				await dragField(ndv, '.attributes', 'attributesObject');
				await clickInsideNdv(page, ndv);
				const tags = await typeExpression(page, ndv, 'Tags', '{{ $json.body.plan.split("_")[0] }}, renewal');
				await waitForText(tags, 'premium, renewal'); // n8n's own preview of the typed expression
				await shot(page, '7-batch-every-parameter');
				// What the editor wrote: an expression in every parameter (no field path, no copied value).
				const written = {
					installationId: '={{ $json.meta.installationId }}',
					eventName: '={{ $json.meta.eventName }}',
					eventOptions: { label: '={{ $json.body.plan }}', time: '={{ $json.meta.time }}', tags: '={{ $json.body.plan.split("_")[0] }}, renewal' },
					attributes: { attribute: [{ name: '={{ $json.body.attributeName }}', type: '={{ $json.body.attributeType }}', value: '={{ $json.meta.store }}' }] },
					attributesObject: '={{ $json.attributes }}',
				};
				expect(await savedBatchParameters(wf, stringLeaves(written))).toMatchObject(written);
				await executeStep(ndv, installationId);
				await dismissToasts(page);
				await shot(page, '7-batch-every-parameter-executed');
				const profile = await until(() => sim.profile('installation', installationId), (p) => (p?.events.length ?? 0) > 0, 'the event at the simulator');
				expect(profile?.events).toHaveLength(1);
				const [event] = profile!.events;
				expect(event).toMatchObject({ name: 'renewal_disabled', label: 'premium_yearly', tags: ['premium', 'renewal'] });
				expect(Date.parse(event.time)).toBe(Date.parse(time));
				expect(event.attributes).toEqual({ plan_store: 'APPLE_APP_STORE', renews: false, price: 9.99 });
			}),
		STEP_TIMEOUT,
	);

	test(
		'8. Batch node, Trigger Events API: the Store dragged from the input panel picks the app',
		() =>
			step(page, '8-batch-store', async () => {
				const userId = `editor-store-${randomBytes(4).toString('hex')}`;
				const wf = await n8n.importWorkflow(
					sampleWorkflow(`Editor: store ${userId}`, { meta: { userId }, purchase: { storeName: 'GOOGLE_PLAY_STORE' } }, {
						typeVersion: 2,
						parameters: { resource: 'event', operation: 'track', api: 'triggerEvents', platform: 'fromStore', store: '', eventName: 'editor_store_test' },
					}),
					{ credentials: creds },
				);
				const ndv = await openBatchWithInput(wf);
				await dragField(ndv, '.purchase.storeName', 'store');
				await waitForText(byTestId(ndv, 'parameter-expression-preview-store'), 'GOOGLE_PLAY_STORE');
				await shot(page, '8-batch-dragged-store');
				await executeStep(ndv, userId);
				const events = await until(() => sim.triggerEvents(undefined, userId), (e) => e.length > 0, 'the event at the simulator');
				expect(events.map((e) => [e.platform, e.name])).toEqual([['android', 'editor_store_test']]);
			}),
		STEP_TIMEOUT,
	);

	test(
		'9. Profile → Update Attributes, a typed Custom User ID expression, Dry Run: Execute step shows the request, nothing is sent',
		() =>
			step(page, '9-batch-dry-run', async () => {
				const userId = `editor-dry-${randomBytes(4).toString('hex')}`;
				const wf = await n8n.importWorkflow(
					sampleWorkflow(`Editor: dry run ${userId}`, { meta: { userId }, attributes: { plan: 'premium_monthly' } }, {
						typeVersion: 2,
						parameters: {
							resource: 'profile',
							operation: 'updateAttributes',
							customUserId: '',
							attributesObject: '={{ $json.attributes }}',
							options: { dryRun: true },
						},
					}),
					{ credentials: creds },
				);
				const before = sim.requests.length;
				const ndv = await openBatchWithInput(wf);
				const userIdItem = await typeExpression(page, ndv, 'Custom User ID', '{{ $json.meta.userId.toUpperCase() }}');
				await waitForText(userIdItem, userId.toUpperCase());
				await executeStep(ndv, userId.toUpperCase());
				const out = byTestId(ndv, 'output-panel');
				// The request the run would have sent, with the key masked.
				await waitForText(out, '/profiles/update');
				await out.getByText('JSON', { exact: true }).click(); // the request as JSON, as an operator reviews it
				await waitForText(out, '"dryRun"');
				await dismissToasts(page);
				await shot(page, '9-batch-dry-run-output');
				const outputText = await out.innerText();
				expect(outputText).toContain('dryRun');
				for (const secret of [keys.restApiKey, keys.projectKey]) expect(outputText).not.toContain(secret);
				expect(sim.requests.length).toBe(before);
				expect(sim.profile('custom_id', userId.toUpperCase())).toBeUndefined();
			}),
		STEP_TIMEOUT,
	);

	describe('10. the four webhook templates, imported as the editor imports them: opening their nodes changes nothing', () => {
		const KEYS = Object.keys(TEMPLATE_FILES) as TemplateKey[];
		const imported = {} as Record<TemplateKey, Workflow>;
		const madeCredentials: string[] = [];
		/**
		 * Opened in every template: the Data table nodes (their column mappings are per file) and the package's own
		 * nodes (their parameters differ per file). n8n's other nodes (Edit Fields, Filter, If, Stop and Error) load
		 * nothing from n8n when opened and render the same whatever their values: each type and version is opened in
		 * the first template that has it, which keeps the test within about two minutes.
		 */
		const PER_FILE_TYPES = new Set([DATA_TABLE_TYPE, BATCH_TYPE, TRIGGER_TYPE]);
		const openedTypes = new Set<string>();
		let requests: ReturnType<typeof trackDynamicParameterRequests>;

		beforeAll(async () => {
			await signInAsEditor(n8n);
			// The credentials the templates name ("Batch account", "Purchasely Webhook account"), created as the editor
			// creates them, so that the import links them.
			const batch = await createCredentialAsEditor(n8n, 'batchApi', {
				restApiKey: keys.restApiKey,
				projectKey: keys.projectKey,
				iosApiKey: keys.iosApiKey,
				androidApiKey: keys.androidApiKey,
				baseUrl: sim.url,
			});
			const purchasely = await createCredentialAsEditor(n8n, 'purchaselyWebhookApi', { sharedSecret: keys.sharedSecret });
			madeCredentials.push(batch.id, purchasely.id);
			const tag = randomBytes(3).toString('hex');
			for (const key of KEYS) imported[key] = await importTemplateAsEditor(n8n, readTemplate(key), `Editor: open every node, ${key} ${tag}`);
			// The Data table nodes load the deliveries table's columns when opened: the table must exist, made the way
			// the templates make it (their first node after the trigger), by *Execute workflow* on one template's pinned event.
			const run = await executeAsEditor(n8n, imported.forward.id, 'Purchasely Trigger');
			await n8n.waitForExecutions(imported.forward.id, 1);
			const exec = await n8n.getExecution(run.executionId!, { includeData: true });
			const tableRun = exec.data.resultData.runData[CHECK_NODES.table]?.[0];
			expect({ ran: Boolean(tableRun), error: tableRun?.error?.message }).toEqual({ ran: true, error: undefined });
			requests = trackDynamicParameterRequests(page);
			await recordToasts(page);
		}, STEP_TIMEOUT);

		afterAll(async () => {
			// Leave n8n's default credential names free for the other test files.
			for (const id of madeCredentials) await n8n.rest('DELETE', `/credentials/${id}`).catch(() => {});
		});

		test.each(KEYS)(
			'%s: its nodes opened and closed; not marked changed, not autosaved, no toast',
			(key) =>
				step(page, `10-open-every-node-${key}`, async () => {
					const w = imported[key];
					const saved = async () => {
						const res = await n8n.rest<{ data: Workflow & { versionId: string; updatedAt: string } }>('GET', `/workflows/${w.id}`);
						if (res.status !== 200) throw new Error(`GET /rest/workflows/${w.id}: ${res.status}`);
						return res.json!.data;
					};
					const before = await saved();
					await page.goto(`${n8n.baseUrl}/workflow/${w.id}`);
					const nodes = before.nodes.filter((n) => n.type !== STICKY_TYPE);
					const toOpen = nodes.filter((n) => PER_FILE_TYPES.has(n.type) || !openedTypes.has(`${n.type}@${n.typeVersion}`));
					for (const n of nodes) await page.locator(`[data-test-id="canvas-node"][data-node-name="${n.name}"]`).waitFor({ state: 'attached' });
					await byTestId(page, 'zoom-to-fit').click();
					await page.waitForTimeout(800); // the zoom animation
					const loaded = await editorWorkflowState(page);
					// Without autosave the check of the saved version below would prove nothing.
					expect(loaded.autosaveEnabled).toBe(true);
					const changedBy: string[] = [];
					let count = loaded.dirtySetCount;
					const requestsBefore = requests.total();
					for (const node of toOpen) {
						const columns = mappedColumns(node);
						await openNodeFully(page, node.name, requests, {
							// A Data table mapping: its columns listed (fetched from the table), not only the saved schema.
							ready: async (ndv) => {
								const mapper = byTestId(ndv, 'resource-mapper-container');
								for (const column of columns) await mapper.getByText(column, { exact: true }).first().waitFor();
							},
						});
						await closeNdv(page);
						openedTypes.add(`${node.type}@${node.typeVersion}`);
						const now = await editorWorkflowState(page);
						if (now.dirtySetCount !== count) changedBy.push(node.name);
						count = now.dirtySetCount;
					}
					// Past the autosave debounce: a change would be saved by now.
					await page.waitForTimeout(2 * AUTOSAVE_DEBOUNCE_MS);
					const after = await saved();
					const end = await editorWorkflowState(page);
					const toasts = await recordedToasts(page);
					await shot(page, `10-open-every-node-${key}`);
					console.log(`[editor] ${key}: opened ${toOpen.length} of ${nodes.length} nodes (${toOpen.map((n) => n.name).join(', ')}), ${requests.total() - requestsBefore} dynamic parameter requests`);
					expect({
						dirtyOnLoad: loaded.dirty,
						changedBy,
						dirty: end.dirty,
						saved: { versionId: after.versionId, updatedAt: after.updatedAt },
						changes: nodeChanges(before, after),
						toasts,
					}).toEqual({
						dirtyOnLoad: false,
						changedBy: [],
						dirty: false,
						saved: { versionId: before.versionId, updatedAt: before.updatedAt },
						changes: {},
						toasts: [],
					});
				}),
			STEP_TIMEOUT,
		);
	});

	test(
		'11. Options → Output chosen in the editor: One Summary Item, Execute step outputs one item for the run',
		() =>
			step(page, '11-batch-summary-output', async () => {
				const tag = randomBytes(4).toString('hex');
				const invalid = [4, 21];
				// 30 subscribers, two without a user ID (refused before sending, listed in the summary).
				const code = `return Array.from({ length: 30 }, (_, i) => ({ json: { user_id: ${JSON.stringify(invalid)}.includes(i) ? '' : 'editor-summary-${tag}-' + i, plan: i % 2 ? 'monthly' : 'yearly' } }));`;
				const wf = await n8n.importWorkflow(
					{
						name: `Editor: summary output ${tag}`,
						nodes: [
							{ name: MANUAL, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
							{ name: SAMPLE, type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { jsCode: code } },
							{
								name: 'Batch',
								type: BATCH_TYPE,
								typeVersion: 2,
								position: [440, 0],
								onError: 'continueRegularOutput',
								parameters: {
									resource: 'profile',
									operation: 'updateAttributes',
									customUserId: '={{ $json.user_id }}',
									attributes: { attribute: [{ name: 'plan', type: 'string', value: '={{ $json.plan }}' }] },
									options: {},
								},
							},
						],
						connections: {
							[MANUAL]: { main: [[{ node: SAMPLE, type: 'main', index: 0 }]] },
							[SAMPLE]: { main: [[{ node: 'Batch', type: 'main', index: 0 }]] },
						},
						settings: { executionOrder: 'v1' },
					},
					{ credentials: creds },
				);
				const ndv = await openBatchWithInput(wf);
				// As a user adds it: Add Option → Output, then its choice One Summary Item.
				await clickInsideNdv(page, ndv);
				await byTestId(ndv, 'collection-parameter-add').first().click();
				await page.locator('[data-test-id="collection-parameter-option"]').filter({ hasText: /^Output$/ }).click();
				const output = byTestId(ndv, 'parameter-input-output');
				await output.waitFor();
				await output.click();
				await page.getByRole('option').filter({ hasText: 'One Summary Item' }).first().click();
				await shot(page, '11-batch-summary-output-chosen');
				expect(await savedBatchParameters(wf, ['summary'])).toMatchObject({ options: { output: 'summary' } });
				await executeStep(ndv, 'failedItems');
				const out = byTestId(ndv, 'output-panel');
				await out.getByText('JSON', { exact: true }).click();
				await waitForText(out, '"failedItems"');
				await dismissToasts(page);
				await shot(page, '11-batch-summary-output-executed');
				const text = (await out.innerText()).replace(/\s+/g, ' ');
				expect(text).toMatch(/1 item/);
				expect(text).toContain('"items": 30, "accepted": 28, "failed": 2');
				expect(text).toContain('"itemIndex": 4');
				expect(text).toContain('"itemIndex": 21');
				const accepted = await until(() => sim.profile('custom_id', `editor-summary-${tag}-29`), (p) => p !== undefined, 'an accepted subscriber at the simulator');
				expect(accepted?.attributes).toMatchObject({ plan: 'monthly' });
				for (const secret of [keys.restApiKey, keys.projectKey]) expect(text).not.toContain(secret);
			}),
		STEP_TIMEOUT,
	);

});
