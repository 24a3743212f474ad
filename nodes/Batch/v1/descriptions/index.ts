import type { INodeProperties } from 'n8n-workflow';
import { attributeProperties } from './attributeDescription';
import { eventProperties } from './eventDescription';
import { identifierProperties } from './identifierDescription';
import { operationProperties } from './operationDescription';
import { optionProperties } from './optionDescription';

export { ENDPOINT_DEFAULT, OPTION_DEFAULTS } from './optionDescription';

export const batchNodeProperties: INodeProperties[] = [
	...operationProperties,
	...identifierProperties,
	...eventProperties,
	...attributeProperties,
	...optionProperties,
];
