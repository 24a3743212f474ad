import * as workflow from 'n8n-workflow';
import type { NodeConnectionType } from 'n8n-workflow';

/**
 * The main connection type on every n8n this package supports: n8n-workflow 2.x and late 1.x export the
 * `NodeConnectionTypes` object, early 1.x only the `NodeConnectionType` enum. Both hold the value 'main'.
 */
const exported = workflow as unknown as {
	NodeConnectionTypes?: { Main?: string };
	NodeConnectionType?: { Main?: string };
};

export const MAIN_CONNECTION = (exported.NodeConnectionTypes?.Main ?? exported.NodeConnectionType?.Main ?? 'main') as NodeConnectionType;
