import { allowPrivateWebhooks } from '@/src/server/alerts/settings';
import { environmentOf } from '@/src/server/auth/principal';
import { readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { createChannel, listChannels } from '@/src/server/webhooks/channel';

export const GET = endpoint('webhooks.read', async ({ request, principal, plane }) => {
  return json(200, { channels: await listChannels(plane.db, await environmentOf(plane.db, principal, request)) });
});

/** Creates a channel. A generic channel's signing secret is in this response and nowhere else, ever. */
export const POST = endpoint('webhooks.manage', async ({ request, principal, plane }) => {
  const { channel, secret } = await createChannel(
    plane.db,
    await environmentOf(plane.db, principal, request),
    principal,
    await readJson(request),
    allowPrivateWebhooks(),
  );
  return json(201, secret ? { ...channel, secret } : channel, { location: `/api/v1/webhooks/${channel.id}` });
});
