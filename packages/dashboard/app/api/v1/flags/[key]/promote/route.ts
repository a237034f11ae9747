import { authorizeRole, promoteProtectedRole } from '@/src/server/auth/policy';
import { environmentOf } from '@/src/server/auth/principal';
import { previewPromotion, promoteFlag, resolvePromotion } from '@/src/server/flags/promote';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { ApiError, json } from '@/src/server/http/errors';
import { parseIfMatch, versionTag } from '@/src/server/http/preconditions';

type Params = { key: string };

/** `?from=staging&to=production`: the target's version and every setting that promoting would change. */
export const GET = endpoint<'flags.read', Params>('flags.read', async ({ request, params, principal, plane }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const { promotion } = await resolvePromotion(plane.db, params.key, query, await environmentOf(plane.db, principal, request));
  const preview = await previewPromotion(plane, promotion);
  return json(200, preview, { etag: versionTag(preview.to.version) });
});

/**
 * `{ "from": "staging", "to": "production" }` with `If-Match: "<target version>"` (required): copies the
 * configuration. Into a protected environment it needs FLAGLENS_PROMOTE_PROTECTED_ROLE (default admin).
 */
export const POST = endpoint<'flags.promote', Params>('flags.promote', async ({ request, params, principal, plane }) => {
  const expectedVersion = parseIfMatch(request.headers.get('if-match'));
  const body = asObject(await readJson(request), 'the body');
  const { promotion, target } = await resolvePromotion(plane.db, params.key, body, await environmentOf(plane.db, principal, request));
  if (target.protected) authorizeRole(principal, promoteProtectedRole(), `promoting into the protected environment ${promotion.to}`);
  if (expectedVersion === undefined) {
    throw new ApiError(
      428,
      'precondition_required',
      `If-Match is required: send the version of ${params.key} in ${promotion.to} you previewed`,
    );
  }
  const result = await promoteFlag(plane, { ...promotion, actor: principal, expectedVersion });
  return json(200, { changed: result.changed, changes: result.changes, ...result.stored }, { etag: versionTag(result.stored.version) });
});
