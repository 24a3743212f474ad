/**
 * Page helpers of the editor test (test/e2e/editor.test.ts): Debian's chromium driven by
 * playwright-core (never `playwright install`), loopback traffic only, one screenshot per step
 * under test-results/editor/. Selectors are n8n's own `data-test-id` attributes (n8n 2.41.1).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
export const SHOTS_DIR = path.resolve(__dirname, '../../test-results/editor');
export const VIEWPORT = { width: 1280, height: 800 };

/**
 * Why the editor test cannot run here, or undefined when it can. In CI (CI=true) there is no
 * excuse: `.ci/run` installs chromium, so the test runs (and fails) rather than skipping.
 */
export function editorSkipReason(): string | undefined {
	if (process.env.CI === 'true' || process.env.CI === '1') return undefined;
	if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing (Debian: apt-get install -y chromium; .ci/run installs it)`;
	return undefined;
}

/** True for the hosts a test may reach: the loopback n8n and the simulator. */
export function isLoopback(url: string): boolean {
	try {
		const u = new URL(url);
		if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
		return ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
	} catch {
		return false;
	}
}

export interface EditorBrowser {
	browser: Browser;
	context: BrowserContext;
	page: Page;
	/** Non-loopback requests the page tried (all aborted). */
	blocked: string[];
	/** Uncaught page errors (kept for the failure message). */
	pageErrors: string[];
	close(): Promise<void>;
}

/** Launches headless chromium with one page at VIEWPORT; every non-loopback request is aborted. */
export async function launchEditorBrowser(): Promise<EditorBrowser> {
	const browser = await chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		timeout: 60_000,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'UTC' });
	// Bounds for a failing selector, not speed figures: generous because the first load of n8n's
	// editor bundle (several MB) can take a minute on a loaded CI machine.
	context.setDefaultTimeout(60_000);
	context.setDefaultNavigationTimeout(180_000);
	const blocked: string[] = [];
	await context.route('**/*', (route) => {
		const url = route.request().url();
		if (isLoopback(url)) return route.continue();
		blocked.push(url);
		return route.abort('blockedbyclient');
	});
	const page = await context.newPage();
	const pageErrors: string[] = [];
	page.on('pageerror', (e) => pageErrors.push(String(e.message).slice(0, 300)));
	return {
		browser,
		context,
		page,
		blocked,
		pageErrors,
		async close() {
			await context.close().catch(() => {});
			await browser.close().catch(() => {});
		},
	};
}

/** Saves a screenshot of the page (or of one element) as test-results/editor/<name>.png. */
export async function shot(page: Page, name: string, element?: Locator): Promise<string> {
	fs.mkdirSync(SHOTS_DIR, { recursive: true });
	const file = path.join(SHOTS_DIR, `${name}.png`);
	if (element) await element.screenshot({ path: file, animations: 'disabled' });
	else await page.screenshot({ path: file, animations: 'disabled' });
	return file;
}

export const byTestId = (page: Page | Locator, id: string): Locator => page.locator(`[data-test-id="${id}"]`);

/** Signs in through n8n's sign-in form and waits for the app shell. */
export async function signIn(page: Page, baseUrl: string, owner: { email: string; password: string }): Promise<void> {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	await page.locator('input[name=emailOrLdapLoginId]').fill(owner.email);
	await page.locator('input[name=password]').fill(owner.password);
	await byTestId(page, 'form-submit-button').click();
	await page.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 30_000 });
}

/** Opens the node panel on an empty canvas and searches it (fill(): typing on the canvas fires shortcuts). */
export async function searchNodePanel(page: Page, text: string): Promise<Locator> {
	const search = byTestId(page, 'node-creator-search-bar');
	if (!(await search.isVisible())) await byTestId(page, 'canvas-plus-button').click();
	await search.fill(text);
	// Trigger and action entries (node-creator-node-item / -action-item) are both wrapped in this.
	return byTestId(page, 'item-iterator-item');
}

/**
 * A real mouse drag in the page: press on `source`, move in small steps (n8n's drag starts after a
 * few pixels of movement), hover `target`, release. No synthetic drop event, no typed value.
 */
export async function mouseDrag(page: Page, source: Locator, target: Locator): Promise<void> {
	await source.scrollIntoViewIfNeeded();
	const from = await source.boundingBox();
	if (!from) throw new Error('drag source is not visible');
	await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
	await page.mouse.down();
	await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 });
	await target.scrollIntoViewIfNeeded();
	const to = await target.boundingBox();
	if (!to) throw new Error('drop target is not visible');
	await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
	await page.mouse.move(to.x + to.width / 2 + 2, to.y + to.height / 2, { steps: 2 });
	await page.mouse.up();
}

/** Whether an <img> finished loading a real image (not broken, not zero-sized). */
export async function imageLoaded(img: Locator): Promise<boolean> {
	return img.evaluate((el) => {
		const i = el as unknown as { tagName: string; complete: boolean; naturalWidth: number };
		return i.tagName === 'IMG' && i.complete && i.naturalWidth > 0;
	});
}

/** Waits until `loc` contains `text` (the error names the selector and the text). */
export async function waitForText(loc: Locator, text: string | RegExp, timeout = 30_000): Promise<void> {
	await loc.filter({ hasText: text }).first().waitFor({ timeout });
}

/** Whether the element's box lies inside the page's viewport (e.g. after zoom to fit). */
export async function inViewport(page: Page, loc: Locator): Promise<boolean> {
	const box = await loc.boundingBox();
	const vp = page.viewportSize();
	if (!box || !vp) return false;
	return box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height;
}

/** Polls `read` until `ok(value)` or the timeout; throws with `what` and the last value. */
export async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, what: string, timeout = 30_000): Promise<T> {
	const deadline = Date.now() + timeout;
	let last: T | undefined;
	let error: unknown;
	for (;;) {
		try {
			last = await read();
			if (ok(last)) return last;
		} catch (e) {
			error = e;
		}
		if (Date.now() > deadline) throw new Error(`${what}: not true after ${timeout / 1000} s (last value ${JSON.stringify(last)}${error ? `, last error ${String(error)}` : ''})`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * Clicks an empty spot inside the node details view (the input panel's lower-left corner): closes an open
 * expression preview or dropdown without closing the view itself (a click outside it would).
 */
export async function clickInsideNdv(page: Page, ndv: Locator): Promise<void> {
	const box = await byTestId(ndv, 'ndv-input-panel').boundingBox();
	if (!box) throw new Error('the node details view has no input panel on screen');
	await page.mouse.click(box.x + 8, box.y + box.height - 8);
}

/** A parameter's row in the node details view, by its label as the user reads it (the last match: the innermost). */
export function parameterItem(page: Page, ndv: Locator, label: string): Locator {
	return byTestId(ndv, 'parameter-item').filter({ has: page.getByText(label, { exact: true }) }).last();
}

/**
 * Types an expression as a user does: hover the parameter, switch it to "Expression", click into n8n's
 * expression editor, select what is there and type the new text (inserted as typed text, so that the
 * editor's bracket auto-closing does not double the `}}`).
 */
export async function typeExpression(page: Page, ndv: Locator, label: string, text: string): Promise<Locator> {
	const item = parameterItem(page, ndv, label);
	await item.scrollIntoViewIfNeeded();
	await item.hover();
	await byTestId(item, 'radio-button-expression').click();
	const editor = byTestId(item, 'inline-expression-editor-input');
	await editor.click();
	await page.keyboard.press('Control+a');
	await page.keyboard.insertText(text);
	return item;
}

/** Closes n8n's toasts (e.g. "Node executed successfully"), so that a screenshot shows what is under them. */
export async function dismissToasts(page: Page): Promise<void> {
	const close = page.locator('.el-notification .el-notification__closeBtn');
	for (let i = await close.count(); i > 0; i--) await close.first().click().catch(() => {});
}

/**
 * What n8n's editor thinks of the open workflow, read from its own stores (Pinia, on the Vue app of the page):
 * `dirty` the unsaved-changes state, `dirtySetCount` how many times the editor marked it changed since the
 * workflow was opened (each time starts an autosave), and whether autosave is on in this n8n.
 * Store ids and fields as in n8n-editor-ui 2.41.1 (ui.store: markStateDirty, dirtyStateSetCount; settings.store:
 * isAutosaveEnabled).
 */
export async function editorWorkflowState(page: Page): Promise<{ dirty: boolean; dirtySetCount: number; autosaveEnabled: boolean }> {
	return page.evaluate(`(() => {
		const host = document.querySelector('#app') && document.querySelector('#app').__vue_app__
			? document.querySelector('#app')
			: Array.from(document.querySelectorAll('body > *')).find((e) => e.__vue_app__);
		if (!host) throw new Error('no Vue app on the page');
		const stores = host.__vue_app__.config.globalProperties.$pinia._s;
		const ui = stores.get('ui');
		const settings = stores.get('settings');
		if (!ui || typeof ui.dirtyStateSetCount !== 'number') throw new Error('n8n ui store without dirtyStateSetCount');
		return { dirty: ui.stateIsDirty, dirtySetCount: ui.dirtyStateSetCount, autosaveEnabled: Boolean(settings && settings.isAutosaveEnabled) };
	})()`);
}

/**
 * Records every toast n8n shows from now on (each page load) into the page's `window.__e2eToasts`: its text and
 * whether it is an error. Read them with recordedToasts().
 */
export async function recordToasts(page: Page): Promise<void> {
	await page.addInitScript(`(() => {
		if (window.__e2eToasts) return;
		window.__e2eToasts = [];
		const seen = new WeakSet();
		const scan = () => document.querySelectorAll('.el-notification').forEach((el) => {
			if (seen.has(el)) return;
			seen.add(el);
			setTimeout(() => window.__e2eToasts.push({
				error: Boolean(el.querySelector('.el-notification--error')),
				text: el.innerText.replace(/\\s+/g, ' ').trim(),
			}), 100);
		});
		new MutationObserver(scan).observe(document, { childList: true, subtree: true });
	})()`);
}

/** The toasts recordToasts() saw on the current page load. */
export async function recordedToasts(page: Page): Promise<Array<{ error: boolean; text: string }>> {
	return page.evaluate('window.__e2eToasts ? window.__e2eToasts.slice() : []');
}

/**
 * Counts the page's requests for parameters the editor loads from n8n (options, resource locator lists,
 * resource mapper columns: /rest/dynamic-node-parameters/…) that have not finished yet.
 */
export function trackDynamicParameterRequests(page: Page): { inFlight: () => number; total: () => number } {
	const open = new Set<unknown>();
	let total = 0;
	const isDynamic = (url: string) => url.includes('/rest/dynamic-node-parameters/');
	page.on('request', (r) => {
		if (!isDynamic(r.url())) return;
		open.add(r);
		total++;
	});
	page.on('requestfinished', (r) => open.delete(r));
	page.on('requestfailed', (r) => open.delete(r));
	return { inFlight: () => open.size, total: () => total };
}

/** Texts the editor shows while a parameter still loads (n8n-editor-ui 2.41.1: parameterInput.loadingOptions, resourceMapper.fetchingFields.message). */
const LOADING_TEXT = /Loading options|Fetching /;

/**
 * Opens a node as a user does (double-click on the canvas) and waits until its view is fully loaded: no request
 * for dynamic parameters in flight and no "Loading options..." / "Fetching …" anywhere in it (texts and inputs),
 * both for `quietMs` in a row, and `ready` (e.g. a resource mapper's columns) shown. Returns the view.
 */
export async function openNodeFully(
	page: Page,
	name: string,
	requests: { inFlight: () => number },
	{ ready, quietMs = 500 }: { ready?: (ndv: Locator) => Promise<void>; quietMs?: number } = {},
): Promise<Locator> {
	await page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`).dblclick();
	const ndv = byTestId(page, 'ndv');
	await ndv.waitFor();
	await byTestId(ndv, 'node-parameters').waitFor();
	if (ready) await ready(ndv);
	const loading = () =>
		ndv.evaluate((el, pattern) => {
			const root = el as unknown as { innerText: string; querySelectorAll(s: string): ArrayLike<{ value?: string; placeholder?: string }> };
			const inputs = Array.from(root.querySelectorAll('input, textarea')).map((i) => `${i.value ?? ''} ${i.placeholder ?? ''}`);
			return new RegExp(pattern).test([root.innerText, ...inputs].join('\n'));
		}, LOADING_TEXT.source);
	let quietSince = Date.now();
	await until(
		async () => {
			if (requests.inFlight() > 0 || (await loading())) quietSince = Date.now();
			return Date.now() - quietSince;
		},
		(quiet) => quiet >= quietMs,
		`the view of "${name}" loaded (no dynamic parameter request, no loading text)`,
	);
	return ndv;
}

/** Closes the node details view with its close button and waits until it is gone. */
export async function closeNdv(page: Page): Promise<void> {
	const ndv = byTestId(page, 'ndv');
	const close = byTestId(ndv, 'ndv-close-button');
	if (await close.isVisible().catch(() => false)) await close.click();
	else await byTestId(page, 'back-to-canvas').click();
	await ndv.waitFor({ state: 'hidden' });
}
