import { ENVIRONMENT_PARAM, environmentOf } from '@/src/server/auth/principal';
import { createToken, listTokens, parseTokenSpec } from '@/src/server/auth/tokens';
import { requireEnvironment } from '@/src/server/environments/store';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

/** Every live token; `?environment=` keeps only that environment's SDK keys. */
export const GET = endpoint('tokens.manage', async ({ request, plane }) => {
  const named = new URL(request.url).searchParams.get(ENVIRONMENT_PARAM);
  const environment = named === null ? undefined : (await requireEnvironment(plane.db, named)).key;
  return json(200, { tokens: await listTokens(plane.db, environment) });
});

/** `{ name, role }` for a management token, `{ name, kind: "sdk", environment? }` for an SDK key (default: the request's environment). */
export const POST = endpoint('tokens.manage', async ({ request, principal, plane }) => {
  const spec = parseTokenSpec(asObject(await readJson(request), 'the body'), await environmentOf(plane.db, principal, request));
  return json(201, await createToken(plane.db, spec, principal));
});
