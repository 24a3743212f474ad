/**
 * Version 1's reading of the Batch node's parameters (n8n glue): the settings that never vary by item, then per
 * item the field paths (`identifierField`, `eventNameField`, `attributesField`, `storeField`) read from the item's
 * JSON and the other parameters through ParameterReader. Messages name the internal parameter names and paths,
 * exactly as version 1 always did.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { compileFieldPath, type FieldGetter } from '../fieldPath';
import { ENDPOINT_DEFAULT } from './descriptions';
import { prepareItem, type IdentifierType, type ItemInputs, type Operation, type PreparationSettings } from '../itemPreparation';
import { ParameterReader } from '../parameterReading';
import type { PlatformSetting } from '../platformRouting';
import { itemReading, VERSION_1_MESSAGES, type BatchVersionRun } from '../runBatchNode';
import type { BatchApiKind } from '../validation';

export function batchV1Run(context: IExecuteFunctions): BatchVersionRun {
	const reader = new ParameterReader(context, context.getNode().parameters);

	// Parameters that never vary by item (noDataExpression), read once.
	const operation = context.getNodeParameter('operation', 0) as Operation;
	const api: BatchApiKind = operation === 'updateAttributes' ? 'profile' : (context.getNodeParameter('api', 0, 'profile') as BatchApiKind);
	const platform = (api === 'triggerEvents' ? context.getNodeParameter('platform', 0, 'fromStore') : 'ios') as PlatformSetting;
	const identifierType: IdentifierType = api === 'triggerEvents' ? 'customId' : (context.getNodeParameter('identifierType', 0, 'customId') as IdentifierType);
	const identifierSource = context.getNodeParameter('identifierSource', 0, 'field') as 'field' | 'value';
	const eventNameSource = operation === 'trackEvent' ? (context.getNodeParameter('eventNameSource', 0, 'value') as 'field' | 'value') : 'value';
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;

	// Field paths are compiled once per distinct path (a path given by expression may differ per item).
	const getters = new Map<string, FieldGetter>();
	const getter = (path: string): FieldGetter => {
		let compiled = getters.get(path);
		if (!compiled) getters.set(path, (compiled = compileFieldPath(path)));
		return compiled;
	};

	return {
		settings: { operation, api, platform, identifierType, options, endpointDefault: ENDPOINT_DEFAULT },
		messages: VERSION_1_MESSAGES,
		readItem(itemIndex, json, nowMs, check) {
			const identifierField = identifierSource === 'field' ? reader.get('identifierField', itemIndex, 'meta.userId') : '';
			const attributesField = reader.get('attributesField', itemIndex, '').trim();
			const storeField = api === 'triggerEvents' && platform === 'fromStore' ? reader.get('storeField', itemIndex, 'meta.store') : '';
			const eventNameField = operation === 'trackEvent' && eventNameSource === 'field' ? reader.get('eventNameField', itemIndex, 'meta.eventName') : '';
			const settings: PreparationSettings = {
				operation,
				api,
				platform,
				identifierType,
				identifierLabel: identifierSource === 'field' ? identifierField : 'identifierValue',
				attributesFieldLabel: attributesField || 'attributesField',
				storeFieldLabel: storeField || 'storeField',
				eventNameLabel: eventNameField || 'eventName',
			};
			const inputs: ItemInputs = {
				identifier: identifierSource === 'field' ? getter(identifierField)(json) : reader.get<unknown>('identifierValue', itemIndex, ''),
				editorAttributes: reader.get('attributes.attribute', itemIndex, []),
				objectAttributes: attributesField ? getter(attributesField)(json) : undefined,
				store: storeField ? getter(storeField)(json) : undefined,
			};
			if (operation === 'trackEvent') {
				inputs.eventName = eventNameField !== '' ? getter(eventNameField)(json) : reader.get<unknown>('eventName', itemIndex, '');
				const eventOptions = reader.get<IDataObject>('eventOptions', itemIndex, {});
				inputs.time = eventOptions.time;
				inputs.label = eventOptions.label;
				inputs.tags = eventOptions.tags;
			}
			const result = check(prepareItem(itemIndex, settings, inputs, nowMs));
			return itemReading(result, { api, operation, identifierType }, inputs);
		},
	};
}
