import { environmentOf } from '@/src/server/auth/principal';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { deleteChannel, readChannel } from '@/src/server/webhooks/channel';

type Params = { id: string };

export const GET = endpoint<'webhooks.read', Params>('webhooks.read', async ({ request, params, principal, plane }) => {
  return json(200, await readChannel(plane.db, await environmentOf(plane.db, principal, request), params.id));
});

/** Deletes the channel; deliveries already queued still go out, and its log stays readable. */
export const DELETE = endpoint<'webhooks.manage', Params>('webhooks.manage', async ({ request, params, principal, plane }) => {
  await deleteChannel(plane.db, await environmentOf(plane.db, principal, request), principal, params.id);
  return new Response(null, { status: 204 });
});
