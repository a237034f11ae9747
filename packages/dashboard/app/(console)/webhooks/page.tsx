import type { Metadata } from 'next';
import { EnvironmentMark } from '@/src/components/environments/EnvironmentMark';
import { WebhookChannels } from '@/src/components/webhooks/WebhookChannels';
import { hasRole, requireViewer } from '@/src/server/auth/page-session';
import { pageEnvironments } from '@/src/server/environments/page';

export const metadata: Metadata = { title: 'Webhooks · flaglens' };

/** Webhook channels of the current environment: create (admins), test, and each channel's delivery log. */
export default async function WebhooksPage() {
  const viewer = await requireViewer('/webhooks');
  const { current } = await pageEnvironments();
  return (
    <>
      <h1>Webhooks in {current.name}</h1>
      <EnvironmentMark environment={current.key} />
      <p className="hint">
        Alert rules page these channels when they fire and resolve: a generic JSON webhook signed with HMAC-SHA256 (
        <code>X-Flaglens-Signature</code>), a Slack incoming webhook, or PagerDuty Events API v2. Deliveries are retried with backoff until
        they succeed; every attempt is in the log below. Each environment has its own channels.
      </p>
      <WebhookChannels canManage={hasRole(viewer, 'admin')} />
    </>
  );
}
