import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { batchCredentialTest } from './batchCredentialTest';

/**
 * Batch (batch.com) API keys.
 * Where the keys are (https://doc.batch.com/getting-started/other/faq/why-do-i-have-insufficient-privileges-in-the-rest-api-key-field
 * and the dashboard's settings page): dashboard → Settings → General; the REST API key is shown only to users
 * with the "Administrate" right.
 *
 * The credential test calls `GET /2.11/orchestrations/list?limit=1` — read-only, authenticated exactly like the
 * Profile API (Bearer REST key + X-Batch-Project) — and says which key Batch refused (batchCredentialTest.ts).
 * It writes nothing: a Profile API update would create a profile even with only an identifier in it, and an
 * empty operations array is rejected (400), so neither is used. The app API keys are not tested here (the
 * only routes taking them write events); a wrong one shows as a 401 on the items sent to that app.
 */
export class BatchApi implements ICredentialType {
	name = 'batchApi';

	displayName = 'Batch API';

	icon: Icon = { light: 'file:../nodes/Batch/batch.svg', dark: 'file:../nodes/Batch/batch.dark.svg' };

	documentationUrl = 'https://doc.batch.com/developer/api/cep/profiles/update';

	properties: INodeProperties[] = [
		{
			displayName: 'REST API Key',
			name: 'restApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Secret key for every Batch server API (Profile API and Trigger Events API). Batch dashboard → Settings → General → REST API Key (visible to users with the Administrate right only).',
		},
		{
			displayName: 'Project Key',
			name: 'projectKey',
			type: 'string',
			default: '',
			placeholder: 'project_…',
			description:
				'Identifies the Batch project; needed by the Profile API 2.x (sent as X-Batch-Project). Batch dashboard → project Settings → General → Project key.',
		},
		{
			displayName: 'iOS API Key (Live)',
			name: 'iosApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The iOS app\'s Live SDK API key. Only needed for the Trigger Events API 1.0 (it takes the app key in the URL). Batch dashboard → Settings → General, in the iOS app\'s section.',
		},
		{
			displayName: 'Android API Key (Live)',
			name: 'androidApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The Android app\'s Live SDK API key. Only needed for the Trigger Events API 1.0. Batch dashboard → Settings → General, in the Android app\'s section.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.batch.com',
			description: 'Batch API host. Change it only to go through a proxy, or to point at a local Batch simulator for tests and demos.',
		},
	];

	/** Profile API headers, for n8n's own requests (the credential test); the Batch node's transport sets them itself. */
	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.restApiKey}}',
				'X-Batch-Project': '={{$credentials.projectKey}}',
			},
		},
	};

	/** One read-only request; its rules say which key Batch refused (see batchCredentialTest.ts). */
	test: ICredentialTestRequest = batchCredentialTest;
}
