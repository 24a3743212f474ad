// Types of processes.js (the process helpers shared by the real-n8n scripts). See docs/real-n8n-harness.md.

export interface RunResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface RunOptions {
	cwd?: string;
	env?: NodeJS.ProcessEnv;
	/** Default 5 minutes; then SIGKILL to the process group and a rejection. */
	timeoutMs?: number;
	/** Appends a `$ command` header, stdout and stderr. */
	logFile?: string;
	uid?: number;
	gid?: number;
	/** How errors name the command (default: its file name and arguments). */
	what?: string;
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null } | { error: string };

export interface ServerProcess {
	pid: number | undefined;
	exitPromise: Promise<Exit>;
	exited(): Exit | false;
}

export declare function sleep(ms: number): Promise<void>;
export declare function killGroup(pid: number, signal: NodeJS.Signals): boolean;
export declare function alive(pid: number): boolean;
export declare function tail(file: string, lines?: number): string;
export declare function freePort(): Promise<number>;
export declare function portIsFree(port: number): Promise<boolean>;
export declare function killOnExit(holder: { pid?: number }): void;
export declare function releaseOnExit(holder: { pid?: number }): void;
export declare function runBounded(cmd: string, args: string[], opts?: RunOptions): Promise<RunResult>;
export declare function runLogged(cmd: string, args: string[], opts?: RunOptions): Promise<string>;
export declare function spawnServer<H extends object>(
	cmd: string,
	args: string[],
	opts: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string; header?: string; uid?: number; gid?: number },
	holder?: H,
): H & ServerProcess;
export declare function waitUntil<T>(
	probe: () => T | Promise<T>,
	opts: { timeoutMs: number; intervalMs?: number; exited?: () => unknown },
): Promise<T | undefined>;
export declare function stopProcess(
	proc: { pid?: number; exitPromise?: Promise<unknown> },
	opts?: { signal?: NodeJS.Signals; timeoutMs?: number },
): Promise<void>;
