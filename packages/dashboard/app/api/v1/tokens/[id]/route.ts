import { revokeToken } from '@/src/server/auth/tokens';
import { endpoint } from '@/src/server/http/endpoint';

type Params = { id: string };

/** Revokes the token and ends its sessions at once. */
export const DELETE = endpoint<'tokens.manage', Params>('tokens.manage', async ({ params, principal, plane }) => {
  await revokeToken(plane.db, params.id, principal);
  return new Response(null, { status: 204 });
});
