import Link from 'next/link';
import type { ReactNode } from 'react';
import { EnvironmentSwitcher } from '@/src/components/environments/EnvironmentSwitcher';
import { LogoutButton } from '@/src/components/LoginForm';
import { currentViewer, hasRole } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';

/**
 * The signed-in frame: navigation, the environment switcher, who is signed in, sign out. A protected
 * environment (production) gets a band across the console, so nobody changes it thinking it is staging.
 * Each page checks the session itself.
 */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const viewer = await currentViewer();
  const { current, environments } = await pageEnvironments();
  return (
    <>
      {viewer && current.protected && (
        <p className="env-band" data-testid="env-band">
          {current.name.toUpperCase()} · changes here reach live traffic
        </p>
      )}
      <header className={`topbar${viewer && current.protected ? ' protected' : ''}`}>
        <Link href="/flags" className="brand">
          flaglens
        </Link>
        <nav aria-label="Main">
          <Link href="/flags">Flags</Link>
          {viewer && <Link href="/flags/stale">Stale flags</Link>}
          {viewer && <Link href="/segments">Segments</Link>}
          {viewer && hasRole(viewer, 'editor') && <Link href="/flags/new">New flag</Link>}
          {viewer && <Link href="/webhooks">Webhooks</Link>}
          {viewer && hasRole(viewer, 'admin') && <Link href="/tokens">Tokens &amp; SDK keys</Link>}
        </nav>
        {viewer && <EnvironmentSwitcher environments={environments} current={current.key} />}
        {viewer && (
          <span className="who">
            {viewer.name} ({viewer.role}) <LogoutButton />
          </span>
        )}
      </header>
      <main>{children}</main>
    </>
  );
}
