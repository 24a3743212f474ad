/**
 * Version 2's reading of the Batch node's parameters (n8n glue). Every value parameter is an ordinary n8n
 * parameter (fixed value, expression, or a field dragged from the input panel, which writes `{{ $json.… }}`),
 * read per item through ParameterReader with native field references: once when it holds no expression, natively
 * when it is exactly a plain field reference, by n8n otherwise (leaf by leaf inside collections and lists). An expression that fails for one item
 * makes that item fail with the parameter's display name; the other items still go.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { issue, type ItemIssue } from '../itemIssue';
import { ENDPOINT_DEFAULT } from './descriptions/optionDescription';
import { prepareItem, type IdentifierType, type ItemInputs, type Operation, type PreparationResult, type PreparationSettings } from '../itemPreparation';
import { ParameterReader } from '../parameterReading';
import type { PlatformSetting } from '../platformRouting';
import { itemReading, type BatchVersionRun } from '../runBatchNode';
import type { RunTally } from '../runTally';
import type { BatchApiKind } from '../validation';
import { adviseV2, V2_LABELS, V2_NAMES, VERSION_2_MESSAGES } from './errorWording';
import { annotationOf } from './executionAnnotation';

type Resource = 'event' | 'profile';

/** A typed JSON object (`{"plan": "premium"}`) is taken as the object it spells; other text stays text. */
function objectOrText(raw: unknown): unknown {
	if (typeof raw !== 'string') return raw;
	const text = raw.trim();
	if (text === '') return undefined;
	if (!text.startsWith('{')) return raw;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return raw;
	}
}

/** n8n's `$execution.customData` of this run (n8n 1.x and 2.x), when there is one. */
interface CustomData {
	set(key: string, value: string): void;
	get?(key: string): string | undefined;
}

function customDataOf(context: IExecuteFunctions): CustomData | undefined {
	try {
		const proxy = context.getWorkflowDataProxy?.(0) as { $execution?: { customData?: CustomData } } | undefined;
		const customData = proxy?.$execution?.customData;
		return typeof customData?.set === 'function' ? customData : undefined;
	} catch {
		return undefined;
	}
}

function annotateExecution(context: IExecuteFunctions, tally: RunTally, dryRun: boolean): void {
	const customData = customDataOf(context);
	if (!customData) return;
	const previous = (key: string) => {
		try {
			return customData.get?.(key);
		} catch {
			return undefined;
		}
	};
	const annotation = annotationOf(tally, { batch_event: previous('batch_event'), batch_user: previous('batch_user') }, dryRun);
	for (const [key, value] of Object.entries(annotation)) {
		try {
			customData.set(key, value);
		} catch {
			// Custom data is a convenience for the executions list: never a reason to fail the node.
		}
	}
}

export function batchV2Run(context: IExecuteFunctions): BatchVersionRun {
	// Plain field references (what dragging a field writes) are read natively per item, other expressions by n8n.
	const reader = new ParameterReader(context, context.getNode().parameters, { nativeFieldReferences: true });

	// Parameters that never vary by item (noDataExpression), read once.
	const resource = context.getNodeParameter('resource', 0, 'event') as Resource;
	const operation: Operation = resource === 'profile' ? 'updateAttributes' : 'trackEvent';
	const api: BatchApiKind = resource === 'profile' ? 'profile' : (context.getNodeParameter('api', 0, 'profile') as BatchApiKind);
	const platform = (api === 'triggerEvents' ? context.getNodeParameter('platform', 0, 'fromStore') : 'ios') as PlatformSetting;
	const identifierType: IdentifierType = api === 'triggerEvents' ? 'customId' : (context.getNodeParameter('identifierType', 0, 'customId') as IdentifierType);
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const readsStore = api === 'triggerEvents' && platform === 'fromStore';

	const identifierName = identifierType === 'customId' ? 'customUserId' : 'installationId';
	const identifierLabel = identifierType === 'customId' ? V2_NAMES.customId : V2_NAMES.installationId;
	const settings: PreparationSettings = {
		operation,
		api,
		platform,
		identifierType,
		identifierLabel,
		attributesFieldLabel: V2_NAMES.attributesObject,
		storeFieldLabel: V2_NAMES.store,
		eventNameLabel: V2_NAMES.eventName,
		labels: V2_LABELS,
		advise: adviseV2,
	};

	return {
		settings: { operation, api, platform, identifierType, options, endpointDefault: ENDPOINT_DEFAULT },
		messages: VERSION_2_MESSAGES,
		includeSent: true,
		dryRunOption: true,
		timeLabel: V2_LABELS.time,
		afterRun: (tally, run) => annotateExecution(context, tally, run.dryRun),
		outputOption: true,
		readItem(itemIndex, _json, nowMs, check) {
			const failed: ItemIssue[] = [];
			const read = <T>(name: string, label: string, fallback: T): T => {
				try {
					return reader.get<T>(name, itemIndex, fallback);
				} catch (error) {
					const reason = error instanceof Error ? error.message : String(error);
					failed.push(issue(label, 'expression', `${label}: its expression failed (${reason}). Check it in the node, for this item.`));
					return fallback;
				}
			};
			const inputs: ItemInputs = {
				identifier: read<unknown>(identifierName, identifierLabel, ''),
				editorAttributes: read('attributes.attribute', V2_LABELS.attributes, []),
				objectAttributes: objectOrText(read<unknown>('attributesObject', V2_NAMES.attributesObject, '')),
				store: readsStore ? read<unknown>('store', V2_NAMES.store, '') : undefined,
			};
			if (operation === 'trackEvent') {
				inputs.eventName = read<unknown>('eventName', V2_NAMES.eventName, '');
				const eventOptions = read<IDataObject>('eventOptions', 'Event Options', {});
				inputs.time = eventOptions.time;
				inputs.label = eventOptions.label;
				inputs.tags = eventOptions.tags;
			}
			// A failed expression is the item's problem; what its fallback value would make of the item is not.
			const result: PreparationResult = failed.length > 0 ? { ok: false, issues: failed } : check(prepareItem(itemIndex, settings, inputs, nowMs));
			return itemReading(result, { api, operation, identifierType }, inputs);
		},
	};
}
