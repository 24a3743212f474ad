import { readOutputSetting } from '../../nodes/Batch/outputSetting';
import type { ItemOutcome } from '../../nodes/Batch/outcomes';
import { DistinctTexts, LISTED_FAILURES, RunTally } from '../../nodes/Batch/runTally';
import { summaryItemJson } from '../../nodes/Batch/summaryItem';
import { windowSize } from '../../nodes/Batch/summaryRun';
import { planProfileRequests, type DispatchSettings } from '../../nodes/Batch/batchDispatch';
import type { PreparedItem } from '../../nodes/Batch/itemPreparation';
import { packedEntry, packedProfileRequest, RequestPacker } from '../../nodes/Batch/operationPacking';
import { buildProfileOperation } from '../../nodes/Batch/profileApiRequest';

const CREDENTIALS = { restApiKey: 'rest', projectKey: 'project' };

const outcome = (itemIndex: number, accepted: boolean, extra: Record<string, unknown> = {}): ItemOutcome => ({
	itemIndex,
	accepted,
	json: { accepted, identifier: `u${itemIndex}`, eventName: 'renewal', ...extra },
	...(accepted ? {} : { error: { message: `[item ${itemIndex}] no`, stage: 'batch' as const } }),
});

describe('run tally', () => {
	it('counts items, failures, possible duplicates; keeps failed outcomes only when asked', () => {
		const tally = new RunTally((item) => !item.accepted, true);
		tally.addAll([outcome(0, true), outcome(1, false), outcome(2, true, { batch: { possibleDuplicate: true } }), outcome(3, false)]);
		expect(tally).toMatchObject({ items: 4, succeeded: 2, failed: 2, possibleDuplicates: 1 });
		expect(tally.firstFailure?.itemIndex).toBe(1);
		expect(tally.failedOutcomes.map((item) => item.itemIndex)).toEqual([1, 3]);
		expect(tally.listedText()).toBe('1, 3');
		const lean = new RunTally((item) => !item.accepted).addAll([outcome(0, false)]);
		expect(lean.failedOutcomes).toEqual([]);
	});

	it('lists at most 20 failed item indexes, then …', () => {
		const tally = new RunTally((item) => !item.accepted).addAll(Array.from({ length: 50 }, (_, index) => outcome(index, false)));
		expect(tally.listedFailures.length).toBe(LISTED_FAILURES + 1);
		expect(tally.listedText()).toBe(`${Array.from({ length: 20 }, (_, index) => index).join(', ')}, …`);
	});

	it('keeps distinct texts until they fill the budget, plus one', () => {
		const texts = new DistinctTexts(10);
		for (const text of ['abc', '', 'abc', 'defg', 'hij', 'klm', 'nop']) texts.add(text);
		expect(texts.entries).toEqual(['abc', 'defg', 'hij']);
	});
});

describe('summary item', () => {
	it('a real run: counts, endpoint and each failed item with its input index', () => {
		const tally = new RunTally((item) => !item.accepted, true).addAll([outcome(0, true), outcome(1, false)]);
		tally.requests = 1;
		expect(summaryItemJson(tally, { api: 'profile', operation: 'updateAttributes', endpoint: 'massUpdate', dryRun: false })).toEqual({
			items: 2,
			accepted: 1,
			failed: 1,
			possibleDuplicates: 0,
			requests: 1,
			api: 'profile',
			operation: 'updateAttributes',
			endpoint: 'massUpdate',
			failedItems: [{ itemIndex: 1, accepted: false, identifier: 'u1', eventName: 'renewal' }],
		});
	});

	it('a dry run: valid instead of accepted, no endpoint on the Trigger Events API', () => {
		const tally = new RunTally(() => false, true).addAll([outcome(0, false)]);
		expect(summaryItemJson(tally, { api: 'triggerEvents', operation: 'trackEvent', dryRun: true })).toEqual({
			items: 1,
			dryRun: true,
			valid: 1,
			failed: 0,
			requests: 0,
			api: 'triggerEvents',
			operation: 'trackEvent',
			failedItems: [],
		});
	});
});

describe('windows of a summary run', () => {
	const settings = (extra: Partial<DispatchSettings>): DispatchSettings => ({ api: 'profile', operation: 'trackEvent', batchSize: 200, maxConcurrentRequests: 4, ...extra });
	it('Trigger Events API: Batch Size × Max Concurrent Requests', () => {
		expect(windowSize(settings({ api: 'triggerEvents', batchSize: 1000, maxConcurrentRequests: 2 }))).toBe(2000);
	});
});

describe('Output option value', () => {
	it('not added: one item per input item; a known value; anything else named with its choices', () => {
		expect(readOutputSetting(undefined)).toEqual({ ok: true, setting: 'eachItem' });
		expect(readOutputSetting('summary')).toEqual({ ok: true, setting: 'summary' });
		expect(readOutputSetting('all')).toEqual({ ok: false, message: 'Options → Output (options.output) is "all"; it must be one of eachItem, summary' });
		expect(readOutputSetting(3)).toEqual({ ok: false, message: 'Options → Output (options.output) is number; it must be one of eachItem, summary' });
	});
});

describe('run tally, outcomes out of input order', () => {
	it('the first failure and the listed ones are the lowest indexes; failedInOrder sorts', () => {
		const tally = new RunTally((item) => !item.accepted, true);
		for (const index of [30, 5, 17, 2]) tally.add(outcome(index, false));
		expect(tally.firstFailure?.itemIndex).toBe(2);
		expect(tally.listedText()).toBe('2, 5, 17, 30');
		expect(tally.failedInOrder().map((item) => item.itemIndex)).toEqual([2, 5, 17, 30]);
		const many = new RunTally((item) => !item.accepted);
		for (let index = 60; index > 0; index--) many.add(outcome(index, false));
		expect(many.listedText()).toBe(`${Array.from({ length: 20 }, (_, index) => index + 1).join(', ')}, …`);
	});
});

describe('request packing (Output One Summary Item, Profile API)', () => {
	const prepared = (itemIndex: number, identifier: string): PreparedItem => ({
		itemIndex,
		identifier,
		identifierType: 'customId',
		eventName: 'renewal',
		attributes: [{ name: 'plan', field: 'plan', type: 'string', value: 'p' }],
		platforms: [],
	});
	const settings: DispatchSettings = { api: 'profile', operation: 'trackEvent', batchSize: 200, maxConcurrentRequests: 4, profileEndpoint: 'update', baseUrl: 'https://api.batch.com' };

	/** Requests as the packer cuts them, as lists of item indexes. */
	function cuts(items: PreparedItem[], packingSettings: DispatchSettings): number[][] {
		const packer = new RequestPacker(packingSettings);
		const requests: number[][] = [];
		for (const item of items) {
			const entry = packedEntry(item, packingSettings.operation);
			if (packer.isFullFor(entry)) requests.push(packer.take().map((taken) => taken.item.itemIndex));
			packer.add(entry);
		}
		requests.push(packer.take().map((entry) => entry.item.itemIndex));
		return requests;
	}

	it('cuts requests exactly as a run that outputs each item plans them (size, 15 events per profile)', () => {
		const users = Array.from({ length: 700 }, (_, index) => prepared(index, index < 40 ? 'same-user' : `user-${index % 7}`));
		for (const packingSettings of [settings, { ...settings, batchSize: 3 }, { ...settings, operation: 'updateAttributes' as const }]) {
			const planned = planProfileRequests(users, packingSettings, CREDENTIALS).map((plan) => plan.entries.map((entry) => entry.item.itemIndex));
			expect(cuts(users, packingSettings)).toEqual(planned);
		}
	});

	it('keeps each operation as the text sent; the request body is the same as planned', () => {
		const items = [prepared(0, 'a'), prepared(1, 'b')];
		const packer = new RequestPacker(settings);
		for (const item of items) packer.add(packedEntry(item, 'trackEvent'));
		const entries = packer.take();
		expect(entries[1]).toEqual({ item: { itemIndex: 1, timeMs: undefined }, operation: JSON.stringify(buildProfileOperation(items[1], 'trackEvent')), identifier: 'b', eventName: 'renewal' });
		const packed = packedProfileRequest(entries, settings, CREDENTIALS, 1);
		const planned = planProfileRequests(items, settings, CREDENTIALS)[0];
		expect(packed.bodyText!(entries)).toBe(JSON.stringify(planned.describe(planned.entries).body));
		expect({ ...packed.describe(entries), body: undefined }).toEqual({ ...planned.describe(planned.entries), body: undefined });
		expect(packed).toMatchObject({ label: 'Profile API request 1', endpoint: 'update', scope: planned.scope });
		expect(packer.length).toBe(0);
	});
});
