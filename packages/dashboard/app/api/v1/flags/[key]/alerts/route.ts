import { flagAlertsView } from '@/src/server/alerts/view';
import { environmentOf } from '@/src/server/auth/principal';
import { endpoint, intParam } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

type Params = { key: string };

/**
 * The flag's rules (its own and guardrails), each rule's current state with its last decision record, its
 * recent decisions, and the alert events.
 */
export const GET = endpoint<'alerts.read', Params>('alerts.read', async ({ request, params, principal, plane }) => {
  const view = await flagAlertsView(
    plane.db,
    await environmentOf(plane.db, principal, request),
    params.key,
    intParam(request, 'limit', 100, 500),
  );
  return json(200, view);
});
