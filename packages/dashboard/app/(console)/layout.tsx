import Link from 'next/link';
import type { ReactNode } from 'react';
import { LogoutButton } from '@/src/components/LoginForm';
import { currentViewer, hasRole } from '@/src/server/auth/page-session';

/** The signed-in frame: navigation, who is signed in, sign out. Each page checks the session itself. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const viewer = await currentViewer();
  return (
    <>
      <header className="topbar">
        <Link href="/flags" className="brand">
          flaglens
        </Link>
        <nav aria-label="Main">
          <Link href="/flags">Flags</Link>
          {viewer && hasRole(viewer, 'editor') && <Link href="/flags/new">New flag</Link>}
          {viewer && hasRole(viewer, 'admin') && <Link href="/tokens">Tokens &amp; SDK keys</Link>}
        </nav>
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
