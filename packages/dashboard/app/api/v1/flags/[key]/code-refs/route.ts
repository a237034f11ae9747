import { environmentOf } from '@/src/server/auth/principal';
import { findFlagRefs } from '@/src/server/code-refs/store';
import { readFlag } from '@/src/server/flags/service';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

type Params = { key: string };

/** `{ flag, scans, refs }`: where the environment's pushed code scans reference the flag. */
export const GET = endpoint<'code-refs.read', Params>('code-refs.read', async ({ request, params, principal, plane }) => {
  const environment = await environmentOf(plane.db, principal, request);
  await readFlag(plane, environment, params.key);
  return json(200, await findFlagRefs(plane.db, environment, params.key));
});
