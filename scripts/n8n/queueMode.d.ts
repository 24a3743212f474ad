// Types of queueMode.js (n8n in queue mode for tests). See docs/real-n8n-harness.md, "Queue mode".
import type { N8n, N8nTarget, Workflow } from './harness';
import type { Postgres } from './postgres';
import type { Redis } from './redis';

export interface QueueProcess {
	/** 'worker-1', 'worker-2', …, 'webhook'. */
	role: string;
	pid: number | undefined;
	/** webhook: its N8N_PORT; worker: its health server (QUEUE_HEALTH_CHECK_PORT). */
	port: number;
	baseUrl: string;
	logFile: string;
}

export interface QueueMode {
	/** The one N8N_USER_FOLDER every process shares (removed by stop()). */
	userFolder: string;
	redis: Redis;
	/** The throw-away PostgreSQL (database: 'postgres'), else undefined (SQLite in the user folder). */
	postgres: Postgres | undefined;
	/** `n8n start` in queue mode: owner, API key, public API (a harness N8n). */
	main: N8n;
	workers: QueueProcess[];
	webhook: QueueProcess;
	/** A trigger's production URL on the webhook process. */
	webhookUrl(workflow: Workflow, nodeName?: string): string;
	/** Roles of the workers whose log says "Worker started execution <id>". */
	ranOn(executionId: string | number): string[];
	/** 'main' / 'webhook': whose log says "Enqueued execution <id>". */
	enqueuedBy(executionId: string | number): string[];
	/** Stops webhook, workers and main (SIGTERM, SIGKILL after 10 s), then redis and Postgres; removes the user folder. */
	stop(): Promise<void>;
}

export declare function startQueueMode(opts?: {
	tarball?: string;
	target?: N8nTarget;
	workers?: number;
	concurrency?: number;
	env?: Record<string, string>;
	/** 'sqlite' (default: one database.sqlite in the user folder) or 'postgres' (startPostgres()). */
	database?: 'sqlite' | 'postgres';
	readinessTimeoutMs?: number;
}): Promise<QueueMode>;

export declare function stopGroup(proc: { pid: number | undefined }, timeoutMs?: number): Promise<void>;
