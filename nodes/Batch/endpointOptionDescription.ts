import type { INodePropertyOptions } from 'n8n-workflow';

/**
 * The Endpoint option's choices and description, the same words in versions 1 and 2 (each version's
 * optionDescription.ts keeps its own default: version 1 `update`, version 2 `auto`). See endpointSelection.ts.
 */
export const ENDPOINT_CHOICES: INodePropertyOptions[] = [
	{
		name: 'Automatic',
		value: 'auto',
		description: 'Mass Update when one execution sends more than 1,000 profile updates, else Real-Time Update',
	},
	{
		name: 'Real-Time Update',
		value: 'update',
		description: "Batch's /profiles/update: 200 updates a request, 300 per second, bursts of 1,000 (Rate Limit options)",
	},
	{
		name: 'Mass Update (Imports)',
		value: 'massUpdate',
		description: "Batch's /profiles/mass-update for imports: 10,000 updates a request, 10,000 per second, no burst",
	},
];

export const ENDPOINT_DESCRIPTION = 'Profile API endpoint (output: batch.endpoint). The Trigger Events API ignores this option.';
