import { environmentOf } from '@/src/server/auth/principal';
import { endpoint, intParam } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { readSegmentAudit } from '@/src/server/segments/service';

type Params = { key: string };

/** The segment's audit entries, newest first, each with its changed paths; `?limit=` up to 500. */
export const GET = endpoint<'audit.read', Params>('audit.read', async ({ request, params, principal, plane }) => {
  const entries = await readSegmentAudit(
    plane,
    await environmentOf(plane.db, principal, request),
    params.key,
    intParam(request, 'limit', 100, 500),
  );
  return json(200, { entries });
});
