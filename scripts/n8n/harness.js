// Real-n8n harness: runs a genuine n8n (2.41.1 on Node 24, or 1.123.81 on Node 22) headless on
// loopback ports with this package installed from its `npm pack` tarball, the way users install
// community nodes. Used by the end-to-end jest suite (test/e2e) and by `npm start`.
// Plain CommonJS on purpose: it runs on the system Node (20) without a build step; types are in
// harness.d.ts. See docs/real-n8n-harness.md.
//
// This file is the index; each concern has its module:
//   processes.js           free ports, commands run bounded, servers in a process group, stop by PID
//   install.js             cached Node + n8n installs (ensureN8n)
//   packageInstall.js      npm pack of this package, install into an n8n user folder
//   webhookDescriptions.js the installed package's webhook declarations, loaded as n8n loads them
//   http.js                loopback-only HTTP client
//   n8nRestClient.js       public API / REST calls, owner + API key, credentials
//   n8nWorkflows.js        workflow import / activation, webhook URLs, executions
//   n8nProcess.js          the n8n process: environment, start + readiness, stop, restart, CLI
//   paths.js               ROOT, RESULTS_DIR, PACKAGE_NAME
//
// Typical use:
//   const tarball = await packPackage();
//   const n8n = await startN8n({ tarball });          // installs the package, starts, owner + API key
//   const cred = await n8n.createCredential({ name: 'Batch', type: 'batchApi', data: {...} });
//   const wf = await n8n.importWorkflow('templates/x.json', { credentials: { batchApi: cred } });
//   await n8n.activate(wf);
//   const url = n8n.webhookUrl(wf);  await n8n.waitForWebhook(url);
//   ... POST to url ...;  const execs = await n8n.waitForExecutions(wf.id, 1);
//   await n8n.stop();
'use strict';
const { ROOT, RESULTS_DIR, PACKAGE_NAME } = require('./paths');
const { ensureN8n } = require('./install');
const { freePort, killGroup } = require('./processes');
const { httpJson } = require('./http');
const { packPackage, installPackage } = require('./packageInstall');
const { DEFAULT_OWNER } = require('./n8nRestClient');
const { N8n, startN8n, connectN8n, stopAll } = require('./n8nProcess');
const { expressionEngineCounterEnv, readEngineCounts } = require('./engineCounts');

module.exports = {
	ROOT,
	RESULTS_DIR,
	PACKAGE_NAME,
	DEFAULT_OWNER,
	freePort,
	packPackage,
	installPackage,
	startN8n,
	connectN8n,
	stopAll,
	ensureN8n,
	httpJson,
	killGroup,
	expressionEngineCounterEnv,
	readEngineCounts,
	N8n,
};
