/**
 * The genuine n8n pieces both node harnesses need: a real `Workflow` (n8n-workflow; its constructor
 * fills in parameter defaults as n8n does) holding one node of this package, and
 * `IWorkflowExecuteAdditionalData` whose credentialsHelper hands that node its test credential.
 */
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IHttpRequestOptions,
	type INode,
	type INodeType,
	type INodeTypes,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

/** The node type of one version, as n8n's NodeTypes.getByNameAndVersion gives it (a versioned node's version, or the node). */
export function nodeTypeForVersion(nodeType: INodeType | IVersionedNodeType, version?: number): INodeType {
	return 'nodeVersions' in nodeType ? nodeType.getNodeType(version) : nodeType;
}

/** The node types n8n would load, reduced to the one node under test. */
export class SingleNodeTypes implements INodeTypes {
	constructor(
		private readonly typeName: string,
		private readonly nodeType: INodeType | IVersionedNodeType,
	) {}

	getByName(name: string): INodeType | IVersionedNodeType {
		if (name !== this.typeName) throw new Error(`unknown node type ${name}`);
		return this.nodeType;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		if (name !== this.typeName) throw new Error(`unknown node type ${name}`);
		return nodeTypeForVersion(this.nodeType, version);
	}

	getKnownTypes() {
		return {};
	}
}

export interface SingleNodeWorkflowOptions {
	workflowId: string;
	workflowName: string;
	active: boolean;
	nodeType: INodeType | IVersionedNodeType;
	/** n8n type name, e.g. n8n-nodes-purchasely-batch.batch */
	typeName: string;
	/** The node as a workflow file would hold it; parameter defaults are filled in by Workflow. */
	node: INode;
}

export function singleNodeWorkflow(options: SingleNodeWorkflowOptions): { workflow: Workflow; node: INode } {
	const workflow = new Workflow({
		id: options.workflowId,
		name: options.workflowName,
		nodes: [options.node],
		connections: {},
		active: options.active,
		nodeTypes: new SingleNodeTypes(options.typeName, options.nodeType),
		staticData: {},
		settings: {},
	});
	return { workflow, node: workflow.getNode(options.node.name) as INode };
}

export type CredentialAuthenticator = (
	credentials: ICredentialDataDecryptedObject,
	typeName: string,
	requestOptions: IHttpRequestOptions,
	workflow: Workflow,
	node: INode,
) => Promise<IHttpRequestOptions>;

/**
 * Additional data as n8n passes it to node contexts. `extra` adds what one context kind needs
 * (the webhook's request/response, an execution id).
 */
export function additionalDataWithCredential(
	credentialType: string,
	credentialData: ICredentialDataDecryptedObject,
	extra: Record<string, unknown> = {},
	authenticate?: CredentialAuthenticator,
): IWorkflowExecuteAdditionalData {
	const credentialsHelper = {
		getDecrypted: async (_additionalData: unknown, _nodeCredentials: unknown, type: string) => {
			if (type !== credentialType) throw new Error(`no credential of type ${type}`);
			return { ...credentialData };
		},
		getCredentialsProperties: () => [],
		getParentTypes: () => [],
		authenticate: authenticate ?? (async (_c: unknown, _t: unknown, requestOptions: unknown) => requestOptions),
		preAuthentication: async () => undefined,
		updateCredentials: async () => undefined,
		updateCredentialsOauthTokenData: async () => undefined,
	};
	return {
		credentialsHelper,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}
