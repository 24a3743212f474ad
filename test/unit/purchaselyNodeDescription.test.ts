import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ICredentialType, INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { PurchaselyWebhookApi } from '../../credentials/PurchaselyWebhookApi.credentials';
import { V3_EVENT_NAMES } from '../../nodes/PurchaselyTrigger/eventCatalog';
import { PurchaselyTrigger } from '../../nodes/PurchaselyTrigger/PurchaselyTrigger.node';

const NODE_DIR = join(__dirname, '../../nodes/PurchaselyTrigger');
const description = new PurchaselyTrigger().description;
const property = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;
const optionValues = (p: INodeProperties) => (p.options as INodePropertyOptions[]).map((o) => o.value);

describe('Purchasely Trigger description (public contract)', () => {
	it('is a POST webhook trigger that needs the Purchasely Webhook credential', () => {
		expect(description).toMatchObject({
			name: 'purchaselyTrigger',
			displayName: 'Purchasely Trigger',
			group: ['trigger'],
			version: [1, 1.1],
			inputs: [],
			outputs: ['main'],
			credentials: [{ name: 'purchaselyWebhookApi', required: true }],
			icon: { light: 'file:purchasely.svg', dark: 'file:purchasely.dark.svg' },
		});
		expect(description.webhooks).toEqual([
			expect.objectContaining({ name: 'default', httpMethod: 'POST', path: 'webhook' }),
		]);
	});

	it('has exactly the documented parameters and option names', () => {
		expect(description.properties.filter((p) => p.type !== 'notice').map((p) => p.name)).toEqual([
			'events',
			'additionalEvents',
			'environment',
			'acknowledge',
			'options',
		]);
		const options = property('options').options as INodeProperties[];
		expect(options.map((o) => o.name).sort()).toEqual(['allowLegacySignature', 'includeHeaders', 'timestampTolerance']);
		expect(Object.fromEntries(options.map((o) => [o.name, o.default]))).toEqual({
			allowLegacySignature: false,
			includeHeaders: false,
			timestampTolerance: 300,
		});
	});

	it('offers the documented values and defaults', () => {
		expect(property('events')).toMatchObject({ type: 'multiOptions', default: [] });
		expect(optionValues(property('events'))).toEqual(expect.arrayContaining([...V3_EVENT_NAMES]));
		expect(property('additionalEvents')).toMatchObject({ type: 'string', default: '' });
		expect(property('environment').default).toBe('both');
		expect(optionValues(property('environment'))).toEqual(['both', 'production', 'sandbox']);
		expect(property('acknowledge').default).toBe('immediately');
		expect(optionValues(property('acknowledge'))).toEqual(['immediately', 'afterWorkflow']);
	});

	it('explains every parameter, and the hints carry the trade-offs', () => {
		const all: INodeProperties[] = [
			...description.properties,
			...(property('options').options as INodeProperties[]),
		];
		for (const p of all.filter((candidate) => candidate.type !== 'collection' && candidate.type !== 'notice')) {
			expect(`${p.description ?? ''}${p.hint ?? ''}`.length).toBeGreaterThan(20);
		}
		const options = property('options').options as INodeProperties[];
		expect(options.find((o) => o.name === 'allowLegacySignature')?.hint).toMatch(/Weaker.*does not cover the body/);
		expect(options.find((o) => o.name === 'timestampTolerance')?.hint).toMatch(/replay|sent again later/);
		expect(options.find((o) => o.name === 'timestampTolerance')?.description).toContain('0 turns the check off');
	});

	it('keeps every hint and notice within n8n\'s 120 characters', () => {
		const all: INodeProperties[] = [
			...description.properties,
			...(property('options').options as INodeProperties[]),
		];
		const texts = [
			...all.filter((p) => p.hint !== undefined).map((p) => p.hint as string),
			...all.filter((p) => p.type === 'notice').map((p) => p.displayName),
		];
		expect(texts.length).toBeGreaterThanOrEqual(6);
		expect(texts.filter((text) => text.length > 120)).toEqual([]);
	});

	it('says "Respond" (stored as acknowledge) and, under it, only what the selected choice does', () => {
		const respond = property('acknowledge');
		expect(respond.displayName).toBe('Respond');
		expect(respond.hint).toBeUndefined();
		const notices = description.properties.filter((p) => p.type === 'notice');
		expect(notices.map((n) => [n.name, n.displayOptions])).toEqual([
			['respondImmediatelyNotice', { show: { acknowledge: ['immediately'] } }],
			['respondAfterWorkflowNotice', { show: { acknowledge: ['afterWorkflow'] } }],
		]);
		expect(notices[0].displayName).toContain('does not resend');
		expect(notices[1].displayName).toMatch(/500.*retries.*25.*holds back/);
		// Purchasely's docs disagree on the retry span (about 20 days vs "the following hours"): not stated.
		const texts = JSON.stringify(description.properties);
		expect(texts).not.toMatch(/20 days|Acknowledge/);
		expect(respond.description).toContain('10 seconds');
	});

	it('tells the operator in the trigger panel how to send a test event', () => {
		const panel = description.triggerPanel as { header: string; activationHint: string; executionsHelp: object };
		expect(panel.header).toBe('Send a signed test event to the test URL');
		expect(panel.activationHint).toContain(
			'npx -p n8n-nodes-purchasely-batch send-test-event --url &lt;test URL&gt; --event ACTIVATE --user-id user_1',
		);
		expect(panel.activationHint).toContain('PURCHASELY_SHARED_SECRET');
		expect(Object.keys(panel.executionsHelp).sort()).toEqual(['active', 'inactive']);
	});

	it('gives n8n\'s node panel one readable entry per event, current events first', () => {
		const options = property('events').options as INodePropertyOptions[];
		const actions = options.map((o) => o.action as string);
		expect(actions.slice(0, V3_EVENT_NAMES.length).every((a) => !a.includes('legacy'))).toBe(true);
		expect(new Set(actions).size).toBe(actions.length);
		for (const action of actions) expect(action).toMatch(/^On [a-z0-9 ()]+$/);
	});

	it('keeps the option collection free of n8n Webhook-node option names that n8n interprets', () => {
		// n8n evaluates $parameter.options.binaryData for version-1 webhook nodes and then skips body reading.
		const options = property('options').options as Array<INodeProperties | INodePropertyCollection>;
		expect(options.map((o) => o.name)).not.toContain('binaryData');
	});

	it('still loads, with a "main" output, on an n8n-workflow without NodeConnectionTypes (older 1.x)', () => {
		jest.isolateModules(() => {
			jest.doMock('n8n-workflow', () => {
				const actual = jest.requireActual<Record<string, unknown>>('n8n-workflow');
				const { NodeConnectionTypes: _omitted, ...rest } = actual;
				return rest;
			});
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const reloaded = require('../../nodes/PurchaselyTrigger/PurchaselyTrigger.node') as {
				PurchaselyTrigger: typeof PurchaselyTrigger;
			};
			expect(new reloaded.PurchaselyTrigger().description.outputs).toEqual(['main']);
		});
		jest.dontMock('n8n-workflow');
	});
});

describe('Purchasely Webhook credential', () => {
	const credential = new PurchaselyWebhookApi();

	it('has one password field, sharedSecret, and says where to find it', () => {
		expect(credential.name).toBe('purchaselyWebhookApi');
		expect(credential.displayName).toBe('Purchasely Webhook');
		expect(credential.documentationUrl).toMatch(/^https:\/\/docs\.purchasely\.com\//);
		expect(credential.properties).toHaveLength(1);
		const [secret] = credential.properties;
		expect(secret).toMatchObject({ name: 'sharedSecret', type: 'string', typeOptions: { password: true }, default: '' });
		expect(secret.description).toContain('Client shared secret');
		expect(secret.description).toContain('Purchasely Console');
		expect((credential as ICredentialType).test).toBeUndefined();
	});
});

describe('Purchasely Trigger codex and icons', () => {
	it('has a codex naming the installed node type, with documentation links', () => {
		const codex = JSON.parse(readFileSync(join(NODE_DIR, 'PurchaselyTrigger.node.json'), 'utf8'));
		expect(codex).toMatchObject({
			node: 'n8n-nodes-purchasely-batch.purchaselyTrigger',
			nodeVersion: '1.0',
			codexVersion: '1.0',
		});
		expect(codex.categories).toEqual(['Sales', 'Marketing & Content']);
		// n8n's documented list (docs.n8n.io, "Node codex files" → "Node categories").
		const N8N_CATEGORIES = ['Data & Storage', 'Finance & Accounting', 'Marketing & Content', 'Productivity', 'Miscellaneous', 'Sales', 'Development', 'Analytics', 'Communication', 'Utility'];
		const batchCodex = JSON.parse(readFileSync(join(NODE_DIR, '../Batch/Batch.node.json'), 'utf8'));
		for (const category of [...codex.categories, ...batchCodex.categories]) expect(N8N_CATEGORIES).toContain(category);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
		expect(codex.resources.credentialDocumentation[0].url).toMatch(/^https:\/\//);
	});

	it('ships two different SVG icons, and the credential points at them', () => {
		const light = readFileSync(join(NODE_DIR, 'purchasely.svg'), 'utf8');
		const dark = readFileSync(join(NODE_DIR, 'purchasely.dark.svg'), 'utf8');
		for (const svg of [light, dark]) expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
		expect(light).not.toEqual(dark);
		const icon = new PurchaselyWebhookApi().icon as { light: string; dark: string };
		for (const ref of [icon.light, icon.dark]) {
			expect(existsSync(join(__dirname, '../../credentials', ref.replace(/^file:/, '')))).toBe(true);
		}
	});
});
