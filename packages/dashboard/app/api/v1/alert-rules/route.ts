import { createRule, listRules } from '@/src/server/alerts/rules';
import { environmentOf } from '@/src/server/auth/principal';
import { readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';
import { versionTag } from '@/src/server/http/preconditions';

/** Every rule of the environment; `?flag=` narrows to the rules that apply to one flag (its own and guardrails). */
export const GET = endpoint('alerts.read', async ({ request, principal, plane }) => {
  const flag = new URL(request.url).searchParams.get('flag') ?? undefined;
  return json(200, { rules: await listRules(plane.db, await environmentOf(plane.db, principal, request), flag) });
});

/** Creates a rule: 201 with the rule, or 400 naming every invalid path. */
export const POST = endpoint('alerts.write', async ({ request, principal, plane }) => {
  const rule = await createRule(plane.db, await environmentOf(plane.db, principal, request), principal, await readJson(request));
  return json(201, rule, { etag: versionTag(rule.version), location: `/api/v1/alert-rules/${rule.id}` });
});
