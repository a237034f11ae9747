import { environmentOf } from '@/src/server/auth/principal';
import { rollbackFlag } from '@/src/server/flags/service';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { badRequest, json } from '@/src/server/http/errors';
import { versionTag } from '@/src/server/http/preconditions';

type Params = { key: string };

/** The kill switch. Optional body `{ "reason": "..." }`, kept in the audit entry. */
export const POST = endpoint<'flags.rollback', Params>('flags.rollback', async ({ request, params, principal, plane }) => {
  const body = await readJson(request, { optional: true });
  const reason = body === undefined ? undefined : asObject(body, 'the body').reason;
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > 1024))
    throw badRequest('reason must be a string of at most 1024 characters');
  const { changed, stored } = await rollbackFlag(plane, {
    environment: await environmentOf(plane.db, principal, request),
    key: params.key,
    actor: principal,
    reason,
  });
  return json(200, { changed, ...stored }, { etag: versionTag(stored.version) });
});
