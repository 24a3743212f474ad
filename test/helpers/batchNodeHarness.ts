/**
 * Shared set-up for the Batch node's integration tests: the simulator's keys, a runner that executes the
 * node through a genuine n8n-core ExecuteContext with a credential pointing at the simulator, and a check that
 * no key appears anywhere in what a run produced (output items, thrown error, its description and cause).
 */
import { inspect } from 'node:util';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import { Batch } from '../../nodes/Batch/Batch.node';
import { startBatchSimulator, type BatchSimulator, type BatchSimulatorOptions } from '../../simulator/batchSimulator';
import { runExecute, stopN8nCoreBackgroundTimers, type ExecuteResult } from './n8nExecuteContext';

export const KEYS = {
	restApiKey: 'REST_KEY_s3cr3t_4f9a2c',
	projectKey: 'project_it_7b1d0e',
	iosApiKey: 'IOS_APP_KEY_9f8e7d6c',
	androidApiKey: 'ANDROID_APP_KEY_1a2b3c4d',
};

export const simulatorKeys = {
	restApiKey: KEYS.restApiKey,
	projectKey: KEYS.projectKey,
	appApiKeys: { ios: KEYS.iosApiKey, android: KEYS.androidApiKey },
};

/**
 * One simulator for the calling test file (with `options` over the test keys): started before its tests, reset
 * before each, closed after them (with n8n-core's background timers, so jest can exit). The returned object stands for it.
 */
export function useBatchSimulator(options: BatchSimulatorOptions = {}): BatchSimulator {
	let current: BatchSimulator | undefined;
	beforeAll(async () => {
		current = await startBatchSimulator({ ...simulatorKeys, ...options });
	});
	afterAll(async () => {
		await current?.close();
		stopN8nCoreBackgroundTimers();
	});
	beforeEach(() => current?.reset());
	return new Proxy({} as BatchSimulator, {
		get(_target, property) {
			if (current === undefined) throw new Error('the Batch simulator is used outside a test');
			const value: unknown = Reflect.get(current, property);
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}

export interface RunOptions {
	continueOnFail?: boolean;
	/** The Batch node's typeVersion (default 1: the version every workflow saved before version 2 has). */
	version?: number;
	credentials?: Partial<typeof KEYS> & { baseUrl?: string };
	/** The execution's cancel signal. */
	abortSignal?: AbortSignal;
}

export async function runBatchNode(sim: BatchSimulator, parameters: INodeParameters, items: IDataObject[], options: RunOptions = {}): Promise<ExecuteResult> {
	return await runExecute({
		nodeType: new Batch(),
		typeName: 'n8n-nodes-purchasely-batch.batch',
		credentialType: 'batchApi',
		credentialData: { ...KEYS, baseUrl: sim.url, ...options.credentials },
		parameters,
		items,
		continueOnFail: options.continueOnFail,
		abortSignal: options.abortSignal,
		typeVersion: options.version ?? 1,
	});
}

/** Everything a run produced, as text: output items, and the error with its description, messages, context and cause. */
export function serialiseRun(result: ExecuteResult): string {
	const error = result.error as (Error & Record<string, unknown>) | undefined;
	const errorParts = error
		? {
				message: error.message,
				description: error.description,
				messages: error.messages,
				context: error.context,
				cause: inspect(error.cause, { depth: 10 }),
				errorResponse: error.errorResponse,
				httpCode: error.httpCode,
				stack: error.stack,
			}
		: undefined;
	return JSON.stringify({ output: result.output, error: errorParts }) + inspect(result.error, { depth: 10 });
}

export function expectNoSecrets(result: ExecuteResult): void {
	const text = serialiseRun(result);
	for (const key of Object.values(KEYS)) {
		expect(text).not.toContain(key);
		expect(text).not.toContain(encodeURIComponent(key));
	}
}

export function outputJson(result: ExecuteResult): IDataObject[] {
	if (!result.output) throw new Error(`the node threw: ${String((result.error as Error)?.message)}`);
	return result.output[0].map((item) => item.json);
}

/** Items as the Purchasely Trigger outputs them (meta.userId, meta.store, meta.eventName). */
export function purchaselyItems(count: number, overrides: (index: number) => IDataObject = () => ({})): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		body: { plan: 'premium_monthly', price: 9.99 },
		meta: { eventName: 'SUBSCRIPTION_RENEWED', userId: `user-${index}`, store: 'APPLE_APP_STORE' },
		...overrides(index),
	}));
}
