/**
 * The Batch credential's test: one read-only request, and what n8n says for each answer. Pure data,
 * apart from the credential class so that it can be tested on its own.
 *
 * n8n (1.x and 2.x, `CredentialsTester`) turns a test request into a message with `rules`:
 * `responseCode` rules only see the HTTP status of a failed request, `responseSuccessBody` rules
 * compare one field of a *successful* answer (`lodash.get(body, key) === value`, first match wins).
 * Batch answers both a wrong REST API key and a wrong project key with HTTP 401, so the status
 * alone cannot say which key is wrong: the request sets `ignoreHttpStatusErrors`, every answer
 * reaches the body rules, and the rules read Batch's error body (`error_code`, `error_message`).
 *
 * What Batch answers (https://doc.batch.com/developer/api/cep/orchestrations/list, "Responses"):
 * success with the orchestration list; failures "The request is malformed", "The Rest API Key is
 * not valid for this project", "Too Many Requests", "Unexpected error", maintenance. Batch's error
 * body is `{"error_code", "error_message"}` with codes such as AUTHENTICATION_INVALID and
 * MISSING_PARAMETER (seen in third-party clients). UNCONFIRMED: which status and message a REST API
 * key unknown to Batch gets, as opposed to a known key used with another project's key; the
 * documented text above blames the pair, so it is reported as a Project Key problem that names both.
 */
import type { IAuthenticateRuleResponseSuccessBody, ICredentialTestRequest } from 'n8n-workflow';

export const BATCH_CREDENTIAL_TEST_MESSAGES = {
	projectKey:
		'Batch refused the Project Key: the REST API Key is not valid for this project. Check the Project Key, and that both keys come from the same Batch project.',
	restApiKey:
		'Batch refused the REST API Key. Copy it again from the Batch dashboard: Settings → General → REST API Key.',
	projectKeyMissing: 'Batch needs the Project Key (the Profile API takes it in X-Batch-Project): fill it in.',
	unexpected:
		'Batch did not answer with the orchestration list: check the Base URL. If Batch is busy (HTTP 429) or under maintenance (503), test again later.',
} as const;

/** Batch's documented failure text for a REST API key that is not valid for the given project. */
export const BATCH_NOT_VALID_FOR_PROJECT = 'The Rest API Key is not valid for this project';

const rule = (key: string, value: unknown, message: string): IAuthenticateRuleResponseSuccessBody => ({
	type: 'responseSuccessBody',
	properties: { key, value, message },
});

export const batchCredentialTest: ICredentialTestRequest = {
	request: {
		baseURL: '={{ ($credentials.baseUrl || "https://api.batch.com").replace(/\\/+$/, "") }}',
		url: '/2.11/orchestrations/list',
		method: 'GET',
		qs: { limit: 1 },
		ignoreHttpStatusErrors: true,
	},
	rules: [
		rule('error_message', BATCH_NOT_VALID_FOR_PROJECT, BATCH_CREDENTIAL_TEST_MESSAGES.projectKey),
		rule('error_code', 'AUTHENTICATION_INVALID', BATCH_CREDENTIAL_TEST_MESSAGES.restApiKey),
		rule('error_code', 'MISSING_PARAMETER', BATCH_CREDENTIAL_TEST_MESSAGES.projectKeyMissing),
		// Anything else that is not the success answer (which always has "orchestrations"):
		// n8n compares with ===, so `undefined` matches an answer without that field.
		rule('orchestrations', undefined, BATCH_CREDENTIAL_TEST_MESSAGES.unexpected),
	],
};
