/**
 * Every workflow template (templates/*.json) imports into the real n8n 2.41.1; those with a Purchasely
 * Trigger activate and their webhook gets registered, with only the credentials a user would create
 * (the backfill template, started by hand, only imports). Scenario
 * tests per template live in templates.test.ts (the template author's).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROOT, useSimulatorAndCredentials } from './support';
import { BATCH_TYPE, TRIGGER_TYPE } from './workflows';

const MANUAL_TRIGGER = 'n8n-nodes-base.manualTrigger';

const templatesDir = process.env.E2E_TEMPLATES_DIR ? path.resolve(process.env.E2E_TEMPLATES_DIR) : path.join(ROOT, 'templates');
const files = fs.existsSync(templatesDir) ? fs.readdirSync(templatesDir).filter((f) => f.endsWith('.json')).sort() : [];

if (files.length === 0) {
	test.skip('no templates/*.json yet', () => undefined);
} else {
	describe('every template imports, activates and registers its webhook', () => {
		const e2e = useSimulatorAndCredentials('templates-activate');

		test.each(files)('%s', async (file) => {
			const raw = JSON.parse(fs.readFileSync(path.join(templatesDir, file), 'utf8'));
			const types: string[] = raw.nodes.map((n: { type: string }) => n.type);
			// Only n8n's own nodes and this package's: a template must not need another community package.
			for (const t of types) expect(t.startsWith('n8n-nodes-base.') || t === TRIGGER_TYPE || t === BATCH_TYPE).toBe(true);

			const wf = await e2e.n8n.importWorkflow(path.join(templatesDir, file), { credentials: e2e.creds });
			expect(wf.name).toBe(raw.name);
			if (!types.includes(TRIGGER_TYPE)) {
				// Started by hand (the backfill): a Manual Trigger only, nothing to activate (npm start leaves it inactive).
				expect(types.filter((t) => /trigger/i.test(t))).toEqual([MANUAL_TRIGGER]);
				expect((await e2e.n8n.getWorkflow(wf.id)).active).toBe(false);
				return;
			}
			await e2e.n8n.activate(wf);
			for (const node of wf.nodes.filter((n) => n.type === TRIGGER_TYPE)) {
				await e2e.n8n.waitForWebhook(e2e.n8n.webhookUrl(wf, node.name));
			}
			// Activation starts nothing by itself.
			expect(await e2e.n8n.listExecutions({ workflowId: wf.id })).toHaveLength(0);
			await e2e.n8n.deactivate(wf);
		});
	});
}
