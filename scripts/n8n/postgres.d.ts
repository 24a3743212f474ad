// Types of postgres.js (a throw-away PostgreSQL for queue-mode tests on Postgres).
export interface Postgres {
	host: '127.0.0.1';
	port: number;
	database: string;
	user: string;
	/** Random per start; never logged. */
	password: string;
	pid: number | undefined;
	logFile: string;
	dataDir: string;
	/** The system user the server runs as (`postgres` / `nobody` when we are root). */
	runAs: string;
	/** n8n's database variables: DB_TYPE=postgresdb and DB_POSTGRESDB_{HOST,PORT,DATABASE,USER,PASSWORD}. */
	env: Record<string, string>;
	/** Fast shutdown (SIGINT to its process group), SIGKILL after `timeoutMs`; removes the temporary folder. */
	stop(opts?: { timeoutMs?: number }): Promise<void>;
}
export declare function findPostgresBin(): string | undefined;
/** Why PostgreSQL cannot be started here (a sentence), or undefined when it can. */
export declare function postgresUnavailableReason(): string | undefined;
export declare function startPostgres(opts?: {
	database?: string;
	user?: string;
	logFile?: string;
	readinessTimeoutMs?: number;
	settings?: Record<string, string>;
}): Promise<Postgres>;
/** One SQL statement through psql; rows as arrays of strings. */
export declare function psql(pg: Postgres, sql: string, opts?: { timeoutMs?: number }): Promise<string[][]>;
