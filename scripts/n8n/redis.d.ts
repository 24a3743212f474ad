// Types of redis.js (a throw-away redis-server for queue-mode tests).
export interface Redis {
	port: number;
	pid: number | undefined;
	logFile: string;
	stop(opts?: { timeoutMs?: number }): Promise<void>;
}
export declare function findRedisServer(): string | undefined;
export declare function startRedis(opts?: { logFile?: string; readinessTimeoutMs?: number }): Promise<Redis>;
export declare function redisCommand(port: number, args: string[], opts?: { timeoutMs?: number }): Promise<string>;
