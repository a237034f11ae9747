import { allowPrivateWebhooks } from '@/src/server/alerts/settings';
import { environmentOf } from '@/src/server/auth/principal';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { readChannel } from '@/src/server/webhooks/channel';
import { DEFAULT_DELIVERY } from '@/src/server/webhooks/outbox';
import { probeChannel } from '@/src/server/webhooks/probe';

type Params = { id: string };

/** Sends a test notification now and returns the attempt: `{ ok, statusCode, error, durationMs }`. */
export const POST = endpoint<'webhooks.manage', Params>('webhooks.manage', async ({ request, params, principal, plane }) => {
  const environment = await environmentOf(plane.db, principal, request);
  await readChannel(plane.db, environment, params.id);
  const result = await probeChannel(plane.db, environment, params.id, { ...DEFAULT_DELIVERY, allowPrivate: allowPrivateWebhooks() });
  return json(200, result);
});
