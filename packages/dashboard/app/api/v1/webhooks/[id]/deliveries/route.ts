import { environmentOf } from '@/src/server/auth/principal';
import { endpoint, intParam } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { readChannel } from '@/src/server/webhooks/channel';
import { listDeliveries } from '@/src/server/webhooks/outbox';

type Params = { id: string };

/** The channel's delivery log, newest first: one row per attempt, with status code or error. */
export const GET = endpoint<'webhooks.read', Params>('webhooks.read', async ({ request, params, principal, plane }) => {
  await readChannel(plane.db, await environmentOf(plane.db, principal, request), params.id);
  return json(200, { attempts: await listDeliveries(plane.db, params.id, intParam(request, 'limit', 100, 500)) });
});
