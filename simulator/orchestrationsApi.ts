/**
 * `GET /2.<minor>/orchestrations/list` — a read-only, authenticated project route, used by the `batchApi`
 * credential test so that testing a credential writes nothing.
 * https://doc.batch.com/developer/api/cep/orchestrations/list : query `from` (cursor) and `limit`
 * (max 100, default 10); 200 `{"orchestrations": [...], "count", "has_more", "next_from"?}`.
 * The simulator holds no orchestration: it answers an empty list.
 */
import type { IncomingMessage } from 'node:http';
import type { HandlerContext } from './context';
import { batchError, type ApiResult } from './http';
import { checkProjectAuth } from './projectAuth';

export const ORCHESTRATIONS_ROUTE = /^\/2\.(\d{1,3})\/orchestrations\/list\/?$/;

export function handleOrchestrationsApi(ctx: HandlerContext, req: IncomingMessage, url: URL): ApiResult {
	if (req.method !== 'GET') {
		return { status: 405, body: batchError('METHOD_NOT_ALLOWED', 'Only GET is allowed on this route'), headers: { Allow: 'GET' }, operations: 0 };
	}
	const denied = checkProjectAuth(ctx, req);
	if (denied) return denied;
	const limit = url.searchParams.get('limit');
	if (limit !== null && !/^(100|[1-9]\d?)$/.test(limit)) {
		return { status: 400, body: batchError('MALFORMED_PARAMETER', 'limit must be an integer between 1 and 100'), operations: 0 };
	}
	return { status: 200, body: { orchestrations: [], count: 0, has_more: false }, operations: 0 };
}
