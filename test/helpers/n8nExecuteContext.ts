/**
 * Runs a node's `execute()` the way n8n's WorkflowExecute does, with genuine n8n pieces: a real `Workflow`
 * (n8n-workflow; its constructor fills in parameter defaults as n8n does), a real `ExecuteContext` (n8n-core)
 * with the input items on its main input, real expression evaluation (`={{ … }}` parameters resolve through the
 * workflow's expression engine against each item), and `IWorkflowExecuteAdditionalData` whose
 * credentialsHelper returns the given credential data (e.g. a `baseUrl` pointing at the Batch simulator).
 */
import { ExecuteContext } from 'n8n-core';
import {
	createRunExecutionData,
	type ICredentialDataDecryptedObject,
	type Workflow,
	type IDataObject,
	type IExecuteData,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import {
	additionalDataWithCredential,
	nodeTypeForVersion,
	singleNodeWorkflow,
	type CredentialAuthenticator,
} from './n8nSingleNodeWorkflow';

export type { CredentialAuthenticator } from './n8nSingleNodeWorkflow';

export const NODE_NAME = 'Batch';

export interface ExecuteOptions {
	/** The node class as n8n loads it: a plain node type, or a versioned one (then `typeVersion` picks the version). */
	nodeType: INodeType | IVersionedNodeType;
	/** The node's typeVersion in the workflow (default 1). */
	typeVersion?: number;
	/** n8n type name, e.g. n8n-nodes-purchasely-batch.batch */
	typeName: string;
	credentialType: string;
	credentialData: ICredentialDataDecryptedObject;
	parameters: INodeParameters;
	/** Input items: plain JSON objects (wrapped as `{ json }`) or full execution items. */
	items: Array<IDataObject | INodeExecutionData>;
	/** Sets the node's On Error to "Continue (regular output)". */
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
	/** credentialsHelper.authenticate (default: returns the request unchanged). */
	authenticate?: CredentialAuthenticator;
	/** The execution's cancel signal, as n8n's WorkflowExecute passes it (getExecutionCancelSignal()). */
	abortSignal?: AbortSignal;
}

export interface ExecuteResult {
	/** What execute() returned; undefined when it threw. */
	output?: INodeExecutionData[][];
	error?: unknown;
	/** The node as the Workflow holds it (defaults filled in). */
	node: INode;
	/** The execution's custom data (n8n's `$execution.customData`) after the run. */
	customData: Record<string, string>;
}

const isExecutionItem = (item: IDataObject | INodeExecutionData): item is INodeExecutionData =>
	typeof item === 'object' && item !== null && 'json' in item && typeof (item as INodeExecutionData).json === 'object';

export function buildWorkflow(options: ExecuteOptions): { workflow: Workflow; node: INode } {
	const node: INode = {
		id: 'a1b2c3d4-0000-4000-8000-00000000b001',
		name: NODE_NAME,
		type: options.typeName,
		typeVersion: options.typeVersion ?? 1,
		position: [0, 0],
		parameters: { ...options.parameters },
		credentials: { [options.credentialType]: { id: 'cred-batch-1', name: 'Batch test credential' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	return singleNodeWorkflow({
		workflowId: 'wf-batch-test',
		workflowName: 'Batch node test',
		active: false,
		nodeType: options.nodeType,
		typeName: options.typeName,
		node,
	});
}

export function additionalDataFor(
	credentialType: string,
	credentialData: ICredentialDataDecryptedObject,
	authenticate?: CredentialAuthenticator,
): IWorkflowExecuteAdditionalData {
	return additionalDataWithCredential(credentialType, credentialData, { executionId: 'exec-batch-test' }, authenticate);
}

/** Builds the genuine ExecuteContext for one run of the node over `items`. */
export function buildExecuteContext(options: ExecuteOptions): { context: ExecuteContext; node: INode; runExecutionData: IRunExecutionData } {
	const { workflow, node } = buildWorkflow(options);
	const items: INodeExecutionData[] = options.items.map((item, index) =>
		isExecutionItem(item) ? item : { json: item, pairedItem: { item: index } },
	);
	const inputData = { main: [items] };
	const executeData: IExecuteData = { node, data: inputData, source: { main: [{ previousNode: 'Start' }] } };
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [executeData] } });
	const context = new ExecuteContext(
		workflow,
		node,
		additionalDataFor(options.credentialType, options.credentialData, options.authenticate),
		options.mode ?? 'manual',
		runExecutionData,
		0,
		items,
		inputData,
		executeData,
		[],
		options.abortSignal,
	);
	return { context, node, runExecutionData };
}

/** Runs execute() once; never throws (the error, if any, is returned). */
export async function runExecute(options: ExecuteOptions): Promise<ExecuteResult> {
	const { context, node, runExecutionData } = buildExecuteContext(options);
	const nodeType = nodeTypeForVersion(options.nodeType, node.typeVersion);
	if (!nodeType.execute) throw new Error('the node type has no execute()');
	const customData = () => ({ ...(runExecutionData.resultData.metadata ?? {}) });
	try {
		const output = (await nodeType.execute.call(context)) as INodeExecutionData[][];
		return { output, node, customData: customData() };
	} catch (error) {
		return { error, node, customData: customData() };
	}
}

/**
 * n8n-core's ExecuteContext gets its SSH tunnel helpers from an `SSHClientsManager` singleton whose constructor
 * starts a 60-second cleanup interval (not unref'd): in n8n that lives as long as the process. Tests and the
 * benchmark call this when done so that the process can exit.
 */
export function stopN8nCoreBackgroundTimers(): void {
	const corePath = require.resolve('n8n-core');
	const { Container } = require(require.resolve('@n8n/di', { paths: [corePath] })) as {
		Container: { get<T>(type: new (...args: never[]) => T): T };
	};
	const { SSHClientsManager } = require(require.resolve('n8n-core/dist/execution-engine/ssh-clients-manager')) as {
		SSHClientsManager: new (...args: never[]) => { cleanupTimer?: NodeJS.Timeout };
	};
	const manager = Container.get(SSHClientsManager);
	if (manager.cleanupTimer) clearInterval(manager.cleanupTimer);
}

/**
 * Replaces the logger n8n-core's contexts hand to nodes (`this.logger`, n8n's Logger from its own @n8n/di
 * container) with one that records every line, and returns the recorded lines (message + metadata as JSON).
 */
export function recordN8nLogLines(): string[] {
	const corePath = require.resolve('n8n-core');
	const { Container } = require(require.resolve('@n8n/di', { paths: [corePath] })) as {
		Container: { set(type: unknown, instance: unknown): void };
	};
	const { Logger } = require(require.resolve('@n8n/backend-common', { paths: [corePath] })) as { Logger: unknown };
	const lines: string[] = [];
	const record =
		(level: string) =>
		(message: unknown, meta?: unknown): void => {
			lines.push(`${level} ${String(message)} ${JSON.stringify(meta ?? {})}`);
		};
	const logger = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug'), scoped: () => logger };
	Container.set(Logger, logger);
	return lines;
}
