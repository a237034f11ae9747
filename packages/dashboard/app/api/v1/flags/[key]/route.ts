import { environmentOf } from '@/src/server/auth/principal';
import { deleteFlag, putFlag, readFlag } from '@/src/server/flags/service';
import { readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { parseIfMatch, versionTag } from '@/src/server/http/preconditions';

type Params = { key: string };

export const GET = endpoint<'flags.read', Params>('flags.read', async ({ request, params, principal, plane }) => {
  const stored = await readFlag(plane, await environmentOf(plane.db, principal, request), params.key);
  return json(200, stored, { etag: versionTag(stored.version) });
});

/** Without If-Match: create, 409 if it exists. With `If-Match: "n"`: update version n, 409 if stale. */
export const PUT = endpoint<'flags.write', Params>('flags.write', async ({ request, params, principal, plane }) => {
  const expectedVersion = parseIfMatch(request.headers.get('if-match'));
  const input = await readJson(request);
  const { created, stored } = await putFlag(plane, {
    environment: await environmentOf(plane.db, principal, request),
    key: params.key,
    actor: principal,
    input,
    expectedVersion,
  });
  return json(created ? 201 : 200, stored, { etag: versionTag(stored.version) });
});

/** If-Match is optional here; when present, a stale version gets 409. */
export const DELETE = endpoint<'flags.write', Params>('flags.write', async ({ request, params, principal, plane }) => {
  const expectedVersion = parseIfMatch(request.headers.get('if-match'));
  await deleteFlag(plane, {
    environment: await environmentOf(plane.db, principal, request),
    key: params.key,
    actor: principal,
    expectedVersion,
  });
  return new Response(null, { status: 204 });
});
