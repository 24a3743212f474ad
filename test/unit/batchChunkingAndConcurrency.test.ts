import { chunkConsecutive, chunkConsecutiveCapped, effectiveBatchSize, groupInOrder } from '../../nodes/Batch/chunking';
import { runWithConcurrency } from '../../nodes/Batch/concurrency';

describe('chunking', () => {
	it('splits consecutive entries at the size', () => {
		const sizes = (n: number, size: number) => chunkConsecutive(Array.from({ length: n }, (_, i) => i), size).map((c) => c.length);
		expect(sizes(1, 200)).toEqual([1]);
		expect(sizes(200, 200)).toEqual([200]);
		expect(sizes(201, 200)).toEqual([200, 1]);
		expect(sizes(1000, 200)).toEqual([200, 200, 200, 200, 200]);
		expect(sizes(0, 200)).toEqual([]);
		expect(chunkConsecutive([1, 2, 3], 2)).toEqual([[1, 2], [3]]);
		expect(() => chunkConsecutive([1], 0)).toThrow(RangeError);
	});

	it('ends a request before one key appears more than the cap (15 events per profile per request), keeping order', () => {
		const same = Array.from({ length: 40 }, (_, i) => ({ user: 'u', i }));
		const chunks = chunkConsecutiveCapped(same, 200, (e) => e.user, 15);
		expect(chunks.map((c) => c.length)).toEqual([15, 15, 10]);
		expect(chunks.flat().map((e) => e.i)).toEqual(same.map((e) => e.i));
		// Other users fill the request; the size still cuts it.
		const mixed = ['a', 'b', 'a', 'a', 'b', 'c', 'a'];
		expect(chunkConsecutiveCapped(mixed, 200, (k) => k, 2)).toEqual([['a', 'b', 'a'], ['a', 'b', 'c', 'a']]);
		expect(chunkConsecutiveCapped(mixed, 3, (k) => k, 15)).toEqual(chunkConsecutive(mixed, 3));
		expect(chunkConsecutiveCapped([], 200, (k) => k, 15)).toEqual([]);
		expect(() => chunkConsecutiveCapped([1], 200, (k) => k, 0)).toThrow(RangeError);
	});

	it('caps the requested size at the API maximum; 0 means the maximum', () => {
		expect(effectiveBatchSize(0, 200)).toBe(200);
		expect(effectiveBatchSize(1000, 200)).toBe(200);
		expect(effectiveBatchSize(50, 1000)).toBe(50);
		expect(effectiveBatchSize(Number.NaN, 1000)).toBe(1000);
	});

	it('groups in first-seen order, keeping order inside groups', () => {
		const groups = groupInOrder(['a1', 'b1', 'a2', 'b2', 'a3'], (s) => s[0]);
		expect([...groups.entries()]).toEqual([
			['a', ['a1', 'a2', 'a3']],
			['b', ['b1', 'b2']],
		]);
	});
});

describe('bounded concurrency', () => {
	it('never runs more than the limit at once and returns results in task order', async () => {
		let running = 0;
		let peak = 0;
		const tasks = Array.from({ length: 10 }, (_, i) => async () => {
			running++;
			peak = Math.max(peak, running);
			await new Promise((resolve) => setImmediate(resolve));
			running--;
			return i * 2;
		});
		expect(await runWithConcurrency(tasks, 3)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
		expect(peak).toBe(3);
		expect(await runWithConcurrency([], 3)).toEqual([]);
	});
});
