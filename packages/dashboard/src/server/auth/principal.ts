import type { Queryable } from '../db/database';
import { DEFAULT_ENVIRONMENT, findEnvironment, requireEnvironment } from '../environments/store';
import { unauthorized } from '../http/errors';
import type { Role } from './policy';
import { hashSecret } from './secrets';
import { readCookie, readSessionCookie, resolveSession } from './sessions';

/** Who made a request, as recorded in the audit log. */
export interface Actor {
  id: string;
  name: string;
}

/** An authenticated caller: a management token (bearer or browser session) or an SDK key. */
export type Principal =
  | (Actor & { kind: 'api'; role: Role; via: 'bearer' })
  | (Actor & { kind: 'api'; role: Role; via: 'session'; csrfHash: string })
  | (Actor & { kind: 'sdk'; environment: string });

/** The query parameter that selects the environment of a management request. */
export const ENVIRONMENT_PARAM = 'environment';
/** Set by the console's environment switcher; used for session requests that name no environment. */
export const ENVIRONMENT_COOKIE = 'flaglens_env';

/**
 * The environment a request acts on. An SDK key is bound to its own and ignores everything else, so a
 * staging key can never read production. A management request: `?environment=`, else (browser sessions)
 * the switcher's cookie, else production. A parameter naming no environment is a 404 naming it; a
 * cookie naming none is ignored, as the pages ignore it, so the API never acts elsewhere than the page shows.
 */
export async function environmentOf(db: Queryable, principal: Principal, request: Request): Promise<string> {
  if (principal.kind === 'sdk') return principal.environment;
  const named = new URL(request.url).searchParams.get(ENVIRONMENT_PARAM);
  if (named !== null) return (await requireEnvironment(db, named)).key;
  const chosen = principal.via === 'session' ? readCookie(request, ENVIRONMENT_COOKIE) : undefined;
  if (chosen && (await findEnvironment(db, chosen))) return chosen;
  return DEFAULT_ENVIRONMENT;
}

interface TokenRow {
  id: string;
  name: string;
  kind: 'api' | 'sdk';
  role: Role | null;
  environment: string | null;
}

/** The live (not revoked) token a secret belongs to. */
export async function findToken(db: Queryable, secret: string): Promise<TokenRow | undefined> {
  const rows = await db.query<TokenRow>(
    'select id, name, kind, role, environment from tokens where token_hash = $1 and revoked_at is null',
    [hashSecret(secret)],
  );
  return rows[0];
}

export function principalOfToken(token: TokenRow): Principal {
  if (token.kind === 'sdk' && token.environment) return { kind: 'sdk', id: token.id, name: token.name, environment: token.environment };
  if (token.kind === 'api' && token.role) return { kind: 'api', id: token.id, name: token.name, role: token.role, via: 'bearer' };
  throw new Error(`token ${token.id} violates the tokens table's kind check`);
}

/**
 * Who is calling: a bearer token when there is an Authorization header (a wrong one is 401), else the
 * session cookie, else nobody. A stale session cookie counts as nobody, so signing in again still works.
 */
export async function authenticate(db: Queryable, request: Request): Promise<Principal | null> {
  const header = request.headers.get('authorization');
  if (header !== null) {
    const secret = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
    if (!secret) throw unauthorized('Authorization must be "Bearer <token>"');
    const token = await findToken(db, secret);
    if (!token) throw unauthorized('unknown or revoked token');
    return principalOfToken(token);
  }
  const session = readSessionCookie(request);
  return session ? resolveSession(db, session) : null;
}
