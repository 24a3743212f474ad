import type { PreparedItem } from '../../nodes/Batch/itemPreparation';
import { buildProfileOperation, profileAttributeEntries } from '../../nodes/Batch/profileApiRequest';
import { buildTriggerEvent, buildTriggerUserEvents, triggerEventsPath } from '../../nodes/Batch/triggerEventsApiRequest';
import { renewalItem } from '../helpers/preparedItem';

const item = renewalItem;

describe('Profile API operations', () => {
	it('puts the event with $label, $tags, date() and url() keys', () => {
		expect(buildProfileOperation(item, 'trackEvent')).toEqual({
			identifiers: { custom_id: 'user-1' },
			events: [
				{
					name: 'renewal',
					time: '2026-01-10T11:30:05Z',
					attributes: {
						plan: 'premium',
						price: 9.99,
						trial: false,
						'date(expires)': '2026-02-01T00:00:00Z',
						'url(deeplink)': 'myapp://ply/placements/RETENTION',
						$label: 'monthly',
						$tags: ['a'],
					},
				},
			],
		});
	});

	it('updates profile attributes (lists and null included) and supports installation ids', () => {
		const update: PreparedItem = {
			...item,
			identifierType: 'installationId',
			attributes: [
				{ name: 'interests', field: 'f', type: 'stringList', value: ['bikes'] },
				{ name: 'old', field: 'f', type: 'null', value: null },
			],
		};
		expect(buildProfileOperation(update, 'updateAttributes')).toEqual({
			identifiers: { installation: { installation_id: 'user-1' } },
			attributes: { interests: ['bikes'], old: null },
		});
	});

	it('omits time and attributes when there are none', () => {
		expect(buildProfileOperation({ ...item, timeMs: undefined, label: undefined, tags: undefined, attributes: [] }, 'trackEvent')).toEqual({
			identifiers: { custom_id: 'user-1' },
			events: [{ name: 'renewal' }],
		});
	});
});

describe('Trigger Events API requests', () => {
	it('builds the event object with YYYY-MM-ddTHH:mm:ss times and URLs as strings', () => {
		expect(buildTriggerEvent(item)).toEqual({
			name: 'renewal',
			time: '2026-01-10T11:30:05',
			label: 'monthly',
			tags: ['a'],
			attributes: { plan: 'premium', price: 9.99, trial: false, 'date(expires)': '2026-02-01T00:00:00', deeplink: 'myapp://ply/placements/RETENTION' },
		});
		expect(buildTriggerUserEvents(item)).toMatchObject({ id: 'user-1', events: [{ name: 'renewal' }] });
	});

	it('URL-encodes the app key in the bulk path', () => {
		expect(triggerEventsPath('AB/C')).toBe('/1.0/AB%2FC/events/users');
	});
});

describe('attribute names never change a request object\'s prototype', () => {
	it('keeps a "__proto__" attribute as an own key of the body (were validation bypassed) instead of setting a prototype', () => {
		const attribute = { name: '__proto__', field: 'attributes.__proto__', type: 'string' as const, value: 'x' };
		const entries = profileAttributeEntries([attribute]);
		expect(Object.getPrototypeOf(entries)).toBe(Object.prototype);
		expect(Object.keys(entries)).toEqual(['__proto__']);
		expect(JSON.stringify(entries)).toBe('{"__proto__":"x"}');
		const event = buildTriggerEvent({ itemIndex: 0, identifier: 'u', identifierType: 'customId', eventName: 'e', attributes: [attribute], platforms: ['ios'] });
		expect(Object.getPrototypeOf(event.attributes)).toBe(Object.prototype);
		expect(JSON.stringify(event.attributes)).toBe('{"__proto__":"x"}');
	});

	it('keeps names of Object.prototype members as own keys, in the order given', () => {
		const attributes = ['constructor', 'tostring', 'plan'].map((name) => ({ name, field: `attributes.${name}`, type: 'string' as const, value: name }));
		const entries = profileAttributeEntries(attributes);
		expect(Object.keys(entries)).toEqual(['constructor', 'tostring', 'plan']);
		expect(JSON.stringify(entries)).toBe('{"constructor":"constructor","tostring":"tostring","plan":"plan"}');
	});
});
