import { environmentOf } from '@/src/server/auth/principal';
import { readJson } from '@/src/server/http/body';
import { endpoint, intParam } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { putRolloutPlan, readRollout } from '@/src/server/rollouts/service';

type Params = { key: string };

/** The flag's rollout: plan, state, current weights, last decision, and the decision timeline (newest first). */
export const GET = endpoint<'rollouts.read', Params>('rollouts.read', async ({ request, params, principal, plane }) => {
  const rollout = await readRollout(
    plane,
    await environmentOf(plane.db, principal, request),
    params.key,
    intParam(request, 'limit', 100, 500),
  );
  return json(200, rollout);
});

/** Sets the flag's rollout plan and starts it over. Invalid plans get `400 invalid_rollout_plan` naming each path. */
export const PUT = endpoint<'rollouts.write', Params>('rollouts.write', async ({ request, params, principal, plane }) => {
  const input = await readJson(request);
  const rollout = await putRolloutPlan(plane, {
    environment: await environmentOf(plane.db, principal, request),
    key: params.key,
    actor: principal,
    input,
  });
  return json(200, rollout);
});
