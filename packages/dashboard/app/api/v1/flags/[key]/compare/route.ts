import { environmentOf } from '@/src/server/auth/principal';
import { parseCompareParams } from '@/src/server/compare/params';
import { compareFlag } from '@/src/server/compare/service';
import { endpoint } from '@/src/server/http/endpoint';
import { contentTag, matchesIfNoneMatch } from '@/src/server/http/preconditions';

type Params = { key: string };

/**
 * Every variant of the flag against control over `?window=` (see src/server/compare/types.ts for the body),
 * with an `ETag` of the body: the page's live refresh sends it back and gets 304 while nothing changed.
 */
export const GET = endpoint<'flags.read', Params>('flags.read', async ({ request, params, principal, plane }) => {
  const query = parseCompareParams(new URL(request.url).searchParams, Date.now());
  const body = JSON.stringify(await compareFlag(plane, await environmentOf(plane.db, principal, request), params.key, query));
  const headers = { etag: contentTag(body), 'cache-control': 'no-cache' };
  if (matchesIfNoneMatch(request.headers.get('if-none-match'), headers.etag)) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, 'content-type': 'application/json' } });
});
