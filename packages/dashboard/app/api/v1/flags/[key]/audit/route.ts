import { environmentOf } from '@/src/server/auth/principal';
import { readFlagAudit } from '@/src/server/flags/service';
import { endpoint, intParam } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

type Params = { key: string };

/** The flag's audit entries, newest first, each with its changed paths; `?limit=` up to 500. */
export const GET = endpoint<'audit.read', Params>('audit.read', async ({ request, params, principal, plane }) => {
  const entries = await readFlagAudit(
    plane,
    await environmentOf(plane.db, principal, request),
    params.key,
    intParam(request, 'limit', 100, 500),
  );
  return json(200, { entries });
});
