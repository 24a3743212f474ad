'use strict';
// Runs the compiled Batch node's execute() through a genuine n8n-core ExecuteContext (same construction as
// test/helpers/n8nExecuteContext.ts): a real Workflow (defaults filled in), the items on the main input,
// real expression evaluation, and a credentialsHelper returning the given credential data.
const path = require('node:path');
const { ExecuteContext } = require('n8n-core');
const { Workflow, createRunExecutionData } = require('n8n-workflow');

const root = path.resolve(__dirname, '..');

/** The compiled Batch node of one version (the class is a VersionedNodeType: n8n picks the version by typeVersion). */
function loadBatchNode(version = 1) {
	const { Batch } = require(path.join(root, 'dist/nodes/Batch/Batch.node.js'));
	return new Batch().getNodeType(version);
}

function buildContext(nodeType, parameters, credentialData, jsonItems) {
	const typeName = 'n8n-nodes-purchasely-batch.batch';
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({
		id: 'wf-bench',
		name: 'Batch bench',
		nodes: [
			{
				id: 'bench-node-1',
				name: 'Batch',
				type: typeName,
				typeVersion: nodeType.description.version,
				position: [0, 0],
				parameters,
				credentials: { batchApi: { id: 'cred-1', name: 'Batch bench credential' } },
			},
		],
		connections: {},
		active: false,
		nodeTypes,
		staticData: {},
		settings: {},
	});
	const node = workflow.getNode('Batch');
	const items = jsonItems.map((json, index) => ({ json, pairedItem: { item: index } }));
	const inputData = { main: [items] };
	const executeData = { node, data: inputData, source: { main: [{ previousNode: 'Start' }] } };
	const additionalData = {
		credentialsHelper: {
			getDecrypted: async () => ({ ...credentialData }),
			getParentTypes: () => [],
			authenticate: async (_c, _t, options) => options,
		},
		executionId: 'exec-bench',
		variables: {},
		currentNodeExecutionIndex: 0,
	};
	const runExecutionData = createRunExecutionData({ executionData: { nodeExecutionStack: [executeData] } });
	return new ExecuteContext(workflow, node, additionalData, 'manual', runExecutionData, 0, items, inputData, executeData, []);
}

/** n8n-core's SSHClientsManager starts a 60 s interval when an ExecuteContext is built; stop it so the process can end. */
function stopN8nCoreBackgroundTimers() {
	const corePath = require.resolve('n8n-core');
	const { Container } = require(require.resolve('@n8n/di', { paths: [corePath] }));
	const { SSHClientsManager } = require(require.resolve('n8n-core/dist/execution-engine/ssh-clients-manager'));
	const manager = Container.get(SSHClientsManager);
	if (manager.cleanupTimer) clearInterval(manager.cleanupTimer);
}

module.exports = { loadBatchNode, buildContext, stopN8nCoreBackgroundTimers };
