/**
 * Version 2's words (pure): prepareItem with version 2's labels and advice gives `[item N]`-ready sentences that
 * name parameters as the editor shows them and say how to fix them; version 1's defaults are untouched. And the
 * execution custom data stays within n8n's limits.
 */
import { prepareItem, type PreparationSettings } from '../../nodes/Batch/itemPreparation';
import { notAccepted, validationOutcome, type OutcomeBase, type ItemOutcome } from '../../nodes/Batch/outcomes';
import { tallyOf } from '../../nodes/Batch/runTally';
import { createScrubber } from '../../nodes/Batch/secretScrubbing';
import { adviseV2, V2_LABELS, V2_NAMES, v2ItemMessage } from '../../nodes/Batch/v2/errorWording';
import { annotationOf, joinWithin } from '../../nodes/Batch/v2/executionAnnotation';

const NOW = Date.UTC(2026, 0, 10, 12);
const v2: PreparationSettings = {
	operation: 'trackEvent',
	api: 'profile',
	platform: 'fromStore',
	identifierType: 'customId',
	identifierLabel: V2_NAMES.customId,
	attributesFieldLabel: V2_NAMES.attributesObject,
	storeFieldLabel: V2_NAMES.store,
	eventNameLabel: V2_NAMES.eventName,
	labels: V2_LABELS,
	advise: adviseV2,
};
const internalNames = /identifierType|identifierField|identifierValue|eventOptions\.|attributesField|attributesObject|customUserId|storeField|\bfield\b/;

function messages(settings: PreparationSettings, inputs: Parameters<typeof prepareItem>[2]): string[] {
	const result = prepareItem(4, settings, inputs, NOW);
	if (result.ok) return [];
	return result.issues.map((entry) => entry.message);
}

describe('version 2 wording', () => {
	it('names each parameter by its display name and says how to fix it', () => {
		const found = messages(v2, {
			identifier: 'u1',
			eventName: 'renewal',
			// (a time in the future is refused when its request is built: batchDispatch.ts, tested with the dispatch)
			time: new Date(NOW - 25 * 3_600_000).toISOString(),
			label: 'x'.repeat(201),
			tags: Array.from({ length: 11 }, (_, index) => `t${index}`),
			editorAttributes: [{ name: '', type: 'string', value: 'v' }, { name: '$label', type: 'string', value: 'v' }, { name: 'n', type: 'boolean', value: 'maybe' }],
			objectAttributes: { 'bad key': 1 },
		});
		expect(found).toEqual([
			expect.stringMatching(/^Event Options › Time \S+ is .*\. Leave Event Options › Time empty to use the time Batch receives the event\.$/),
			'Event Options › Label is 201 characters; Batch allows at most 200. Shorten Event Options › Label.',
			expect.stringMatching(/^Event Options › Tags has 11 tags; Batch allows at most 10\. Give Event Options › Tags at most 10 tags/),
			'Attributes › attribute 1 has no name. Give the attribute a name and a value, or remove it.',
			expect.stringMatching(/^Attributes › n is "maybe"; a boolean attribute needs true or false\. Fix the value, or change the attribute's Type\.$/),
			expect.stringMatching(/^Attributes Object › bad key name "bad key" may only contain .*\. Rename the attribute\.$/),
			expect.stringMatching(/^Attributes › \$label: names starting with \$ are reserved on events; use Event Options › Label and Event Options › Tags for \$label and \$tags\. Rename the attribute\.$/),
		]);
		for (const message of found) expect(message).not.toMatch(internalNames);
	});

	it('an empty attribute value or tag: the item, the attribute and the fix', () => {
		expect(messages(v2, { identifier: 'u1', eventName: 'e', tags: ['a', ''], editorAttributes: [{ name: 'plan', type: 'string', value: '' }], objectAttributes: { note: ' ' } })).toEqual([
			'Event Options › Tags[1] is empty; Batch refuses empty tags. Remove the empty tag (tags are separated by commas).',
			'Attributes Object › note is empty; Batch refuses empty (or blank) text values. Give it a value, or remove the attribute; in Attributes Object, leave the key out (or give null to delete a profile attribute).',
			'Attributes › plan is empty; Batch refuses empty (or blank) text values. Give it a value, or remove the attribute; in Attributes Object, leave the key out (or give null to delete a profile attribute).',
		]);
	});

	it('installation IDs, the store and an empty event name', () => {
		expect(messages({ ...v2, identifierType: 'installationId', identifierLabel: V2_NAMES.installationId }, { identifier: '', eventName: 'e' })).toEqual([
			'Installation ID is empty. Drag the installation ID from the input panel onto Installation ID, or type one.',
		]);
		expect(messages({ ...v2, api: 'triggerEvents' }, { identifier: 'u', eventName: '', store: 'STRIPE' })).toEqual([
			"Event Name is empty. Type the event's name (e.g. subscription_renewed) or drag it from the input panel.",
			expect.stringMatching(/^Store is "STRIPE"; only APPLE_APP_STORE .*\. Check Store, or choose iOS, Android or Both as Platform\.$/),
		]);
	});

	it('[item N] in front of the first message, with the count of the others', () => {
		const result = prepareItem(7, v2, { identifier: '', eventName: '' }, NOW);
		if (result.ok) throw new Error('expected issues');
		const base: OutcomeBase = { api: 'profile', operation: 'trackEvent', identifierType: 'customId', identifier: '' };
		const outcome = validationOutcome(7, base, result.issues, createScrubber([]), v2ItemMessage);
		expect(outcome.error!.message).toBe("[item 7] Custom User ID is empty. Drag the user's ID from the input panel onto Custom User ID, or type one. (and 1 more problem)");
		expect(outcome.error!.field).toBe('Custom User ID');
	});

	it('version 1 keeps its own messages when no labels or advice are given', () => {
		const v1: PreparationSettings = { operation: 'trackEvent', api: 'profile', platform: 'fromStore', identifierType: 'customId', identifierLabel: 'meta.userId', attributesFieldLabel: 'body', storeFieldLabel: 'meta.store' };
		expect(messages(v1, { identifier: 'u', eventName: 'e', label: 'x'.repeat(201), editorAttributes: [{ name: '$tags', type: 'string', value: 'v' }] })).toEqual([
			'eventOptions.label is 201 characters; Batch allows at most 200',
			'attributes.$tags: names starting with $ are reserved on events; use eventOptions.label and eventOptions.tags for $label and $tags',
		]);
	});
});

describe('execution custom data', () => {
	/** The custom data of a real run with these outcomes, as the node writes it from the run's tally. */
	const annotate = (outcomes: ItemOutcome[], previous: Record<string, string | undefined> = {}) => annotationOf(tallyOf(outcomes, notAccepted), previous);

	const outcome = (identifier: string, eventName: string, accepted = true): ItemOutcome => ({ itemIndex: 0, accepted, json: { identifier, eventName } });

	it('distinct event names and users, and the result', () => {
		expect(annotate([outcome('u1', 'renewal'), outcome('u2', 'renewal'), outcome('u1', 'trial', false)])).toEqual({
			batch_event: 'renewal, trial',
			batch_user: 'u1, u2',
			batch_result: '2 accepted, 1 failed',
		});
	});

	it('merges with what an earlier Batch node of the execution wrote', () => {
		expect(annotate([outcome('u2', 'update')], { batch_event: 'renewal', batch_user: 'u1' })).toMatchObject({ batch_event: 'renewal, update', batch_user: 'u1, u2' });
	});

	it('keeps whole entries within 255 characters (n8n: value ≤ 255, key ≤ 50 of [A-Za-z0-9_], ≤ 10 keys)', () => {
		const long = joinWithin(Array.from({ length: 100 }, (_, index) => `user-${index}-${'x'.repeat(20)}`));
		expect(long.length).toBeLessThanOrEqual(255);
		expect(long).toMatch(/^user-0-x{20}, user-1-x{20}, .*x{20}, …$/);
		expect(joinWithin(['y'.repeat(400)])).toHaveLength(255);
		const annotation = annotate(Array.from({ length: 500 }, (_, index) => outcome(`u${index}`, `e${index}`)));
		expect(Object.keys(annotation).length).toBeLessThanOrEqual(10);
		for (const [key, value] of Object.entries(annotation)) {
			expect(key).toMatch(/^[A-Za-z0-9_]{1,50}$/);
			expect(value.length).toBeLessThanOrEqual(255);
		}
	});
});
