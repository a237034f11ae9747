import { environmentOf } from '@/src/server/auth/principal';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { staleFlags } from '@/src/server/stale/service';
import { staleDaysParam } from '@/src/server/stale/settings';

/** The environment's stale-flag report; `?days=` (default `FLAGLENS_STALE_DAYS`, 30). */
export const GET = endpoint('flags.read', async ({ request, principal, plane }) => {
  const days = staleDaysParam(new URL(request.url).searchParams.get('days'));
  return json(200, await staleFlags(plane, await environmentOf(plane.db, principal, request), { days }));
});
