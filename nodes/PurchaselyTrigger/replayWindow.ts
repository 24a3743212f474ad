/**
 * Replay window: refuse a signed request whose X-PURCHASELY-TIMESTAMP is too far from now.
 *
 * The signature proves who signed a request, not when it was sent: a captured request stays
 * valid forever unless its (signed) timestamp is compared with the clock. Purchasely's
 * documentation leaves the tolerance to the receiver ("compute the difference between the
 * current timestamp and the received timestamp, then decide if the difference is within your
 * tolerance": https://docs.purchasely.com/integrations/webhook-1/detailed-specification).
 * Its older specification says the timestamp "correspond[s] to the query time", i.e. each
 * delivery attempt, retries included, carries the time it was sent
 * (https://docs.purchasely.com/v/2.8/quick-start/webhook-1/detailed-specification), which is
 * what makes a window of minutes compatible with retries, however long Purchasely keeps them up (its docs
 * disagree: "max 25 times in the following hours" in one version, a 25-retry table spanning about 20 days in
 * another; docs/batch-api-notes.md §10).
 *
 * Pure module: the current time is passed in.
 */

export const DEFAULT_TIMESTAMP_TOLERANCE_SECONDS = 300;

/**
 * Epoch seconds from the header value. Purchasely's examples send whole seconds; a 13-digit
 * value is read as milliseconds so that a sender using milliseconds is not refused as
 * "50 000 years in the future". Anything that is not a plain non-negative integer is invalid.
 */
export function parseTimestampHeader(value: string | undefined): number | undefined {
	if (value === undefined) return undefined;
	const trimmed = value.trim();
	if (!/^\d{1,16}$/.test(trimmed)) return undefined;
	const parsed = Number(trimmed);
	if (!Number.isSafeInteger(parsed)) return undefined;
	return trimmed.length >= 13 ? Math.floor(parsed / 1000) : parsed;
}

export type ReplayCheck =
	| { ok: true; skewSeconds: number | null }
	| { ok: false; reason: 'invalid_timestamp' | 'timestamp_too_old' | 'timestamp_in_future'; message: string };

/**
 * @param timestampHeader raw X-PURCHASELY-TIMESTAMP value (already covered by the signature)
 * @param nowMs current time in epoch milliseconds
 * @param toleranceSeconds allowed distance from now, in either direction; 0 turns the check off
 */
export function checkReplayWindow(
	timestampHeader: string | undefined,
	nowMs: number,
	toleranceSeconds: number,
): ReplayCheck {
	if (!(toleranceSeconds > 0)) return { ok: true, skewSeconds: null };

	const timestamp = parseTimestampHeader(timestampHeader);
	if (timestamp === undefined) {
		return {
			ok: false,
			reason: 'invalid_timestamp',
			message: 'X-PURCHASELY-TIMESTAMP must be an integer number of seconds since the epoch',
		};
	}

	const nowSeconds = Math.floor(nowMs / 1000);
	const skew = nowSeconds - timestamp; // positive: sent in the past
	if (skew > toleranceSeconds) {
		return {
			ok: false,
			reason: 'timestamp_too_old',
			message: `X-PURCHASELY-TIMESTAMP is ${skew} s old, more than the ${toleranceSeconds} s tolerance`,
		};
	}
	if (-skew > toleranceSeconds) {
		return {
			ok: false,
			reason: 'timestamp_in_future',
			message: `X-PURCHASELY-TIMESTAMP is ${-skew} s in the future, more than the ${toleranceSeconds} s tolerance`,
		};
	}
	return { ok: true, skewSeconds: skew };
}
