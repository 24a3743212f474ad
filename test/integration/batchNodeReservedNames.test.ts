/**
 * Attribute names that would touch an object's prototype (`__proto__`, `constructor`, `prototype`) are refused
 * per item, from the editor list and from an attributes object, through a genuine n8n-core ExecuteContext
 * against the simulator. Today `__proto__` is silently dropped from the request while the item is reported
 * accepted.
 */
import { expectNoSecrets, outputJson, runBatchNode, useBatchSimulator } from '../helpers/batchNodeHarness';

const sim = useBatchSimulator();

const RESERVED = ['__proto__', 'constructor', 'prototype'];

describe('reserved attribute names', () => {
	it.each(RESERVED)('refuses "%s" from an attributes object, and still sends the other items', async (name) => {
		const attributes = JSON.parse(`{"plan": "premium", "${name}": "x"}`) as Record<string, unknown>;
		const result = await runBatchNode(
			sim,
			{ operation: 'updateAttributes', attributesField: 'attributes' },
			[
				{ meta: { userId: 'ok-1' }, attributes: { plan: 'basic' } },
				{ meta: { userId: 'bad' }, attributes },
				{ meta: { userId: 'ok-2' }, attributes: { plan: 'basic' } },
			],
			{ continueOnFail: true },
		);
		const json = outputJson(result);
		expect(json.map((item) => item.accepted)).toEqual([true, false, true]);
		expect(json[1].error).toMatchObject({ stage: 'validation', field: `attributes.${name}`, rule: 'reservedName' });
		expect((json[1].error as { message: string }).message).toContain(`"${name}"`);
		expect(sim.profile('custom_id', 'bad')).toBeUndefined();
		expect(sim.stats().acceptedOperations).toBe(2);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expectNoSecrets(result);
	});

	it.each(RESERVED)('refuses "%s" from the editor list on an event', async (name) => {
		const result = await runBatchNode(
			sim,
			{ eventName: 'renewal', attributes: { attribute: [{ name, type: 'string', value: 'x' }, { name: 'price', type: 'number', value: '1' }] } },
			[{ meta: { userId: 'u1' } }],
			{ continueOnFail: true },
		);
		const [item] = outputJson(result);
		expect(item).toMatchObject({ accepted: false, error: { stage: 'validation', field: `attributes.${name}`, rule: 'reservedName' } });
		expect(sim.requests).toHaveLength(0);
	});
});
