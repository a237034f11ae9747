import { deleteRule, readRule, updateRule } from '@/src/server/alerts/rules';
import { environmentOf } from '@/src/server/auth/principal';
import { readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { parseIfMatch, versionTag } from '@/src/server/http/preconditions';

type Params = { id: string };

export const GET = endpoint<'alerts.read', Params>('alerts.read', async ({ request, params, principal, plane }) => {
  const rule = await readRule(plane.db, await environmentOf(plane.db, principal, request), params.id);
  return json(200, rule, { etag: versionTag(rule.version) });
});

/** Replaces the definition; with `If-Match: "n"` a stale version gets 409. */
export const PUT = endpoint<'alerts.write', Params>('alerts.write', async ({ request, params, principal, plane }) => {
  const expected = parseIfMatch(request.headers.get('if-match'));
  const rule = await updateRule(
    plane.db,
    await environmentOf(plane.db, principal, request),
    principal,
    params.id,
    await readJson(request),
    expected,
  );
  return json(200, rule, { etag: versionTag(rule.version) });
});

export const DELETE = endpoint<'alerts.write', Params>('alerts.write', async ({ request, params, principal, plane }) => {
  await deleteRule(plane.db, await environmentOf(plane.db, principal, request), principal, params.id);
  return new Response(null, { status: 204 });
});
