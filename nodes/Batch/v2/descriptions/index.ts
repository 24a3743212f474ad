import type { INodeProperties } from 'n8n-workflow';
import { attributeProperties } from './attributeDescription';
import { eventProperties } from './eventDescription';
import { identifierProperties } from './identifierDescription';
import { optionProperties } from './optionDescription';
import { resourceProperties } from './resourceDescription';

/** Version 2's parameters, in the order the editor shows them (names fixed in docs/architecture.md). */
export const batchV2Properties: INodeProperties[] = [
	...resourceProperties,
	...identifierProperties,
	...eventProperties,
	...attributeProperties,
	...optionProperties,
];
