import { deliveriesFor, deliveryOutcome, failureSummaryOf, notAccepted, readBatchError, readPartialErrors, validationOutcome, type OutcomeBase } from '../../nodes/Batch/outcomes';
import { tallyOf } from '../../nodes/Batch/runTally';
import { createScrubber } from '../../nodes/Batch/secretScrubbing';

const scrub = createScrubber(['SECRET_REST', 'IOS_KEY_123']);
const entries = [{ itemIndex: 4 }, { itemIndex: 7 }, { itemIndex: 9 }];
const base: OutcomeBase = { api: 'profile', operation: 'trackEvent', identifierType: 'customId', identifier: 'u', eventName: 'e' };

describe('mapping Batch answers to items', () => {
	it('accepts every entry of a SUCCESS answer', () => {
		const deliveries = deliveriesFor(entries, { kind: 'answer', status: 202, body: { code: 'SUCCESS' }, attempts: 1 }, scrub);
		expect(deliveries.map((d) => [d.itemIndex, d.accepted, d.code])).toEqual([
			[4, true, 'SUCCESS'],
			[7, true, 'SUCCESS'],
			[9, true, 'SUCCESS'],
		]);
	});

	it('maps bulk_index of partial errors back to the entry at that position', () => {
		const body = { code: 'SUCCESS_WITH_PARTIAL_ERRORS', errors: [{ bulk_index: 1, category: 'events', reason: 'bad time', attribute: 'time' }] };
		const deliveries = deliveriesFor(entries, { kind: 'answer', status: 202, body, attempts: 1 }, scrub);
		expect(deliveries.map((d) => d.accepted)).toEqual([true, false, true]);
		expect(deliveries[1]).toMatchObject({ itemIndex: 7, error: { stage: 'batch', category: 'events', attribute: 'time', code: 'events' } });
		expect(deliveries[1].error?.text).toContain('bad time');
	});

	it('fails every entry of an error answer with Batch code and message, scrubbed', () => {
		const body = { error_code: 'AUTHENTICATION_INVALID', error_message: 'key SECRET_REST is wrong for /1.0/IOS_KEY_123/events/users' };
		const [first] = deliveriesFor([{ itemIndex: 0, platform: 'ios' }], { kind: 'answer', status: 401, body, attempts: 1, gaveUp: 'notRetryable' }, scrub);
		expect(first).toMatchObject({ accepted: false, status: 401, code: 'AUTHENTICATION_INVALID' });
		expect(first.error?.text).toBe('[ios app] Batch answered HTTP 401 AUTHENTICATION_INVALID: key [redacted] is wrong for /1.0/[redacted]/events/users');
	});

	it('says how many attempts were made when retries ran out', () => {
		const [network] = deliveriesFor([{ itemIndex: 0 }], { kind: 'network', code: 'UND_ERR_SOCKET', message: 'UND_ERR_SOCKET: closed', attempts: 3, gaveUp: 'attemptsExhausted' }, scrub);
		expect(network.error).toMatchObject({ stage: 'network', code: 'UND_ERR_SOCKET', text: 'no answer from Batch after 3 attempts (UND_ERR_SOCKET: closed)' });
		const [busy] = deliveriesFor([{ itemIndex: 0 }], { kind: 'answer', status: 503, body: {}, attempts: 5, gaveUp: 'attemptsExhausted' }, scrub);
		expect(busy.error?.text).toBe('Batch answered HTTP 503 HTTP_503 after 5 attempts');
	});

	it('reads error bodies in the shapes Batch uses', () => {
		expect(readBatchError({ error_code: 'X', error_message: 'y' })).toEqual({ code: 'X', message: 'y' });
		expect(readBatchError({ code: 'SUCCESS' })).toEqual({ code: 'SUCCESS', message: undefined });
		expect(readBatchError('Bad gateway')).toEqual({ message: 'Bad gateway' });
		expect(readPartialErrors({ errors: [{ bulk_index: 'x' }, { bulk_index: 2, reason: 'r' }] }).get(2)).toMatchObject({ reason: 'r' });
	});
});

describe('output items', () => {
	it('reports accepted items with the Batch answer', () => {
		const outcome = deliveryOutcome(2, base, [{ itemIndex: 2, accepted: true, status: 202, code: 'SUCCESS', attempts: 1 }]);
		expect(outcome).toMatchObject({ accepted: true, json: { accepted: true, api: 'profile', operation: 'trackEvent', identifier: 'u', eventName: 'e', batch: { status: 202, code: 'SUCCESS', attempts: 1 } } });
		expect(outcome.json.error).toBeUndefined();
	});

	it('fails an item sent to two apps when one app failed, and shows both', () => {
		const outcome = deliveryOutcome(1, { ...base, api: 'triggerEvents', platforms: ['ios', 'android'] }, [
			{ itemIndex: 1, platform: 'ios', accepted: true, status: 202, code: 'SUCCESS', attempts: 1 },
			{ itemIndex: 1, platform: 'android', accepted: false, status: 401, code: 'AUTHENTICATION_INVALID', attempts: 1, error: { stage: 'batch', text: '[android app] Batch answered HTTP 401', status: 401, code: 'AUTHENTICATION_INVALID' } },
		]);
		expect(outcome.accepted).toBe(false);
		expect(outcome.json).toMatchObject({
			batch: { status: 401, byPlatform: { ios: { accepted: true }, android: { accepted: false } } },
			error: { message: 'Item 1: [android app] Batch answered HTTP 401', platform: 'android', code: 'AUTHENTICATION_INVALID', status: 401 },
		});
	});

	it('reports validation failures with the first issue and lists the others', () => {
		const outcome = validationOutcome(3, base, [
			{ field: 'eventOptions.label', rule: 'maxLength', message: 'eventOptions.label is 241 characters; Batch allows at most 200' },
			{ field: 'eventName', rule: 'namePattern', message: 'bad' },
		], scrub);
		expect(outcome.json.error).toMatchObject({
			message: 'Item 3: eventOptions.label is 241 characters; Batch allows at most 200 (and 1 more problem)',
			stage: 'validation',
			field: 'eventOptions.label',
			rule: 'maxLength',
			issues: [expect.anything(), expect.anything()],
		});
	});

	it('summarises failures without losing the accepted count', () => {
		const ok = deliveryOutcome(0, base, [{ itemIndex: 0, accepted: true, status: 202, attempts: 1 }]);
		const bad = validationOutcome(1, base, [{ field: 'f', rule: 'r', message: 'm' }], scrub);
		expect(failureSummaryOf(tallyOf([ok, bad], notAccepted))).toMatch(/^1 of 2 items failed \(items 1\); 1 item was accepted by Batch/);
	});
});
