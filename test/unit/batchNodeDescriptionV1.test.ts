/**
 * Batch node version 1 is released: what n8n shows for it (its whole description: parameters, labels,
 * descriptions, defaults) must not change when version 2 or shared code changes. The fixture is version 1's
 * description as of the layout clean-up (issue 10), taken from the built node; and the option defaults it
 * shows are the ones the execution uses (optionDefaults.ts; n8n's lint wants them literal in the description).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { Batch } from '../../nodes/Batch/Batch.node';
import { OPTION_DEFAULTS } from '../../nodes/Batch/optionDefaults';
import { ENDPOINT_DEFAULT } from '../../nodes/Batch/v1/descriptions/optionDescription';

const v1 = new Batch().getNodeType(1).description as INodeTypeDescription;

describe('Batch node version 1 description', () => {
	it('is exactly the released one', () => {
		const released = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/batch-v1-description.json'), 'utf8'));
		expect(JSON.parse(JSON.stringify(v1))).toEqual(released);
	});

	it('shows the option defaults the execution uses (no Dry Run; Endpoint: /profiles/update as always)', () => {
		const options = (v1.properties.find((property) => property.name === 'options')!.options ?? []) as INodeProperties[];
		const { dryRun: _dryRun, output: _output, ...v1Defaults } = OPTION_DEFAULTS;
		expect(Object.fromEntries(options.map((property) => [property.name, property.default]))).toEqual({ ...v1Defaults, endpoint: ENDPOINT_DEFAULT });
		expect(ENDPOINT_DEFAULT).toBe('update');
	});
});
