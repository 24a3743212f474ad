'use strict';
// The workflows of the real-n8n outbound benchmark (bench/realOutbound.js): Manual Trigger → Code (N items shaped
// like the Purchasely Trigger's output, bench/benchData.js's makeItems) → the node under test. Pure: no I/O.
const { KEYS, makeItems } = require('./benchData');

const PACKAGE_NAME = 'n8n-nodes-purchasely-batch';
const TRIGGER = 'Manual Trigger';
const ITEMS = 'Items';
const UNDER_TEST = 'Node under test';

/** The Code node's source: makeItems itself (one definition of the items for every benchmark), then N of them. */
function itemsCode(count) {
	return `const makeItems = ${makeItems.toString()};\nreturn makeItems(${Number(count)}).map((json) => ({ json }));\n`;
}

/** The Profile API operation one item becomes (the same for the HTTP Request node and the Batch node). */
const HTTP_BODY = '={{ JSON.stringify([{ identifiers: { custom_id: $json.meta.userId }, attributes: $json.body }]) }}';

/** Core HTTP Request node, one POST per item to /profiles/update, its defaults otherwise (as a user would set it up). */
function httpRequestNode(simulatorUrl) {
	return {
		name: UNDER_TEST,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [440, 0],
		parameters: {
			method: 'POST',
			url: `${simulatorUrl}/2.11/profiles/update`,
			sendHeaders: true,
			specifyHeaders: 'keypair',
			headerParameters: {
				parameters: [
					{ name: 'Authorization', value: `Bearer ${KEYS.restApiKey}` },
					{ name: 'X-Batch-Project', value: KEYS.projectKey },
				],
			},
			sendBody: true,
			contentType: 'json',
			specifyBody: 'json',
			jsonBody: HTTP_BODY,
			options: {},
		},
	};
}

/** This package's Batch node, version 2, Profile → Update Attributes, fields as a drag from the input panel writes them. */
function batchNode(options) {
	return {
		name: UNDER_TEST,
		type: `${PACKAGE_NAME}.batch`,
		typeVersion: 2,
		position: [440, 0],
		parameters: {
			resource: 'profile',
			operation: 'updateAttributes',
			identifierType: 'customId',
			customUserId: '={{ $json.meta.userId }}',
			attributes: {},
			attributesObject: '={{ $json.body }}',
			options,
		},
	};
}

/** Manual Trigger → Code (`count` items) → `node`. */
function benchWorkflow(name, count, node) {
	return {
		name,
		nodes: [
			{ name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				name: ITEMS,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: itemsCode(count) },
			},
			node,
		],
		connections: {
			[TRIGGER]: { main: [[{ node: ITEMS, type: 'main', index: 0 }]] },
			[ITEMS]: { main: [[{ node: UNDER_TEST, type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { PACKAGE_NAME, TRIGGER, ITEMS, UNDER_TEST, itemsCode, httpRequestNode, batchNode, benchWorkflow };
