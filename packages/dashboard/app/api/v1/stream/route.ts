import { environmentOf } from '@/src/server/auth/principal';
import { endpoint } from '@/src/server/http/endpoint';

// A long-lived response per request: never prerendered, and on Node, where the feed's connections live.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/** Server-Sent Events: `retry`, the environment's whole set, then the whole set after every change; heartbeats between. */
export const GET = endpoint('flags.read-set', async ({ request, principal, plane }) => {
  const body = plane.streams.open(await environmentOf(plane.db, principal, request), request.signal);
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform keeps compression (Next's included) from buffering events; nginx reads X-Accel-Buffering.
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    },
  });
});
