import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { LoginForm } from '@/src/components/LoginForm';
import { currentViewer } from '@/src/server/auth/page-session';

export const metadata: Metadata = { title: 'Sign in · flaglens' };

// Only same-site paths: an absolute URL here would make the login page an open redirect.
const safeNext = (next: string | string[] | undefined) => (typeof next === 'string' && /^\/(?!\/)/.test(next) ? next : '/flags');

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await currentViewer()) redirect(next);
  return (
    <main>
      <h1>Sign in to flaglens</h1>
      <LoginForm next={next} />
    </main>
  );
}
