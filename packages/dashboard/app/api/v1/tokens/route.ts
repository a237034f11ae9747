import { DEFAULT_ENVIRONMENT } from '@/src/server/auth/principal';
import { createToken, listTokens, parseTokenSpec } from '@/src/server/auth/tokens';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { json } from '@/src/server/http/errors';

export const GET = endpoint('tokens.manage', async ({ plane }) => json(200, { tokens: await listTokens(plane.db) }));

/** `{ name, role }` for a management token, `{ name, kind: "sdk", environment? }` for an SDK key. */
export const POST = endpoint('tokens.manage', async ({ request, principal, plane }) => {
  const spec = parseTokenSpec(asObject(await readJson(request), 'the body'), DEFAULT_ENVIRONMENT);
  return json(201, await createToken(plane.db, spec, principal));
});
