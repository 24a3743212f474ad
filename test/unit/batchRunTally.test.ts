import { readOutputSetting } from '../../nodes/Batch/outputSetting';
import type { ItemOutcome } from '../../nodes/Batch/outcomes';
import { DistinctTexts, LISTED_FAILURES, RunTally } from '../../nodes/Batch/runTally';
import { summaryItemJson } from '../../nodes/Batch/summaryItem';
import { windowSize } from '../../nodes/Batch/summaryRun';
import { planProfileRequests, type DispatchSettings } from '../../nodes/Batch/batchDispatch';
import type { PreparedItem } from '../../nodes/Batch/itemPreparation';
import { packedProfileRequest, RequestPacker, type PackedRequest } from '../../nodes/Batch/operationPacking';
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

	/** Requests as the packer cuts them, as lists of item indexes (each request given back, as a run does once Batch answered). */
	function cuts(items: PreparedItem[], packingSettings: DispatchSettings): number[][] {
		const packer = new RequestPacker(packingSettings);
		const requests: number[][] = [];
		const takeOne = () => {
			const request = packer.take()!;
			requests.push(request.positions().map((position) => request.itemIndex(position)));
			packer.recycle(request);
		};
		for (const item of items) {
			if (packer.isFullFor(item.identifier)) takeOne();
			packer.add(item);
		}
		takeOne();
		expect(packer.take()).toBeUndefined();
		return requests;
	}

	it('cuts requests exactly as a run that outputs each item plans them (size, 15 events per profile)', () => {
		const users = Array.from({ length: 700 }, (_, index) => prepared(index, index < 40 ? 'same-user' : `user-${index % 7}`));
		for (const packingSettings of [settings, { ...settings, batchSize: 3 }, { ...settings, operation: 'updateAttributes' as const }]) {
			const planned = planProfileRequests(users, packingSettings, CREDENTIALS).map((plan) => plan.entries.map((entry) => entry.item.itemIndex));
			expect(cuts(users, packingSettings)).toEqual(planned);
		}
	});

	it('writes each operation as the text sent: the request body is byte for byte the planned one, whole or without items left out', () => {
		const items = [prepared(0, 'a'), { ...prepared(3, 'b'), timeMs: Date.UTC(2026, 11, 1) }, prepared(7, 'c é ✓')];
		const packer = new RequestPacker(settings);
		for (const item of items) packer.add(item);
		const request = packer.take()!;
		expect(packer.length).toBe(0);
		expect(request.positions()).toEqual([0, 1, 2]);
		expect(request.operationText(1)).toBe(JSON.stringify(buildProfileOperation(items[1], 'trackEvent')));
		expect([request.identifier(2), request.eventName(2), request.itemIndex(2)]).toEqual(['c é ✓', 'renewal', 7]);
		expect(request.timed(1)).toEqual({ item: { itemIndex: 3, timeMs: Date.UTC(2026, 11, 1) } });
		expect(request.timed(0)).toEqual({ item: { itemIndex: 0, timeMs: undefined } });
		expect([request.positionOf(0), request.positionOf(3), request.positionOf(7), request.positionOf(4)]).toEqual([0, 1, 2, -1]);

		const packed = packedProfileRequest(request, settings, CREDENTIALS, 1);
		const planned = planProfileRequests(items, settings, CREDENTIALS)[0];
		expect(Buffer.from(packed.bodyOf!(packed.entries)).toString('utf8')).toBe(JSON.stringify(planned.describe(planned.entries).body));
		const withoutMiddle = [planned.entries[0], planned.entries[2]];
		expect(Buffer.from(packed.bodyOf!([0, 2])).toString('utf8')).toBe(JSON.stringify(planned.describe(withoutMiddle).body));
		expect(packed.timedOf(1)).toEqual(request.timed(1));
		expect({ ...packed.describe(packed.entries), body: undefined }).toEqual({ ...planned.describe(planned.entries), body: undefined });
		expect(packed).toMatchObject({ label: 'Profile API request 1', endpoint: 'update', scope: planned.scope });
	});

	it('writes the next request in a recycled request\'s body and columns, and in new ones when the last was not given back', () => {
		const packer = new RequestPacker({ ...settings, batchSize: 2000 });
		// Long enough operations that the body grows past its first 64 KB.
		const wide = (itemIndex: number) => ({ ...prepared(itemIndex, `user-${itemIndex}`), attributes: [{ name: 'plan', field: 'plan', type: 'string' as const, value: 'x'.repeat(100 + itemIndex) }] });
		const bodyOf = (request: PackedRequest) => Buffer.from(request.body(request.positions())).toString('utf8');
		const expected = (items: PreparedItem[]) => JSON.stringify(items.map((item) => buildProfileOperation(item, 'trackEvent')));

		const first = Array.from({ length: 1500 }, (_, index) => wide(index));
		for (const item of first) packer.add(item);
		const one = packer.take()!;
		expect(bodyOf(one)).toBe(expected(first));
		packer.recycle(one);

		const second = [wide(2000), wide(2001)];
		for (const item of second) packer.add(item);
		const two = packer.take()!;
		expect(two.columns).toBe(one.columns);
		expect(bodyOf(two)).toBe(expected(second));
		expect(two.positions().map((position) => two.itemIndex(position))).toEqual([2000, 2001]);

		// Not given back (no answer): the next request is written elsewhere, and this one's body stays as it was.
		packer.add(wide(3000));
		const three = packer.take()!;
		expect(three.columns).not.toBe(two.columns);
		expect(bodyOf(two)).toBe(expected(second));
		expect(bodyOf(three)).toBe(expected([wide(3000)]));
	});
});
