import { sessionCookies, signIn, signOut, verifyOrigin } from '@/src/server/auth/sessions';
import { asObject, readJson } from '@/src/server/http/body';
import { endpoint } from '@/src/server/http/endpoint';
import { badRequest, json } from '@/src/server/http/errors';

/** Browser sign-in: `{ "token": "fl_..." }` → session cookie, plus the CSRF token for `X-CSRF-Token`. */
export const POST = endpoint('session.login', async ({ request, plane }) => {
  // A forged sign-in would put the victim's browser into the attacker's account.
  verifyOrigin(request);
  const { token } = asObject(await readJson(request), 'the body');
  if (typeof token !== 'string' || token === '') throw badRequest('token must be a non-empty string');
  const session = await signIn(plane.db, token);
  const response = json(200, { role: session.role, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() });
  for (const cookie of sessionCookies(request, session)) response.headers.append('set-cookie', cookie);
  return response;
});

export const DELETE = endpoint('session.logout', async ({ request, plane }) => {
  await signOut(plane.db, request);
  const response = new Response(null, { status: 204 });
  for (const cookie of sessionCookies(request)) response.headers.append('set-cookie', cookie);
  return response;
});
