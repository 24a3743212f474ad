/**
 * Keys out of a request description shown to a person (a dry run's output): every key of the credential in the
 * path and the header values is replaced by a mask naming which key it was, e.g. `Bearer •••• (REST API key)`.
 * Nothing of a key is kept: no prefix, no suffix, no length. The URL-encoded form of a key (the Trigger Events
 * API puts the app's key in the path) is replaced too.
 */
import type { BatchCredentials } from './batchDispatch';
import type { RequestDescription } from './requestDescription';
import { escapeRegExp } from './secretScrubbing';

export const KEY_MASK = '••••';

export interface NamedSecret {
	secret: string | undefined;
	/** What the mask says it stands for, e.g. `REST API key`. */
	label: string;
}

/** The credential's keys, named as the credential's fields are. */
export function credentialSecrets(credentials: BatchCredentials): NamedSecret[] {
	return [
		{ secret: credentials.restApiKey, label: 'REST API key' },
		{ secret: credentials.projectKey, label: 'project key' },
		{ secret: credentials.iosApiKey, label: 'iOS API key' },
		{ secret: credentials.androidApiKey, label: 'Android API key' },
	];
}

/** Replaces every secret (and its URL-encoded form) by `•••• (label)`, in one pass, the longest match first. */
export function redactSecrets(text: string, secrets: readonly NamedSecret[]): string {
	const names = new Map<string, string>();
	for (const { secret, label } of secrets) {
		if (typeof secret !== 'string' || secret === '') continue;
		if (!names.has(secret)) names.set(secret, label);
		if (!names.has(encodeURIComponent(secret))) names.set(encodeURIComponent(secret), label);
	}
	if (names.size === 0) return text;
	const pattern = new RegExp(
		[...names.keys()]
			.sort((a, b) => b.length - a.length)
			.map(escapeRegExp)
			.join('|'),
		'g',
	);
	return text.replace(pattern, (found) => `${KEY_MASK} (${names.get(found) ?? 'key'})`);
}

/** The request with its path and header values redacted; the body is left as it is (it carries no key). */
export function redactRequest<Body>(request: RequestDescription<Body>, secrets: readonly NamedSecret[]): RequestDescription<Body> {
	return {
		method: request.method,
		path: redactSecrets(request.path, secrets),
		headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, redactSecrets(value, secrets)])),
		body: request.body,
	};
}
