/** Runs async tasks with at most `limit` in flight; resolves with results in task order. Never rejects early. */
export async function runWithConcurrency<T>(tasks: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
	const results = new Array<T>(tasks.length);
	let next = 0;
	const workers = Array.from({ length: Math.max(1, Math.min(limit, tasks.length)) }, async () => {
		while (next < tasks.length) {
			const index = next++;
			results[index] = await tasks[index]();
		}
	});
	await Promise.all(workers);
	return results;
}
