import type { Metadata } from 'next';
import { EnvironmentMark } from '@/src/components/environments/EnvironmentMark';
import { TokenCreator } from '@/src/components/tokens/TokenCreator';
import { TokenList } from '@/src/components/tokens/TokenList';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { listTokens } from '@/src/server/auth/tokens';
import { pageEnvironments } from '@/src/server/environments/page';
import { getControlPlane } from '@/src/server/plane';

export const metadata: Metadata = { title: 'Tokens & SDK keys · flaglens' };

export default async function TokensPage() {
  const viewer = await requireViewer('/tokens');
  if (!hasRole(viewer, 'admin')) {
    return (
      <p className="callout">
        Tokens and SDK keys are managed by admins; you are signed in as {viewer.role}. Ask an admin for an SDK key for a service, or for a
        token with another role.
      </p>
    );
  }
  const tokens = await listTokens((await getControlPlane()).db);
  const { current } = await pageEnvironments();
  return (
    <>
      <h1>Tokens and SDK keys</h1>
      <EnvironmentMark environment={current.key} />
      <p className="hint">
        Services use SDK keys (<code>FLAGLENS_SDK_KEY</code>) to read flags and push metrics. People and scripts use management tokens, with
        a role. Secrets are shown once, when created; only their hash is stored. A new SDK key belongs to the environment chosen in the
        header, now <strong>{current.name}</strong>, and only ever reads and pushes for it.
      </p>
      <TokenCreator />
      <TokenList tokens={tokens} selfId={viewer.id} />
    </>
  );
}
