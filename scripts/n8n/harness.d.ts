// Types of harness.js (the real-n8n harness: an index re-exporting packageInstall.js, http.js,
// n8nRestClient.js, n8nWorkflows.js, n8nProcess.js, install.js, processes.js, paths.js). See
// docs/real-n8n-harness.md.

export type N8nTarget = 'n8n2' | 'n8n1';

export interface N8nInstall {
	target: N8nTarget;
	n8nVersion: string;
	nodeMajor: number;
	nodeHome: string;
	nodeBin: string;
	n8nDir: string;
	n8nBin: string;
}

export interface HttpResult<T = any> {
	status: number;
	headers: Headers;
	text: string;
	json: T | undefined;
}

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface CredentialRef {
	id: string;
	name: string;
	type?: string;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface Workflow {
	id: string;
	name: string;
	active?: boolean;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface WorkflowInput {
	name?: string;
	nodes: WorkflowNode[];
	connections?: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface Execution {
	id: string | number;
	finished: boolean;
	mode: string;
	status: 'success' | 'error' | 'crashed' | 'canceled' | 'running' | 'new' | 'waiting' | string;
	startedAt: string;
	stoppedAt: string | null;
	workflowId: string;
	data?: any;
	[key: string]: unknown;
}

export interface StartOptions {
	target?: N8nTarget;
	tarball?: string;
	userFolder?: string;
	port?: number;
	brokerPort?: number;
	logFile?: string;
	env?: Record<string, string>;
	owner?: Owner;
	setupOwner?: boolean;
	readinessTimeoutMs?: number;
}

export interface PackageInstallResult {
	nodesDir: string;
	packageDir: string;
	installed: string[];
}

export interface N8nState {
	baseUrl: string;
	port: number;
	brokerPort: number;
	pid?: number;
	userFolder: string;
	logFile: string;
	target: N8nTarget;
	n8nVersion: string;
	apiKey: string;
	owner: Owner;
	packageInstall?: PackageInstallResult;
	install: N8nInstall;
}

export declare class N8n {
	readonly baseUrl: string;
	readonly port: number;
	readonly pid: number | undefined;
	readonly userFolder: string;
	readonly logFile: string;
	readonly target: N8nTarget;
	readonly n8nVersion: string;
	readonly install: N8nInstall;
	readonly owner: Owner;
	readonly owned: boolean;
	/** Set when startN8n installed a tarball. */
	readonly packageInstall?: PackageInstallResult;
	apiKey: string;

	api<T = any>(method: string, path: string, body?: unknown, opts?: { headers?: Record<string, string>; timeoutMs?: number }): Promise<HttpResult<T>>;
	rest<T = any>(method: string, path: string, body?: unknown, opts?: { headers?: Record<string, string>; timeoutMs?: number }): Promise<HttpResult<T>>;
	setupOwner(owner?: Owner): Promise<this>;
	createCredential(c: { name: string; type: string; data: Record<string, unknown> }): Promise<CredentialRef>;
	updateCredential(id: string, c: { name?: string; type?: string; data?: Record<string, unknown> }): Promise<CredentialRef>;
	listWorkflows(opts?: { name?: string }): Promise<Workflow[]>;
	getWorkflow(id: string): Promise<Workflow>;
	importWorkflow(
		fileOrObject: string | WorkflowInput,
		opts?: { credentials?: Record<string, CredentialRef | undefined>; name?: string; freshWebhookIds?: boolean },
	): Promise<Workflow>;
	activate(workflowOrId: Workflow | string): Promise<Workflow>;
	deactivate(workflowOrId: Workflow | string): Promise<Workflow>;
	webhookUrl(workflow: Workflow, nodeName?: string): string;
	waitForWebhook(url: string, opts?: { timeoutMs?: number }): Promise<void>;
	listExecutions(opts?: { workflowId?: string; status?: string; includeData?: boolean }): Promise<Execution[]>;
	getExecution(id: string | number, opts?: { includeData?: boolean }): Promise<Execution>;
	waitForExecutions(workflowId: string, count: number, opts?: { timeoutMs?: number; includeData?: boolean }): Promise<Execution[]>;
	stop(opts?: { timeoutMs?: number }): Promise<void>;
	restart(): Promise<this>;
	cli(args: string[], opts?: { timeoutMs?: number }): Promise<string>;
	toJSON(): N8nState;
}

export declare const ROOT: string;
export declare const RESULTS_DIR: string;
export declare const PACKAGE_NAME: string;
export declare const DEFAULT_OWNER: Readonly<Owner>;
export declare function freePort(): Promise<number>;
export declare function packPackage(opts?: { outDir?: string; build?: 'ifMissing' | 'always' | 'never' }): Promise<string>;
export declare function installPackage(
	userFolder: string,
	tarball: string,
	opts?: { logFile?: string; nodeHome?: string; legacyPeerDeps?: boolean },
): Promise<PackageInstallResult>;
export declare function startN8n(opts?: StartOptions): Promise<N8n>;
export declare function connectN8n(state: string | N8nState): N8n;
export declare function stopAll(): Promise<void>;
export declare function ensureN8n(target?: N8nTarget): Promise<N8nInstall>;
export declare function httpJson<T = any>(
	method: string,
	url: string,
	opts?: { headers?: Record<string, string>; body?: unknown | Buffer | string; timeoutMs?: number },
): Promise<HttpResult<T>>;
export declare function killGroup(pid: number, signal: NodeJS.Signals): boolean;
/** NODE_OPTIONS + ENGINE_COUNTER_DIR loading scripts/n8n/expressionEngineCounter.js into n8n (creates `dir`). */
export declare function expressionEngineCounterEnv(dir: string): Record<string, string>;
/** Counts of one process as last written by the counter (undefined before its first write). */
export declare function readEngineCounts(
	dir: string,
	pid: number,
): { pid: number; evaluations: number; acquisitions: number; isolates: number; hooked: string[] } | undefined;
