import { environmentOf } from '@/src/server/auth/principal';
import { readFlagSet } from '@/src/server/flags/service';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { matchesIfNoneMatch } from '@/src/server/http/preconditions';

/** The environment's whole flag set, `{ flags, segments }`; `If-None-Match` with the last ETag gets 304. */
export const GET = endpoint('flags.read-set', async ({ request, principal, plane }) => {
  const { set, etag } = await readFlagSet(plane, await environmentOf(plane.db, principal, request));
  // no-cache, not no-store: clients keep the set and revalidate it with its ETag.
  const headers = { etag, 'cache-control': 'no-cache' };
  if (matchesIfNoneMatch(request.headers.get('if-none-match'), etag)) return new Response(null, { status: 304, headers });
  return json(200, set, headers);
});
