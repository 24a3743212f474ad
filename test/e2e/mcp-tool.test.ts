/**
 * The Batch node as an AI-agent tool, end to end in a real n8n 2.41.1: a workflow "MCP Server
 * Trigger ← Batch (tool)" whose parameters are filled by $fromAI(), and an MCP client (plain
 * Streamable HTTP, test/e2e/mcpClient.ts) that lists the tools and calls the Batch tool the way an
 * AI agent's MCP client does. The event must then be at the Batch simulator. No language model is
 * involved: the MCP protocol is what an agent would use.
 */
import { randomUUID } from 'node:crypto';

import { McpHttpClient, type McpTool } from './mcpClient';
import { useSimulatorAndCredentials, type Workflow, type WorkflowInput } from './support';
import { BATCH_TYPE } from './workflows';

/**
 * MCP Server Trigger ← Batch as a tool (n8n derives the tool type `<node type>Tool` from
 * `usableAsTool`). The tool's parameters come from the model through $fromAI(key, description, type):
 * the descriptions are what the model reads to fill them.
 */
function batchAgentTool(name: string, path: string): WorkflowInput {
	return {
		name,
		nodes: [
			{
				name: 'MCP Server Trigger',
				type: '@n8n/n8n-nodes-langchain.mcpTrigger',
				typeVersion: 2,
				position: [0, 0],
				webhookId: path,
				parameters: { path },
			},
			{
				name: 'Track event in Batch',
				type: `${BATCH_TYPE}Tool`,
				typeVersion: 2,
				position: [0, 200],
				parameters: {
					descriptionType: 'manual',
					toolDescription:
						'Track one event on one user in Batch (batch.com), the engagement platform that sends push and in-app messages. Use it when the user did something a campaign should react to. Give the user ID, an event name and the subscription plan.',
					resource: 'event',
					operation: 'track',
					api: 'profile',
					identifierType: 'customId',
					customUserId: "={{ $fromAI('userId', 'The Custom User ID of the user in Batch (the user ID your app uses)', 'string') }}",
					eventName:
						"={{ $fromAI('eventName', 'Name of the event to track: letters, digits and underscores, at most 30 characters, e.g. asked_for_offer', 'string') }}",
					attributes: {
						attribute: [{ name: 'plan', type: 'string', value: "={{ $fromAI('plan', 'The subscription plan the user is on, e.g. premium_yearly', 'string') }}" }],
					},
					options: {},
				},
			},
		],
		connections: {
			'Track event in Batch': { ai_tool: [[{ node: 'MCP Server Trigger', type: 'ai_tool', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

const e2e = useSimulatorAndCredentials('mcp-tool');
let workflow: Workflow;
let client: McpHttpClient;
let tool: McpTool;

beforeAll(async () => {
	const path = randomUUID();
	workflow = await e2e.n8n.importWorkflow(batchAgentTool('e2e mcp tool', path), { credentials: { batchApi: e2e.creds.batchApi } });
	await e2e.n8n.activate(workflow);
	client = new McpHttpClient(`${e2e.n8n.baseUrl}/mcp/${path}`);
	await waitForMcpEndpoint(client);
});

afterAll(async () => {
	await client?.close();
	if (workflow) await e2e.n8n.deactivate(workflow).catch(() => undefined);
});

/** Activation is asynchronous in n8n 2.x: retry `initialize` until the endpoint answers (bounded). */
async function waitForMcpEndpoint(mcp: McpHttpClient): Promise<void> {
	const deadline = Date.now() + 30_000;
	for (;;) {
		try {
			await mcp.initialize();
			return;
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
}

describe('the Batch node as an MCP tool', () => {
	test('tools/list shows the Batch tool with a description and the $fromAI parameters a model must fill', async () => {
		const tools = await client.listTools();
		const found = tools.find((t) => t.name === 'Track_event_in_Batch');
		expect(found).toBeDefined();
		tool = found!;
		expect(tool.description).toMatch(/Batch/);
		expect(tool.description).toMatch(/event/i);
		const properties = tool.inputSchema?.properties ?? {};
		expect(Object.keys(properties).sort()).toEqual(['eventName', 'plan', 'userId']);
		expect(properties.userId.description).toMatch(/user ID/i);
		expect(properties.eventName.description).toMatch(/letters, digits and underscores/);
	});

	test('tools/call with a user id, an event name and an attribute tracks the event at Batch', async () => {
		const before = e2e.sim.stats().acceptedOperations;
		const result = await client.callTool(tool.name, { userId: 'agent-user-1', eventName: 'asked_for_offer', plan: 'premium_yearly' });
		expect(result.isError).not.toBe(true);
		const text = (result.content ?? []).map((part) => part.text ?? '').join('\n');
		expect(text).toContain('"accepted":true');
		expect(e2e.sim.stats().acceptedOperations).toBe(before + 1);
		const profile = e2e.sim.profile('custom_id', 'agent-user-1');
		expect(profile?.events).toHaveLength(1);
		expect(profile?.events[0]).toMatchObject({ name: 'asked_for_offer', attributes: { plan: 'premium_yearly' } });
	});

	test('a call the node refuses comes back to the agent as an error it can read, and nothing reaches Batch', async () => {
		const before = e2e.sim.stats().acceptedOperations;
		const result = await client.callTool(tool.name, { userId: 'agent-user-2', eventName: 'not a valid name!', plan: 'premium' });
		const text = (result.content ?? []).map((part) => part.text ?? '').join('\n');
		expect(text).toMatch(/event name/i);
		expect(text).toMatch(/letters, digits and underscores/i);
		expect(e2e.sim.stats().acceptedOperations).toBe(before);
		expect(e2e.sim.profile('custom_id', 'agent-user-2')).toBeUndefined();
	});
});
