/**
 * Rules read again in Batch's sources (docs/batch-api-notes.md), end to end: the node (both versions) against the
 * simulator over real HTTP.
 * - Empty or blank text values are refused per item before sending; the other items still go.
 * - At most 15 events per profile per Profile API request: the node cuts its requests so that the simulator, which
 *   drops the operations over the cap, records every event.
 */
import { NodeOperationError } from 'n8n-workflow';
import { KEYS, outputJson, purchaselyItems, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();

describe('empty text values are refused per item', () => {
	it('version 2: [item N], the attribute by its display name, how to fix it; the other items reach Batch', async () => {
		const items = purchaselyItems(3, (index) => ({ attributes: { note: index === 1 ? '' : `note ${index}` } }));
		const result = await runBatchNode(
			sim,
			{ eventName: 'renewal', attributesObject: '={{ $json.attributes }}' },
			items,
			{ version: 2, continueOnFail: true },
		);
		const output = outputJson(result);
		expect(output.map((json) => json.accepted)).toEqual([true, false, true]);
		expect(output[1].error).toMatchObject({
			stage: 'validation',
			field: 'Attributes Object › note',
			rule: 'emptyValue',
			message:
				'[item 1] Attributes Object › note is empty; Batch refuses empty (or blank) text values. Give it a value, or remove the attribute; in Attributes Object, leave the key out (or give null to delete a profile attribute).',
		});
		expect(sim.profile('custom_id', 'user-0')!.events[0].attributes).toEqual({ note: 'note 0' });
		expect(sim.profile('custom_id', 'user-1')).toBeUndefined();
		expect(sim.requests).toHaveLength(1);
	});

	it('version 2 without continue on fail: the run stops with that message and sends nothing', async () => {
		const result = await runBatchNode(sim, { eventName: 'renewal', eventOptions: { tags: '={{ ["a", " "] }}' } }, purchaselyItems(1), { version: 2 });
		expect(result.error).toBeInstanceOf(NodeOperationError);
		expect((result.error as Error).message).toBe(
			'[item 0] Event Options › Tags[1] is empty; Batch refuses empty tags. Remove the empty tag (tags are separated by commas).',
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('version 1 refuses them too (it sent them before; Batch refuses them): its own message, the item left out', async () => {
		const result = await runBatchNode(
			sim,
			{ operation: 'updateAttributes', attributesField: 'body' },
			[
				{ meta: { userId: 'u1' }, body: { plan: 'premium' } },
				{ meta: { userId: 'u2' }, body: { plan: '  ' } },
			],
			{ continueOnFail: true },
		);
		const output = outputJson(result);
		expect(output[0]).toMatchObject({ accepted: true });
		expect(output[1]).toMatchObject({ accepted: false });
		expect(JSON.stringify(output[1])).toContain('body.plan is empty; Batch refuses empty (or blank) text values');
		expect(sim.profile('custom_id', 'u1')!.attributes).toEqual({ plan: 'premium' });
		expect(sim.profile('custom_id', 'u2')).toBeUndefined();
	});

	it('the simulator refuses what an older node would have sent: a partial error on that operation only', async () => {
		const answer = await fetch(`${sim.url}/2.11/profiles/update`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEYS.restApiKey}`, 'x-batch-project': KEYS.projectKey, 'content-type': 'application/json' },
			body: JSON.stringify([
				{ identifiers: { custom_id: 'a' }, attributes: { plan: '' } },
				{ identifiers: { custom_id: 'b' }, attributes: { plan: 'x' } },
			]),
		});
		expect(answer.status).toBe(202);
		expect(await answer.json()).toEqual({
			code: 'SUCCESS_WITH_PARTIAL_ERRORS',
			errors: [{ bulk_index: 0, category: 'attributes', attribute: 'plan', reason: 'string value cannot be empty or blank' }],
		});
		expect(sim.profile('custom_id', 'a')).toBeUndefined();
	});
});

describe('at most 15 events per profile per Profile API request', () => {
	it('40 events of one user and 5 of another: requests cut at 15 per user, every event recorded', async () => {
		const items = [
			...Array.from({ length: 40 }, () => ({ meta: { userId: 'heavy' } })),
			...Array.from({ length: 5 }, () => ({ meta: { userId: 'light' } })),
		];
		const result = await runBatchNode(sim, { eventName: 'renewal' }, items, { version: 2 });
		expect(outputJson(result).every((json) => json.accepted === true)).toBe(true);
		expect(sim.profile('custom_id', 'heavy')!.events).toHaveLength(40);
		expect(sim.profile('custom_id', 'light')!.events).toHaveLength(5);
		// 15 + 15 + (10 heavy + 5 light)
		expect(sim.requests.map((request) => request.operations)).toEqual([15, 15, 15]);
	});

	it('Update Profile Attributes carries no events: one request', async () => {
		const items = Array.from({ length: 20 }, (_, index) => ({ meta: { userId: 'same' }, body: { n: index } }));
		await runBatchNode(sim, { operation: 'updateAttributes', attributesField: 'body' }, items);
		expect(sim.requests).toHaveLength(1);
	});

	it('the simulator drops the operations past 15 for one profile in one request', async () => {
		const ops = Array.from({ length: 17 }, () => ({ identifiers: { custom_id: 'p' }, events: [{ name: 'e' }] }));
		const answer = await fetch(`${sim.url}/2.11/profiles/update`, {
			method: 'POST',
			headers: { authorization: `Bearer ${KEYS.restApiKey}`, 'x-batch-project': KEYS.projectKey, 'content-type': 'application/json' },
			body: JSON.stringify(ops),
		});
		const body = (await answer.json()) as { code: string; errors: Array<{ bulk_index: number }> };
		expect(body.code).toBe('SUCCESS_WITH_PARTIAL_ERRORS');
		expect(body.errors.map((error) => error.bulk_index)).toEqual([15, 16]);
		expect(sim.profile('custom_id', 'p')!.events).toHaveLength(15);
	});
});
