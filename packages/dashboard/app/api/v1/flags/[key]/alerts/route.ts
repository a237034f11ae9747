import { listRules } from '@/src/server/alerts/rules';
import { flagAlerts, rolloutHolds } from '@/src/server/alerts/state';
import { environmentOf } from '@/src/server/auth/principal';
import { endpoint, intParam } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

type Params = { key: string };

/** The flag's rules (its own and guardrails), each rule's current state with its last decision record, and the alert events. */
export const GET = endpoint<'alerts.read', Params>('alerts.read', async ({ request, params, principal, plane }) => {
  const environment = environmentOf(principal);
  const rules = await listRules(plane.db, environment, params.key);
  const { states, events } = await flagAlerts(plane.db, environment, params.key, intParam(request, 'limit', 100, 500));
  const holds = await rolloutHolds(plane.db, environment, params.key);
  return json(200, { rules, states, events, rolloutHeld: holds.length > 0, holds });
});
