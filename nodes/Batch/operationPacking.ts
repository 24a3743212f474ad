/**
 * Profile API requests built while the items are prepared (Output "One Summary Item", summaryRun.ts). Each item's
 * operation is written at once, as the JSON text it is sent as, into the request's body buffer (memory outside V8's
 * heap), and what its outcome needs (its index, event time, identifier and event name) goes into columns, so the
 * prepared item can be dropped at once: a request of 10,000 operations holds no object per item while it waits for
 * its rate budget and for Batch's answer. Objects that live that long would survive V8's young-generation
 * collections and stay in old space until n8n's next full collection, which a real n8n (its heap full of the run's
 * items) puts off until after it saved the execution: measured, 70 MB more peak memory at 100,000 items
 * (bench/RESULTS.md, "Batch node memory"). A request's body and columns are used again for the next request once
 * Batch answered it (recycle), so a run of any size allocates them once.
 *
 * Requests are cut exactly as planProfileRequests cuts them (batchDispatch.ts): at Batch Size operations, and for
 * Track Event before a profile would get more than MAX_EVENTS_PER_PROFILE_PER_REQUEST events in one request (a run
 * identifies every user the same way, so the identifier is the profile). Pure: no I/O.
 */
import { profileRequestParts, type BatchCredentials, type DispatchSettings, type PlannedRequest, type TimedEntry } from './batchDispatch';
import { MAX_EVENTS_PER_PROFILE_PER_REQUEST } from './batchLimits';
import { ConsecutiveCuts } from './chunking';
import type { PreparedItem } from './itemPreparation';
import { OperationWriter } from './operationText';
import { profileApiRequest } from './profileApiRequest';

const OPEN = 0x5b; // [
const COMMA = 0x2c;
const CLOSE = 0x5d; // ]
/** A first body's room, grown by doubling (a request of 10,000 profile updates is about 2 MB). */
const FIRST_BODY_BYTES = 64 * 1024;

/** A request's operations: the body's bytes and one column entry per operation (position 0 … length − 1). */
export class PackedColumns {
	body: Buffer = Buffer.allocUnsafe(FIRST_BODY_BYTES);
	/** Bytes of the body written so far (its `[` included). */
	bytes = 1;
	length = 0;
	readonly itemIndex: Int32Array;
	/** NaN: the item has no event time. */
	readonly timeMs: Float64Array;
	/** Where each operation's text starts in the body (it ends before the next one's comma, or at `bytes`). */
	readonly start: Int32Array;
	readonly identifier: string[] = [];
	readonly eventName: Array<string | undefined> = [];

	constructor(readonly capacity: number) {
		this.itemIndex = new Int32Array(capacity);
		this.timeMs = new Float64Array(capacity);
		this.start = new Int32Array(capacity);
		this.body[0] = OPEN;
	}

	add(item: PreparedItem, operationText: string): void {
		const position = this.length;
		if (position === this.capacity) throw new RangeError(`a packed request holds at most ${this.capacity} operations`);
		// At most 3 bytes per UTF-16 unit, a comma before and the closing bracket after.
		this.reserve(this.bytes + operationText.length * 3 + 2);
		if (position > 0) this.body[this.bytes++] = COMMA;
		this.start[position] = this.bytes;
		this.bytes += this.body.write(operationText, this.bytes, 'utf8');
		this.itemIndex[position] = item.itemIndex;
		this.timeMs[position] = item.timeMs ?? Number.NaN;
		this.identifier[position] = item.identifier;
		this.eventName[position] = item.eventName;
		this.length = position + 1;
	}

	/** Where the operation at `position` ends (exclusive). */
	endOf(position: number): number {
		return position + 1 < this.length ? this.start[position + 1] - 1 : this.bytes;
	}

	/** Empties it for the next request (the body's room and the columns are kept; the next request overwrites them). */
	clear(): void {
		this.bytes = 1;
		this.length = 0;
	}

	private reserve(bytes: number): void {
		if (bytes <= this.body.length) return;
		let size = this.body.length * 2;
		while (size < bytes) size *= 2;
		const grown = Buffer.allocUnsafe(size);
		this.body.copy(grown, 0, 0, this.bytes);
		this.body = grown;
	}
}

/** One request's operations, read by position (0 … length − 1, in input order). */
export class PackedRequest {
	constructor(readonly columns: PackedColumns) {}

	get length(): number {
		return this.columns.length;
	}

	itemIndex(position: number): number {
		return this.columns.itemIndex[position];
	}

	identifier(position: number): string {
		return this.columns.identifier[position];
	}

	eventName(position: number): string | undefined {
		return this.columns.eventName[position];
	}

	/** The operation's JSON text, as sent. */
	operationText(position: number): string {
		return this.columns.body.toString('utf8', this.columns.start[position], this.columns.endOf(position));
	}

	/** What the event-time check and the answer need of a position (built when asked: nothing is kept per item). */
	timed(position: number): TimedEntry {
		const timeMs = this.columns.timeMs[position];
		return { item: { itemIndex: this.columns.itemIndex[position], timeMs: Number.isNaN(timeMs) ? undefined : timeMs } };
	}

	/** Every position, in order. */
	positions(): number[] {
		return Array.from({ length: this.length }, (_, position) => position);
	}

	/** The position of an input item in this request (positions are in input order), or -1. */
	positionOf(itemIndex: number): number {
		const indexes = this.columns.itemIndex;
		let low = 0;
		let high = this.length - 1;
		while (low <= high) {
			const middle = (low + high) >>> 1;
			const found = indexes[middle];
			if (found === itemIndex) return middle;
			if (found < itemIndex) low = middle + 1;
			else high = middle - 1;
		}
		return -1;
	}

	/**
	 * The JSON body of these positions (ascending): the written bytes themselves when they are all of them, else a
	 * new buffer of theirs (items left out when the request was built).
	 */
	body(positions: readonly number[]): Buffer {
		const { body, start } = this.columns;
		if (positions.length === this.length) {
			body[this.columns.bytes] = CLOSE;
			return body.subarray(0, this.columns.bytes + 1);
		}
		const parts: Buffer[] = [Buffer.from('[')];
		positions.forEach((position, index) => {
			if (index > 0) parts.push(Buffer.from(','));
			parts.push(body.subarray(start[position], this.columns.endOf(position)));
		});
		parts.push(Buffer.from(']'));
		return Buffer.concat(parts);
	}
}

/** Items packed into one request at a time, cut as chunkConsecutiveCapped cuts them (one run identifies every user the same way). */
export class RequestPacker {
	/** The request being packed (none until an item is added). */
	private current?: PackedColumns;
	private readonly cuts: ConsecutiveCuts<string>;
	private readonly writer: OperationWriter;

	constructor(private readonly settings: Pick<DispatchSettings, 'batchSize' | 'operation'>) {
		this.writer = new OperationWriter(settings.operation);
		this.cuts = new ConsecutiveCuts(settings.batchSize, settings.operation === 'trackEvent' ? MAX_EVENTS_PER_PROFILE_PER_REQUEST : undefined);
	}

	get length(): number {
		return this.current?.length ?? 0;
	}

	/** Whether an item of this identifier has to go in the next request (this one is full, or full for its profile). */
	isFullFor(identifier: string): boolean {
		return this.cuts.endsBefore(identifier);
	}

	/** Writes the item's operation into the request (the prepared item is not kept). */
	add(item: PreparedItem): void {
		this.current ??= new PackedColumns(this.settings.batchSize);
		this.current.add(item, this.writer.text(item));
		this.cuts.add(item.identifier);
	}

	/** The request so far (undefined: none), and the packer starts the next one. */
	take(): PackedRequest | undefined {
		const taken = this.current;
		this.current = undefined;
		this.cuts.reset();
		return taken && taken.length > 0 ? new PackedRequest(taken) : undefined;
	}

	/**
	 * Gives a request's body and columns back: the next request is written in them. Only once nothing can still read
	 * them: Batch answered the request (it answers once it has read the body), or it was never sent. A request that
	 * got no answer (network error, timeout, cancellation) is not recycled: its body could still be in the
	 * connection's queue.
	 */
	recycle(request: PackedRequest): void {
		if (this.current) return;
		request.columns.clear();
		this.current = request.columns;
	}
}

/** The request of packed operations; its entries are positions in it. */
export function packedProfileRequest(request: PackedRequest, settings: DispatchSettings, credentials: BatchCredentials, number: number): PlannedRequest<number> {
	const { endpoint, scope, label } = profileRequestParts(settings, credentials);
	return {
		label: label(number),
		entries: request.positions(),
		timedOf: (position) => request.timed(position),
		scope,
		endpoint,
		describe: () => profileApiRequest([], endpoint, credentials),
		bodyOf: (kept) => request.body(kept),
	};
}
