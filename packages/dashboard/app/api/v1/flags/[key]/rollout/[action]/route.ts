import { environmentOf } from '@/src/server/auth/principal';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { badRequest, json, notFound } from '@/src/server/http/errors';
import { actOnRollout, ROLLOUT_ACTIONS, type RolloutAction } from '@/src/server/rollouts/service';

type Params = { key: string; action: string };

const isAction = (value: string): value is RolloutAction => (ROLLOUT_ACTIONS as readonly string[]).includes(value);

/** `POST …/rollout/pause|resume|skip|abort`, optional body `{ "note": "..." }` kept in the audit entry. */
export const POST = endpoint<'rollouts.write', Params>('rollouts.write', async ({ request, params, principal, plane }) => {
  if (!isAction(params.action)) throw notFound(`no rollout action ${JSON.stringify(params.action)}; one of ${ROLLOUT_ACTIONS.join(', ')}`);
  const body = await readJson(request, { optional: true });
  const note = body === undefined ? undefined : asObject(body, 'the body').note;
  if (note !== undefined && (typeof note !== 'string' || note.length > 512))
    throw badRequest('note must be a string of at most 512 characters');
  const rollout = await actOnRollout(plane, {
    environment: await environmentOf(plane.db, principal, request),
    key: params.key,
    actor: principal,
    action: params.action,
    note,
  });
  return json(200, rollout);
});
