import { environmentOf } from '@/src/server/auth/principal';
import { exportFlagset } from '@/src/server/flagset/service';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

/** The environment's flag set as a file: `{ environment, flags, segments, versions }`, what `POST /flagset/apply` takes back. */
export const GET = endpoint('flagset.export', async ({ request, principal, plane }) => {
  return json(200, await exportFlagset(plane, await environmentOf(plane.db, principal, request)));
});
