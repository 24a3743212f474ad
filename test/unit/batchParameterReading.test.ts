import type { IExecuteFunctions } from 'n8n-workflow';
import { containsExpression, ParameterReader } from '../../nodes/Batch/parameterReading';

describe('reading parameters once unless they hold an expression', () => {
	it('detects expressions anywhere inside a value', () => {
		expect(containsExpression('={{ $json.id }}')).toBe(true);
		expect(containsExpression('plain')).toBe(false);
		expect(containsExpression({ attribute: [{ name: 'a', value: '={{ 1 }}' }] })).toBe(true);
		expect(containsExpression({ attribute: [{ name: 'a', value: 'x' }] })).toBe(false);
		expect(containsExpression(undefined)).toBe(false);
	});

	it('calls getNodeParameter once for fixed values and per item for expressions', () => {
		const calls: Array<[string, number]> = [];
		const context = {
			getNodeParameter: (name: string, itemIndex: number) => {
				calls.push([name, itemIndex]);
				return `${name}@${itemIndex}`;
			},
		} as unknown as IExecuteFunctions;
		const reader = new ParameterReader(context, { eventName: 'renewal', identifierValue: '={{ $json.id }}', attributes: { attribute: [{ value: '={{1}}' }] } });
		for (let i = 0; i < 3; i++) {
			expect(reader.get('eventName', i, '')).toBe('eventName@0');
			expect(reader.get('identifierValue', i, '')).toBe(`identifierValue@${i}`);
			reader.get('attributes.attribute', i, []);
		}
		expect(calls.filter(([name]) => name === 'eventName')).toHaveLength(1);
		expect(calls.filter(([name]) => name === 'identifierValue')).toHaveLength(3);
		expect(calls.filter(([name]) => name === 'attributes.attribute')).toHaveLength(3);
	});
});
