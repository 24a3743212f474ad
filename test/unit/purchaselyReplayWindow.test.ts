import {
	checkReplayWindow,
	DEFAULT_TIMESTAMP_TOLERANCE_SECONDS,
	parseTimestampHeader,
} from '../../nodes/PurchaselyTrigger/replayWindow';

const NOW_MS = 1_772_445_600_000; // 2026-03-02T10:00:00Z
const NOW_S = NOW_MS / 1000;

describe('Purchasely replay window', () => {
	it('defaults to 300 seconds', () => {
		expect(DEFAULT_TIMESTAMP_TOLERANCE_SECONDS).toBe(300);
	});

	it('accepts a timestamp exactly at the tolerance, in the past and in the future', () => {
		expect(checkReplayWindow(String(NOW_S - 300), NOW_MS, 300)).toEqual({ ok: true, skewSeconds: 300 });
		expect(checkReplayWindow(String(NOW_S + 300), NOW_MS, 300)).toEqual({ ok: true, skewSeconds: -300 });
		expect(checkReplayWindow(String(NOW_S), NOW_MS, 300)).toEqual({ ok: true, skewSeconds: 0 });
	});

	it('refuses one second beyond the tolerance', () => {
		expect(checkReplayWindow(String(NOW_S - 301), NOW_MS, 300)).toMatchObject({
			ok: false,
			reason: 'timestamp_too_old',
		});
		expect(checkReplayWindow(String(NOW_S + 301), NOW_MS, 300)).toMatchObject({
			ok: false,
			reason: 'timestamp_in_future',
		});
	});

	it('uses whole seconds of the current time (no off-by-one from milliseconds)', () => {
		expect(checkReplayWindow(String(NOW_S - 300), NOW_MS + 999, 300).ok).toBe(true);
		expect(checkReplayWindow(String(NOW_S - 300), NOW_MS + 1000, 300).ok).toBe(false);
	});

	it('is off with a tolerance of 0, even for a very old or unreadable timestamp', () => {
		expect(checkReplayWindow('1580909929', NOW_MS, 0)).toEqual({ ok: true, skewSeconds: null });
		expect(checkReplayWindow('not-a-number', NOW_MS, 0).ok).toBe(true);
	});

	it('refuses a timestamp that is not an integer when the check is on', () => {
		for (const value of ['', ' ', '12.5', '-5', '1e9', 'abc', undefined]) {
			expect(checkReplayWindow(value, NOW_MS, 300)).toMatchObject({ ok: false, reason: 'invalid_timestamp' });
		}
	});

	it('reads seconds, and a 13-digit value as milliseconds', () => {
		expect(parseTimestampHeader('1698322022')).toBe(1698322022);
		expect(parseTimestampHeader(' 1698322022 ')).toBe(1698322022);
		expect(parseTimestampHeader('1698322022123')).toBe(1698322022);
		expect(checkReplayWindow(String(NOW_MS - 5000), NOW_MS, 300)).toEqual({ ok: true, skewSeconds: 5 });
	});

	it('names the header and the tolerance in its messages', () => {
		const check = checkReplayWindow(String(NOW_S - 1000), NOW_MS, 300);
		expect(check.ok).toBe(false);
		if (!check.ok) {
			expect(check.message).toContain('X-PURCHASELY-TIMESTAMP');
			expect(check.message).toContain('1000 s');
			expect(check.message).toContain('300 s');
		}
	});
});
