import { readOutputSetting } from '../../nodes/Batch/outputSetting';
import type { ItemOutcome } from '../../nodes/Batch/outcomes';
import { DistinctTexts, LISTED_FAILURES, RunTally } from '../../nodes/Batch/runTally';
import { summaryItemJson } from '../../nodes/Batch/summaryItem';
import { windowSize } from '../../nodes/Batch/summaryRun';
import type { DispatchSettings } from '../../nodes/Batch/batchDispatch';

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
	it('one request for mass update, else Batch Size × Max Concurrent Requests', () => {
		expect(windowSize(settings({ profileEndpoint: 'massUpdate', batchSize: 10_000 }))).toBe(10_000);
		expect(windowSize(settings({ profileEndpoint: 'update' }))).toBe(800);
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
