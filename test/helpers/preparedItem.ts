import type { PreparedItem } from '../../nodes/Batch/itemPreparation';

/** A prepared "renewal" event with one attribute of each scalar kind, a label and a tag (request-building tests). */
export const renewalItem: PreparedItem = {
	itemIndex: 0,
	identifier: 'user-1',
	identifierType: 'customId',
	eventName: 'renewal',
	timeMs: Date.UTC(2026, 0, 10, 11, 30, 5),
	label: 'monthly',
	tags: ['a'],
	attributes: [
		{ name: 'plan', field: 'f', type: 'string', value: 'premium' },
		{ name: 'price', field: 'f', type: 'number', value: 9.99 },
		{ name: 'trial', field: 'f', type: 'boolean', value: false },
		{ name: 'expires', field: 'f', type: 'date', value: Date.UTC(2026, 1, 1) },
		{ name: 'deeplink', field: 'f', type: 'url', value: 'myapp://ply/placements/RETENTION' },
	],
	platforms: ['ios'],
};
