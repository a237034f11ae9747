import { environmentOf } from '@/src/server/auth/principal';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { listSegments } from '@/src/server/segments/service';

/** The environment's segments by key, each with its version and the flags that use it. */
export const GET = endpoint('segments.read', async ({ request, principal, plane }) => {
  return json(200, { segments: await listSegments(plane, await environmentOf(plane.db, principal, request)) });
});
