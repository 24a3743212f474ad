/**
 * Authentication of Batch's project APIs (2.x): `Authorization: Bearer <REST API key>` and
 * `X-Batch-Project: <project key>` — https://doc.batch.com/developer/api/cep/profiles/update
 * ("How to authenticate"; X-Batch-Project "Required").
 */
import type { IncomingMessage } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { HandlerContext } from './context';
import { batchError, header, type ApiResult } from './http';

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a);
	const y = Buffer.from(b);
	return x.length === y.length && timingSafeEqual(x, y);
}

/** An error answer when the request is not authenticated for the project, else undefined. */
export function checkProjectAuth(ctx: HandlerContext, req: IncomingMessage): ApiResult | undefined {
	const auth = header(req, 'authorization') ?? '';
	const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
	// Wrong REST key: AUTHENTICATION_INVALID as in third-party clients (docs/batch-api-notes.md §6, §8);
	// the status and message Batch gives a key it does not know are UNCONFIRMED (its docs list only
	// "The Rest API Key is not valid for this project", https://doc.batch.com/developer/api/cep/orchestrations/list).
	if (!m || !safeEqual(m[1], ctx.options.restApiKey)) {
		return { status: 401, body: batchError('AUTHENTICATION_INVALID', 'Missing or invalid REST API key'), operations: 0 };
	}
	const project = header(req, 'x-batch-project');
	if (!project) {
		return { status: 400, body: batchError('MISSING_PARAMETER', 'Missing X-Batch-Project header'), operations: 0 };
	}
	// Wrong project: the docs' failure text is "The Rest API Key is not valid for this project"
	// (https://doc.batch.com/developer/api/cep/orchestrations/list, …/catalogs/create); the status and code
	// are UNCONFIRMED → 401 AUTHENTICATION_INVALID here.
	if (!safeEqual(project, ctx.options.projectKey)) {
		return { status: 401, body: batchError('AUTHENTICATION_INVALID', 'The Rest API Key is not valid for this project'), operations: 0 };
	}
	return undefined;
}
