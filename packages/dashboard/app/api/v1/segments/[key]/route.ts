import { environmentOf } from '@/src/server/auth/principal';
import { readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { parseIfMatch, versionTag } from '@/src/server/http/preconditions';
import { deleteSegment, putSegment, readSegment } from '@/src/server/segments/service';

type Params = { key: string };

export const GET = endpoint<'segments.read', Params>('segments.read', async ({ request, params, principal, plane }) => {
  const stored = await readSegment(plane, await environmentOf(plane.db, principal, request), params.key);
  return json(200, stored, { etag: versionTag(stored.version) });
});

/** Without If-Match: create, 409 if it exists. With `If-Match: "n"`: update version n, 409 if stale. */
export const PUT = endpoint<'segments.write', Params>('segments.write', async ({ request, params, principal, plane }) => {
  const expectedVersion = parseIfMatch(request.headers.get('if-match'));
  const input = await readJson(request);
  const { created, stored } = await putSegment(plane, {
    environment: await environmentOf(plane.db, principal, request),
    key: params.key,
    actor: principal,
    input,
    expectedVersion,
  });
  return json(created ? 201 : 200, stored, { etag: versionTag(stored.version) });
});

/** If-Match is optional here; when present, a stale version gets 409. A segment a flag uses is 409 `segment_in_use`. */
export const DELETE = endpoint<'segments.write', Params>('segments.write', async ({ request, params, principal, plane }) => {
  const expectedVersion = parseIfMatch(request.headers.get('if-match'));
  await deleteSegment(plane, {
    environment: await environmentOf(plane.db, principal, request),
    key: params.key,
    actor: principal,
    expectedVersion,
  });
  return new Response(null, { status: 204 });
});
