/**
 * Profile API requests built while the items are prepared (Output "One Summary Item", summaryRun.ts): each item's
 * operation is kept as the JSON text it is sent as, with what its outcome needs (its index, event time, identifier
 * and event name), so that the prepared item itself can be dropped at once and a request of 10,000 operations costs
 * its text, not 10,000 prepared items. Requests are cut exactly as planProfileRequests cuts them (batchDispatch.ts):
 * at Batch Size operations, and for Track Event before a profile would get more than MAX_EVENTS_PER_PROFILE_PER_REQUEST
 * events in one request (a run identifies every user the same way, so the identifier is the profile). Pure: no I/O.
 */
import { profileRequestParts, type BatchCredentials, type DispatchSettings, type PlannedRequest, type TimedEntry } from './batchDispatch';
import { MAX_EVENTS_PER_PROFILE_PER_REQUEST } from './batchLimits';
import { ConsecutiveCuts } from './chunking';
import type { Operation, PreparedItem } from './itemPreparation';
import { buildProfileOperation, profileApiRequest } from './profileApiRequest';

export interface PackedEntry extends TimedEntry {
	item: { itemIndex: number; timeMs?: number };
	/** The item's operation, as sent (JSON text). */
	operation: string;
	identifier: string;
	eventName?: string;
}

/** An item's entry: its operation as sent (JSON text) and what its outcome needs; the prepared item can then go. */
export function packedEntry(item: PreparedItem, operation: Operation): PackedEntry {
	return {
		item: { itemIndex: item.itemIndex, timeMs: item.timeMs },
		operation: JSON.stringify(buildProfileOperation(item, operation)),
		identifier: item.identifier,
		eventName: item.eventName,
	};
}

/** Entries gathered into one request at a time, cut as chunkConsecutiveCapped cuts them (one run identifies every user the same way). */
export class RequestPacker {
	private entries: PackedEntry[] = [];
	private readonly cuts: ConsecutiveCuts<string>;

	constructor(settings: Pick<DispatchSettings, 'batchSize' | 'operation'>) {
		this.cuts = new ConsecutiveCuts(settings.batchSize, settings.operation === 'trackEvent' ? MAX_EVENTS_PER_PROFILE_PER_REQUEST : undefined);
	}

	get length(): number {
		return this.entries.length;
	}

	/** Whether `entry` has to go in the next request (this one is full, or full for its profile). */
	isFullFor(entry: PackedEntry): boolean {
		return this.cuts.endsBefore(entry.identifier);
	}

	add(entry: PackedEntry): void {
		this.entries.push(entry);
		this.cuts.add(entry.identifier);
	}

	/** The entries of the request so far; the packer starts the next one. */
	take(): PackedEntry[] {
		const taken = this.entries;
		this.entries = [];
		this.cuts.reset();
		return taken;
	}
}

/** The request of packed entries (its body: their operations' text, in order). */
export function packedProfileRequest(entries: PackedEntry[], settings: DispatchSettings, credentials: BatchCredentials, number: number): PlannedRequest<PackedEntry> {
	const { endpoint, scope, label } = profileRequestParts(settings, credentials);
	return {
		label: label(number),
		entries,
		scope,
		endpoint,
		describe: () => profileApiRequest([], endpoint, credentials),
		bodyText: (kept) => `[${kept.map((entry) => entry.operation).join(',')}]`,
	};
}
