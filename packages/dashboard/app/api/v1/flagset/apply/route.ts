import { environmentOf } from '@/src/server/auth/principal';
import { APPLY_LIMIT_BYTES, parseApplyRequest } from '@/src/server/flagset/document';
import { applyFlagset } from '@/src/server/flagset/service';
import { readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

/** Body: a flag set file plus `dryRun` and `prune`. Returns `{ applied, plan }`; all or nothing. */
export const POST = endpoint('flagset.apply', async ({ request, principal, plane }) => {
  const body = parseApplyRequest(await readJson(request, { limit: APPLY_LIMIT_BYTES }));
  return json(
    200,
    await applyFlagset(plane, { environment: await environmentOf(plane.db, principal, request), actor: principal, request: body }),
  );
});
