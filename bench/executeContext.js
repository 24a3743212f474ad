'use strict';
// Runs the compiled Batch node's execute() through a genuine n8n-core ExecuteContext built by the SAME code as the
// tests' (test/helpers/n8nExecuteContext.ts, one builder for both): a real Workflow (defaults filled in), the items
// on the main input, real expression evaluation, and a credentialsHelper returning the given credential data.
// The bench runs on plain Node without ts-jest, so the helpers' TypeScript is transpiled on load (typescript's
// transpileModule, type-only, no type check) by a require hook limited to test/helpers/.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const helpers = path.join(root, 'test', 'helpers') + path.sep;

const previousTsLoader = require.extensions['.ts'];
require.extensions['.ts'] = function loadHelperTypeScript(module, filename) {
	if (!filename.startsWith(helpers)) {
		if (previousTsLoader) return previousTsLoader(module, filename);
		throw new Error(`bench/executeContext.js loads TypeScript from test/helpers/ only, not ${filename}`);
	}
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
	});
	module._compile(outputText, filename);
};

const { buildExecuteContext, stopN8nCoreBackgroundTimers } = require('../test/helpers/n8nExecuteContext.ts');

/** The compiled Batch node of one version (the class is a VersionedNodeType: n8n picks the version by typeVersion). */
function loadBatchNode(version = 1) {
	const { Batch } = require(path.join(root, 'dist/nodes/Batch/Batch.node.js'));
	return new Batch().getNodeType(version);
}

/** The ExecuteContext for one run of `nodeType` (one version's node type) over plain JSON items. */
function buildContext(nodeType, parameters, credentialData, jsonItems) {
	return buildExecuteContext({
		nodeType,
		typeVersion: nodeType.description.version,
		typeName: 'n8n-nodes-purchasely-batch.batch',
		credentialType: 'batchApi',
		credentialData,
		parameters,
		items: jsonItems,
	}).context;
}

module.exports = { loadBatchNode, buildContext, stopN8nCoreBackgroundTimers };
