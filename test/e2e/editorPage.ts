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
