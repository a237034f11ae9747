import type { Queryable } from '../db/database';
import { decoded } from '../http/decode';
import { ApiError, forbidden, unauthorized } from '../http/errors';
import type { Role } from './policy';
import { findToken, type Principal } from './principal';
import { hashSecret, newSecret, sameHash } from './secrets';

export const SESSION_COOKIE = 'fl_session';
/** Readable by the page's script, which echoes it in the CSRF header. */
export const CSRF_COOKIE = 'fl_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const SESSION_TTL_SECONDS = 12 * 60 * 60;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A cookie of the request, decoded; undefined when absent or not valid percent-encoding. */
export function readCookie(request: Request, name: string): string | undefined {
  for (const pair of (request.headers.get('cookie') ?? '').split(';')) {
    const [rawName, ...rest] = pair.split('=');
    if (rawName?.trim() === name) return decoded(rest.join('=').trim());
  }
  return undefined;
}

export const readSessionCookie = (request: Request) => readCookie(request, SESSION_COOKIE);

/** The principal behind a live session; sessions end with their token's revocation too. */
export async function resolveSession(db: Queryable, sessionSecret: string): Promise<Principal | null> {
  const rows = await db.query<{ id: string; name: string; role: Role; csrf_hash: string }>(
    `select t.id, t.name, t.role, s.csrf_hash from sessions s join tokens t on t.id = s.token_id
     where s.id_hash = $1 and s.expires_at > now() and t.revoked_at is null and t.kind = 'api'`,
    [hashSecret(sessionSecret)],
  );
  const row = rows[0];
  return row ? { kind: 'api', id: row.id, name: row.name, role: row.role, via: 'session', csrfHash: row.csrf_hash } : null;
}

export interface SignIn {
  role: Role;
  sessionSecret: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Exchanges a management token for a browser session; SDK keys cannot sign in. */
export async function signIn(db: Queryable, tokenSecret: string): Promise<SignIn> {
  const token = await findToken(db, tokenSecret);
  if (!token) throw unauthorized('unknown or revoked token');
  if (token.kind !== 'api' || !token.role) throw forbidden('SDK keys cannot sign in');
  const sessionSecret = newSecret('session');
  const csrfToken = newSecret('csrf');
  const rows = await db.query<{ expires_at: Date }>(
    `insert into sessions (id_hash, token_id, csrf_hash, expires_at)
     values ($1, $2, $3, now() + make_interval(secs => $4)) returning expires_at`,
    [hashSecret(sessionSecret), token.id, hashSecret(csrfToken), SESSION_TTL_SECONDS],
  );
  await db.query('delete from sessions where expires_at <= now()');
  return { role: token.role, sessionSecret, csrfToken, expiresAt: new Date(rows[0]?.expires_at ?? Date.now()) };
}

export async function signOut(db: Queryable, request: Request): Promise<void> {
  const session = readSessionCookie(request);
  if (session) await db.query('delete from sessions where id_hash = $1', [hashSecret(session)]);
}

function requestHost(request: Request): string {
  return request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? new URL(request.url).host;
}

/**
 * Cross-site request forgery only works through cookies, so bearer calls need nothing. A state-changing
 * request riding on the session cookie must (1) carry the session's own CSRF token in `X-CSRF-Token` —
 * checked against the hash stored with the session, so a cookie planted by a sibling subdomain cannot
 * forge it as it could a plain double-submit pair — and (2) when the browser says where it came
 * from (Origin, Sec-Fetch-Site), come from this very origin.
 */
export function verifyCsrf(request: Request, principal: Principal | null): void {
  if (principal?.kind !== 'api' || principal.via !== 'session' || SAFE_METHODS.has(request.method)) return;
  verifyOrigin(request);
  const token = request.headers.get(CSRF_HEADER);
  if (!token || !sameHash(hashSecret(token), principal.csrfHash)) {
    throw new ApiError(403, 'csrf_failed', `cookie-authenticated changes need the session's ${CSRF_HEADER} header`);
  }
}

/** Refuses requests a browser marks as coming from another site; used for sign-in as well. */
export function verifyOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  const crossSite = request.headers.get('sec-fetch-site') === 'cross-site';
  if (crossSite || (origin !== null && (origin === 'null' || new URL(origin).host !== requestHost(request)))) {
    throw new ApiError(403, 'csrf_failed', 'cross-origin request refused');
  }
}

function cookie(name: string, value: string, maxAge: number, request: Request, httpOnly: boolean): string {
  const secure = new URL(request.url).protocol === 'https:' || request.headers.get('x-forwarded-proto') === 'https';
  return [
    `${name}=${encodeURIComponent(value)}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'SameSite=Strict',
    httpOnly && 'HttpOnly',
    secure && 'Secure',
  ]
    .filter(Boolean)
    .join('; ');
}

/** Set-Cookie values for a new session, or (without one) ones that clear it. */
export function sessionCookies(request: Request, session?: SignIn): string[] {
  const maxAge = session ? SESSION_TTL_SECONDS : 0;
  return [
    cookie(SESSION_COOKIE, session?.sessionSecret ?? '', maxAge, request, true),
    cookie(CSRF_COOKIE, session?.csrfToken ?? '', maxAge, request, false),
  ];
}
