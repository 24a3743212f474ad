/**
 * A minimal Model Context Protocol client over Streamable HTTP (JSON-RPC 2.0 over POST; answers
 * come as JSON or as a Server-Sent Events stream), enough to list and call the tools of n8n's
 * MCP Server Trigger the way an MCP client such as an AI agent does. Loopback only, bounded in time.
 * Protocol: https://modelcontextprotocol.io/specification/2025-03-26/basic/transports
 */

export interface McpTool {
	name: string;
	description?: string;
	inputSchema?: { type?: string; properties?: Record<string, { type?: string; description?: string }>; required?: string[] };
}

export interface McpToolResult {
	content?: Array<{ type: string; text?: string }>;
	isError?: boolean;
}

interface JsonRpcResponse<T> {
	jsonrpc: '2.0';
	id?: number;
	result?: T;
	error?: { code: number; message: string };
}

export class McpHttpClient {
	private sessionId: string | undefined;
	private nextId = 1;

	constructor(
		private readonly url: string,
		private readonly timeoutMs = 60_000,
	) {
		const host = new URL(url).hostname;
		if (host !== '127.0.0.1' && host !== 'localhost') throw new Error(`the MCP client talks to loopback only, not ${host}`);
	}

	async initialize(): Promise<{ serverInfo?: { name?: string } }> {
		const result = await this.request<{ serverInfo?: { name?: string } }>('initialize', {
			protocolVersion: '2025-03-26',
			capabilities: {},
			clientInfo: { name: 'n8n-nodes-purchasely-batch-e2e', version: '1.0.0' },
		});
		await this.notify('notifications/initialized');
		return result;
	}

	async listTools(): Promise<McpTool[]> {
		const result = await this.request<{ tools: McpTool[] }>('tools/list', {});
		return result.tools;
	}

	async callTool(name: string, args: Record<string, unknown>): Promise<McpToolResult> {
		return await this.request<McpToolResult>('tools/call', { name, arguments: args });
	}

	async close(): Promise<void> {
		if (!this.sessionId) return;
		await fetch(this.url, { method: 'DELETE', headers: { 'mcp-session-id': this.sessionId }, signal: AbortSignal.timeout(this.timeoutMs) }).catch(() => undefined);
		this.sessionId = undefined;
	}

	private async notify(method: string): Promise<void> {
		const response = await this.post({ jsonrpc: '2.0', method });
		await response.text();
		if (response.status >= 300) throw new Error(`MCP ${method}: HTTP ${response.status}`);
	}

	private async request<T>(method: string, params: unknown): Promise<T> {
		const id = this.nextId++;
		const response = await this.post({ jsonrpc: '2.0', id, method, params });
		const session = response.headers.get('mcp-session-id');
		if (session) this.sessionId = session;
		const text = await response.text();
		if (response.status >= 300) throw new Error(`MCP ${method}: HTTP ${response.status} ${text.slice(0, 500)}`);
		const message = parseMessage<T>(text, response.headers.get('content-type') ?? '', id);
		if (message.error) throw new Error(`MCP ${method}: ${message.error.code} ${message.error.message}`);
		return message.result as T;
	}

	private post(body: unknown): Promise<Response> {
		const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
		if (this.sessionId) headers['mcp-session-id'] = this.sessionId;
		return fetch(this.url, { method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.timeoutMs) });
	}
}

/** The JSON-RPC answer with `id`, from a JSON body or from the `data:` lines of an SSE stream. */
function parseMessage<T>(text: string, contentType: string, id: number): JsonRpcResponse<T> {
	const candidates: string[] = contentType.includes('text/event-stream')
		? text
				.split(/\r?\n\r?\n/)
				.map((event) =>
					event
						.split(/\r?\n/)
						.filter((line) => line.startsWith('data:'))
						.map((line) => line.slice(5).trimStart())
						.join('\n'),
				)
				.filter((data) => data !== '')
		: [text];
	for (const candidate of candidates) {
		const parsed = JSON.parse(candidate) as JsonRpcResponse<T> | Array<JsonRpcResponse<T>>;
		for (const message of Array.isArray(parsed) ? parsed : [parsed]) if (message.id === id) return message;
	}
	throw new Error(`no JSON-RPC answer with id ${id} in: ${text.slice(0, 500)}`);
}
