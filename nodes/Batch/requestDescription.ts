/**
 * A request to Batch as plain data: what the request modules (profileApiRequest.ts, triggerEventsApiRequest.ts)
 * build, what a real run sends (batchDispatch.ts serialises `body` with JSON.stringify) and what a dry run shows
 * (dryRun.ts, after requestRedaction.ts). One builder for both, so that a dry run cannot drift from a real run.
 */

export interface RequestDescription<Body = unknown> {
	method: 'POST';
	/** Relative to the credential's base URL (its path prefix kept), e.g. `/2.11/profiles/update`. */
	path: string;
	/** Header names lower-cased, exactly as sent (the transport adds nothing else). */
	headers: Record<string, string>;
	/** The JSON body as a value; sent as `JSON.stringify(body)`. */
	body: Body;
}

/** Every request to Batch has a JSON body. */
export const JSON_CONTENT_TYPE = { 'content-type': 'application/json' } as const;

/** The origin and path prefix of a base URL (e.g. https://proxy.example/batch → origin + `/batch`). */
export function baseUrlParts(baseUrl: string): { origin: string; pathPrefix: string } {
	const url = new URL(baseUrl);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new Error(`baseUrl must start with https:// or http:// (got ${url.protocol})`);
	}
	return { origin: url.origin, pathPrefix: url.pathname.replace(/\/+$/, '') };
}

/** The full URL a request goes to: the transport joins the same parts (transport/batchHttpClient.ts). */
export function requestUrl(baseUrl: string, path: string): string {
	const { origin, pathPrefix } = baseUrlParts(baseUrl);
	return origin + pathPrefix + path;
}
