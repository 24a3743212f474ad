/**
 * The Batch node's versions as n8n loads them (VersionedNodeType), and version 2's description against the
 * contract (docs/architecture.md) and n8n's UX guidelines: hints and descriptions ≤ 120 characters, "e.g. …"
 * placeholders, every value parameter open to expressions, no field paths, action names.
 */
import { NodeHelpers, VersionedNodeType, type INodeProperties, type INodePropertyCollection, type INodeTypeDescription } from 'n8n-workflow';
import { Batch } from '../../nodes/Batch/Batch.node';
import { OPTION_DEFAULTS } from '../../nodes/Batch/optionDefaults';
import { ENDPOINT_DEFAULT } from '../../nodes/Batch/v2/descriptions/optionDescription';

const batch = new Batch();
const v1 = batch.getNodeType(1).description as INodeTypeDescription;
const v2 = batch.getNodeType(2).description as INodeTypeDescription;

/** Every parameter, nested ones included (collection options, fixedCollection values), with its path. */
function allParameters(properties: readonly INodeProperties[], prefix = ''): Array<{ path: string; property: INodeProperties }> {
	const found: Array<{ path: string; property: INodeProperties }> = [];
	for (const property of properties) {
		const path = `${prefix}${property.name}`;
		found.push({ path, property });
		if (property.type === 'collection' && property.options) found.push(...allParameters(property.options as INodeProperties[], `${path}.`));
		if (property.type === 'fixedCollection' && property.options) {
			for (const group of property.options as INodePropertyCollection[]) found.push(...allParameters(group.values, `${path}.${group.name}.`));
		}
	}
	return found;
}

const NOT_VALUES = new Set(['options', 'multiOptions', 'notice', 'collection', 'fixedCollection']);
const v2Parameters = allParameters(v2.properties);
const v2Values = v2Parameters.filter(({ property }) => !NOT_VALUES.has(property.type));

describe('Batch node versions', () => {
	it('is a VersionedNodeType with versions 1 and 2, new nodes getting version 2', () => {
		expect(batch).toBeInstanceOf(VersionedNodeType);
		expect(batch.description).toMatchObject({ name: 'batch', displayName: 'Batch', defaultVersion: 2 });
		expect(batch.currentVersion).toBe(2);
		expect(Object.keys(batch.nodeVersions)).toEqual(['1', '2']);
		expect([v1.version, v2.version]).toEqual([1, 2]);
		for (const description of [v1, v2]) {
			expect(description).toMatchObject({ name: 'batch', icon: { light: 'file:batch.svg', dark: 'file:batch.dark.svg' }, credentials: [{ name: 'batchApi', required: true }] });
		}
	});

	it('version 1 keeps its released parameters and action names', () => {
		const names = v1.properties.map((property) => property.name);
		expect(names).toEqual(expect.arrayContaining(['operation', 'api', 'platform', 'storeField', 'identifierType', 'identifierSource', 'identifierField', 'identifierValue', 'eventNameSource', 'eventName', 'eventNameField', 'eventOptions', 'attributes', 'attributesField', 'options']));
		const operation = v1.properties.find((property) => property.name === 'operation')!;
		expect(operation.options!.map((option) => 'action' in option && option.action)).toEqual(['Track an event in batch', 'Update profile attributes in batch']);
	});
});

describe('Batch node version 2 description', () => {
	it('has the contract parameters and no field-path parameters', () => {
		const names = new Set(v2.properties.map((property) => property.name));
		for (const name of ['resource', 'operation', 'api', 'platform', 'store', 'identifierType', 'customUserId', 'installationId', 'eventName', 'eventOptions', 'attributes', 'attributesObject', 'options']) {
			expect(names).toContain(name);
		}
		for (const name of ['identifierSource', 'identifierField', 'identifierValue', 'eventNameSource', 'eventNameField', 'attributesField', 'storeField']) {
			expect(names).not.toContain(name);
		}
		const eventOptions = v2Parameters.filter(({ path }) => path.startsWith('eventOptions.')).map(({ path }) => path);
		expect(eventOptions.sort()).toEqual(['eventOptions.label', 'eventOptions.tags', 'eventOptions.time']);
		expect(v2Parameters.filter(({ path }) => path.startsWith('attributes.attribute.')).map(({ path }) => path)).toEqual([
			'attributes.attribute.name',
			'attributes.attribute.type',
			'attributes.attribute.value',
		]);
	});

	it('resource/operation as n8n core nodes name them, with "Batch" capitalised in the action names', () => {
		const resource = v2.properties.find((property) => property.name === 'resource')!;
		expect(resource.options!.map((option) => 'value' in option && option.value)).toEqual(['event', 'profile']);
		expect(resource.default).toBe('event');
		const operations = v2.properties.filter((property) => property.name === 'operation');
		expect(operations.map((property) => [property.displayOptions?.show?.resource, property.default, property.options!.map((option) => 'action' in option && [option.name, option.value, option.action])])).toEqual([
			[['event'], 'track', [['Track', 'track', 'Track an event in Batch']]],
			[['profile'], 'updateAttributes', [['Update Attributes', 'updateAttributes', 'Update profile attributes in Batch']]],
		]);
		const api = v2.properties.find((property) => property.name === 'api')!;
		expect(api.options!.map((option) => [option.name, 'value' in option && option.value])).toEqual([
			['Profile API', 'profile'],
			['Trigger Events API', 'triggerEvents'],
		]);
		expect(v2.subtitle).toContain('$parameter["resource"]');
	});

	it('defaults: Custom User ID and Store as dragged fields of the Purchasely Trigger, the rest empty', () => {
		const defaults = NodeHelpers.getNodeParameters(v2.properties, {}, true, false, null, null);
		expect(defaults).toMatchObject({
			resource: 'event',
			operation: 'track',
			api: 'profile',
			identifierType: 'customId',
			customUserId: '={{ $json.meta.userId }}',
			eventName: '',
			eventOptions: {},
			attributes: {},
			attributesObject: '',
			options: {},
		});
		const withStore = NodeHelpers.getNodeParameters(v2.properties, { api: 'triggerEvents' }, true, false, null, null);
		expect(withStore).toMatchObject({ platform: 'fromStore', store: '={{ $json.meta.store }}' });
		expect(withStore).not.toHaveProperty('identifierType');
		const profile = NodeHelpers.getNodeParameters(v2.properties, { resource: 'profile' }, true, false, null, null);
		expect(profile).toMatchObject({ resource: 'profile', operation: 'updateAttributes', customUserId: '={{ $json.meta.userId }}' });
		expect(profile).not.toHaveProperty('eventName');
	});

	it('every value parameter accepts a fixed value, an expression or a dragged field (no noDataExpression)', () => {
		expect(v2Values.length).toBeGreaterThanOrEqual(14);
		for (const { path, property } of v2Values) expect([path, property.noDataExpression]).toEqual([path, undefined]);
		// Only the choices that shape the form are fixed.
		const fixed = v2Parameters.filter(({ property }) => property.noDataExpression).map(({ path }) => path);
		expect(fixed.sort()).toEqual(['api', 'identifierType', 'operation', 'operation', 'platform', 'resource']);
	});

	it('no parameter declares validateType, so the reader may skip n8n-core\'s per-item validation (parameterReading.ts)', () => {
		const validated = v2Parameters.filter(({ property }) => 'validateType' in property).map(({ path }) => path);
		expect(validated).toEqual([]);
	});

	it('hints and descriptions are at most 120 characters; placeholders read "e.g. …"', () => {
		const texts: Array<[string, string]> = [];
		for (const { path, property } of v2Parameters) {
			if (property.hint) texts.push([`${path} hint`, property.hint]);
			if (property.description) texts.push([`${path} description`, property.description]);
			for (const option of property.options ?? []) {
				if ('description' in option && typeof option.description === 'string') texts.push([`${path} option ${option.name}`, option.description]);
			}
			if (property.placeholder && !NOT_VALUES.has(property.type)) expect([path, property.placeholder]).toEqual([path, expect.stringMatching(/^e\.g\. /)]);
		}
		expect(texts.length).toBeGreaterThan(20);
		for (const [where, text] of texts) expect([where, text.length <= 120]).toEqual([where, true]);
		expect(v2Parameters.filter(({ property }) => property.hint).length).toBeGreaterThanOrEqual(6);
	});

	it("options: version 1's options with the defaults the execution uses (Endpoint: version 2's own, auto)", () => {
		const options = v2Parameters.filter(({ path }) => path.startsWith('options.'));
		expect(Object.fromEntries(options.map(({ property }) => [property.name, property.default]))).toEqual({ ...OPTION_DEFAULTS, endpoint: ENDPOINT_DEFAULT });
	});

	it('labels in plain words: no API version numbers, no "dot path", no "(Ms)"; Title Case display names', () => {
		const words = JSON.stringify(v2.properties);
		expect(words).not.toMatch(/2\.x|1\.0|dot path|\(Ms\)|Field in Input Item/i);
		for (const { path, property } of v2Parameters) {
			if (property.type === 'notice') continue;
			const minor = new Set(['a', 'an', 'and', 'as', 'at', 'by', 'for', 'in', 'of', 'on', 'or', 'per', 'the', 'to']);
			const words = property.displayName.replace(/\(|\)/g, '').split(' ');
			for (const word of words.slice(1)) if (!minor.has(word)) expect([path, word[0]]).toEqual([path, word[0].toUpperCase()]);
		}
		const timeout = v2Parameters.find(({ path }) => path === 'options.requestTimeout')!;
		expect(timeout.property.displayName).toBe('Request Timeout (Milliseconds)');
	});
});
