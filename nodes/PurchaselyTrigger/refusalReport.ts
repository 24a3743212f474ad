/**
 * What the editor shows when the test URL ("Listen for test event") refuses a request: the test
 * run's error message (the reason, with the HTTP status Purchasely or `send-test-event` got) and a
 * description saying how to fix it. Production refusals are only answered and logged (no execution).
 */

export type RefusalKind = 'invalid signature' | 'invalid timestamp' | 'invalid payload' | 'configuration error';

export interface RefusalReport {
	message: string;
	description: string;
}

const HOW_TO_FIX: Readonly<Record<RefusalKind, string>> = {
	'invalid signature':
		"Check that the credential's Shared Secret is the Client shared secret of the Purchasely app (or of send-test-event) that sent it, and that nothing changed the body on the way.",
	'invalid timestamp':
		"Check the sender's clock, or raise the Timestamp Tolerance option (0 turns the check off).",
	'invalid payload': 'Purchasely sends a JSON object with an "event_name" (API version 3) or "name" (version 2).',
	'configuration error': "Fix the node's settings or credential, then listen again.",
};

/** "Refused the test request (HTTP 401, invalid signature): X-PURCHASELY-REQUEST-SIGNATURE does not match …" */
export function describeRefusal(status: number, kind: RefusalKind, detail: string): RefusalReport {
	return {
		message: `Refused the test request (HTTP ${status}, ${kind}): ${detail}`,
		description: `The request was answered HTTP ${status} and no workflow ran. ${HOW_TO_FIX[kind]}`,
	};
}
