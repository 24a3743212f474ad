/**
 * Every workflow template (templates/*.json) imports into the real n8n 2.41.1; those with a Purchasely
 * Trigger activate and their webhook gets registered, with only the credentials a user would create
 * (the backfill template, started by hand, only imports). Scenario
 * tests per template live in templates.test.ts (the template author's).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { createCredentials, randomKeys, ROOT, sharedN8n, startSimulator, type BatchSimulator, type CredentialRef, type N8n } from './support';
import { BATCH_TYPE, TRIGGER_TYPE } from './workflows';

const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

const templatesDir = process.env.E2E_TEMPLATES_DIR ? path.resolve(process.env.E2E_TEMPLATES_DIR) : path.join(ROOT, 'templates');
const files = fs.existsSync(templatesDir) ? fs.readdirSync(templatesDir).filter((f) => f.endsWith('.json')).sort() : [];

if (files.length === 0) {
	test.skip('no templates/*.json yet', () => undefined);
} else {
	describe('every template imports, activates and registers its webhook', () => {
		const keys = randomKeys();
		let n8n: N8n;
		let sim: BatchSimulator;
		let creds: { batchApi: CredentialRef; purchaselyWebhookApi: CredentialRef };

		beforeAll(async () => {
			n8n = sharedN8n();
			sim = await startSimulator(keys);
			creds = await createCredentials(n8n, keys, sim.url, 'templates-activate');
		});
		afterAll(async () => {
			await sim?.close();
		});

		test.each(files)('%s', async (file) => {
			const raw = JSON.parse(fs.readFileSync(path.join(templatesDir, file), 'utf8'));
			const types: string[] = raw.nodes.map((n: { type: string }) => n.type);
			// Only n8n's own nodes and this package's: a template must not need another community package.
			for (const t of types) expect(t.startsWith('n8n-nodes-base.') || t === TRIGGER_TYPE || t === BATCH_TYPE).toBe(true);

			const wf = await n8n.importWorkflow(path.join(templatesDir, file), { credentials: creds });
			expect(wf.name).toBe(raw.name);
			if (!types.includes(TRIGGER_TYPE)) {
				// Started by hand (the backfill): a Manual Trigger only, nothing to activate (npm start leaves it inactive).
				expect(types.filter((t) => /trigger/i.test(t))).toEqual([MANUAL_TRIGGER]);
				expect((await n8n.getWorkflow(wf.id)).active).toBe(false);
				return;
			}
			await n8n.activate(wf);
			for (const node of wf.nodes.filter((n) => n.type === TRIGGER_TYPE)) {
				await n8n.waitForWebhook(n8n.webhookUrl(wf, node.name));
			}
			// Activation starts nothing by itself.
			expect(await n8n.listExecutions({ workflowId: wf.id })).toHaveLength(0);
			await n8n.deactivate(wf);
		});
	});
}
