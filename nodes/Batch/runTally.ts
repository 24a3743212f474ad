/**
 * What a run's outcomes add up to, counted as they come (pure): how many items, how many Batch accepted (a dry
 * run: how many are valid), the first failures, the event names and users the execution annotation shows, and,
 * when asked, every failed item's outcome. A run that outputs one item per input item builds it from all its
 * outcomes at the end; a run with Output "One Summary Item" (summaryRun.ts) feeds it window by window, so that
 * nothing per accepted item is kept.
 */
import type { ItemOutcome } from './outcomes';

/** How many failed item indexes a message lists (then "…"). */
export const LISTED_FAILURES = 20;

/**
 * Distinct non-empty texts in first-seen order, kept until they fill `budget` characters joined by ", " (one
 * more is kept, so that a reader cutting at a smaller length knows there were more).
 */
export class DistinctTexts {
	private readonly seen = new Set<string>();
	private readonly kept: string[] = [];
	private length = 0;
	private full = false;

	constructor(private readonly budget: number) {}

	add(text: string): void {
		if (this.full || text === '' || this.seen.has(text)) return;
		this.seen.add(text);
		this.kept.push(text);
		this.length += (this.kept.length > 1 ? 2 : 0) + text.length;
		if (this.length > this.budget) this.full = true;
	}

	get entries(): readonly string[] {
		return this.kept;
	}
}

/** Whether an outcome counts as failed (a real run: not accepted; a dry run: invalid). */
export type FailedTest = (outcome: ItemOutcome) => boolean;

export class RunTally {
	items = 0;
	/** Not failed: accepted by Batch (a dry run: valid). */
	succeeded = 0;
	failed = 0;
	/** Items whose request was retried after an uncertain failure (`batch.possibleDuplicate`). */
	possibleDuplicates = 0;
	/** Requests sent (a dry run: that a real run would send). */
	requests = 0;
	/** The failed outcome of the lowest item index (the error thrown when "Continue On Fail" is off). */
	firstFailure?: ItemOutcome;
	/** The lowest failed item indexes, in order, one more than LISTED_FAILURES at most. */
	readonly listedFailures: number[] = [];
	/** Every failed outcome, in the order they were added, when `keepFailed` is on (failedInOrder sorts them). */
	readonly failedOutcomes: ItemOutcome[] = [];
	readonly events: DistinctTexts;
	readonly users: DistinctTexts;

	constructor(
		private readonly isFailed: FailedTest,
		private readonly keepFailed = false,
		annotationBudget = 510,
	) {
		this.events = new DistinctTexts(annotationBudget);
		this.users = new DistinctTexts(annotationBudget);
	}

	add(outcome: ItemOutcome): void {
		const { json } = outcome;
		const batch = json.batch as { possibleDuplicate?: boolean } | undefined;
		const failed = this.isFailed(outcome);
		this.count(json.eventName, json.identifier, batch?.possibleDuplicate === true, failed);
		if (!failed) return;
		// Outcomes may come out of input order (a summary run reports an item refused before sending before the
		// answer to an earlier item's request): the first failure and the listed ones are the lowest indexes.
		if (!this.firstFailure || outcome.itemIndex < this.firstFailure.itemIndex) this.firstFailure = outcome;
		const listed = this.listedFailures;
		if (listed.length <= LISTED_FAILURES || outcome.itemIndex < listed[listed.length - 1]) {
			let at = listed.length;
			while (at > 0 && listed[at - 1] > outcome.itemIndex) at -= 1;
			listed.splice(at, 0, outcome.itemIndex);
			if (listed.length > LISTED_FAILURES + 1) listed.pop();
		}
		if (this.keepFailed) this.failedOutcomes.push(outcome);
	}

	/** Every failed outcome kept, in input order. */
	failedInOrder(): ItemOutcome[] {
		return [...this.failedOutcomes].sort((a, b) => a.itemIndex - b.itemIndex);
	}

	/** An item Batch accepted, counted without its output item (Output "One Summary Item" builds none for it). */
	addAccepted(eventName: string | undefined, identifier: string, possibleDuplicate: boolean): void {
		this.count(eventName, identifier, possibleDuplicate, false);
	}

	private count(eventName: unknown, identifier: unknown, possibleDuplicate: boolean, failed: boolean): void {
		this.items += 1;
		this.events.add(typeof eventName === 'string' ? eventName : '');
		this.users.add(typeof identifier === 'string' ? identifier : '');
		if (possibleDuplicate) this.possibleDuplicates += 1;
		if (failed) this.failed += 1;
		else this.succeeded += 1;
	}

	addAll(outcomes: readonly ItemOutcome[]): this {
		for (const outcome of outcomes) this.add(outcome);
		return this;
	}

	/** `3, 7, 12` (then `, …` past LISTED_FAILURES). */
	listedText(): string {
		const shown = this.listedFailures.slice(0, LISTED_FAILURES).join(', ');
		return this.listedFailures.length > LISTED_FAILURES ? `${shown}, …` : shown;
	}
}

/** The tally of a run's outcomes, all at once. */
export function tallyOf(outcomes: readonly ItemOutcome[], isFailed: FailedTest): RunTally {
	return new RunTally(isFailed).addAll(outcomes);
}
