import { environmentOf } from '@/src/server/auth/principal';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { ingestPush } from '@/src/server/ingest/ingest';
import { readPush } from '@/src/server/ingest/request';

/**
 * A service's metric push: the Prometheus text format with cumulative values, from SDK keys only.
 * Answers 200 with what was stored, dropped, or ignored as a duplicate or out-of-order push.
 */
export const POST = endpoint('metrics.push', async ({ request, principal, plane }) => {
  const push = await readPush(request);
  const result = await ingestPush(plane.db, {
    ...push,
    environment: await environmentOf(plane.db, principal, request),
    receivedMs: Date.now(),
  });
  return json(200, result);
});
