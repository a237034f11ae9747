import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getControlPlane } from '../plane';
import { ROLES, type Role } from './policy';
import type { Principal } from './principal';
import { resolveSession, SESSION_COOKIE } from './sessions';

/** The signed-in person behind a page request, as pages need it. */
export type PageViewer = Extract<Principal, { via: 'session' }>;

/**
 * The session behind the page request, or null; pages read through the same check as the API.
 * Cached per request, because the layout and the page both ask.
 */
export const currentViewer = cache(async (): Promise<PageViewer | null> => {
  const secret = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!secret) return null;
  const plane = await getControlPlane();
  const principal = await resolveSession(plane.db, secret);
  return principal?.kind === 'api' && principal.via === 'session' ? principal : null;
});

/** The viewer, or a redirect to the login page that comes back to `returnTo` afterwards. */
export async function requireViewer(returnTo: string): Promise<PageViewer> {
  const viewer = await currentViewer();
  if (!viewer) redirect(`/login?next=${encodeURIComponent(returnTo)}`);
  return viewer;
}

export const hasRole = (viewer: PageViewer, role: Role) => ROLES.indexOf(viewer.role) >= ROLES.indexOf(role);
