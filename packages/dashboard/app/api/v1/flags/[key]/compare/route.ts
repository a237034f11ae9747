import { environmentOf } from '@/src/server/auth/principal';
import { parseCompareParams } from '@/src/server/compare/params';
import { compareFlag } from '@/src/server/compare/service';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

type Params = { key: string };

/** Every variant of the flag against control over `?window=` (see src/server/compare/types.ts for the body). */
export const GET = endpoint<'flags.read', Params>('flags.read', async ({ request, params, principal, plane }) => {
  const query = parseCompareParams(new URL(request.url).searchParams, Date.now());
  return json(200, await compareFlag(plane, environmentOf(principal), params.key, query));
});
