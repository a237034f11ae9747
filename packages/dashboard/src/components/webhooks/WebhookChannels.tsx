'use client';

import { useState } from 'react';
import type { WebhookChannel } from '@/src/server/webhooks/channel';
import type { AttemptResult } from '@/src/server/webhooks/send';
import { callApi, describeProblem } from '../api';
import { type Status, StatusLine } from '../StatusLine';
import { LocalTime } from '../Time';
import { TwoStepButton } from '../TwoStepButton';
import { usePolled } from '../usePolled';
import { ChannelCreator } from './ChannelCreator';
import { DeliveryLog } from './DeliveryLog';
import { deliveryProblem } from './delivery-problem';

/** The result of a test send, in words; a failure also gives its raw status or error, as the receiver's logs would. */
function testWords(r: AttemptResult): string {
  if (r.ok) return `Delivered: HTTP ${r.statusCode} in ${r.durationMs} ms.`;
  const raw = r.statusCode !== null ? `HTTP ${r.statusCode}` : r.error;
  const words = deliveryProblem(r);
  return words ? `Failed: ${words} (${raw}, ${r.durationMs} ms)` : `Failed: ${raw} (${r.durationMs} ms).`;
}

function ChannelCard({ channel, canManage, onDeleted }: { channel: WebhookChannel; canManage: boolean; onDeleted(): void }) {
  const [result, setResult] = useState<Status>(null);
  const [busy, setBusy] = useState(false);

  async function test() {
    setBusy(true);
    setResult({ tone: 'ok', text: 'Sending a test notification…' });
    const answer = await callApi<AttemptResult>('POST', `/api/v1/webhooks/${encodeURIComponent(channel.id)}/test`, { body: {} });
    setBusy(false);
    if (!answer.ok) setResult({ tone: 'error', text: describeProblem(answer.problem, 'Not sent') });
    else setResult({ tone: answer.data.ok ? 'ok' : 'error', text: testWords(answer.data) });
  }

  async function remove() {
    const answer = await callApi('DELETE', `/api/v1/webhooks/${encodeURIComponent(channel.id)}`);
    if (answer.ok) onDeleted();
    else setResult({ tone: 'error', text: describeProblem(answer.problem, 'Not deleted') });
  }

  return (
    <article className="card" data-testid={`webhook-${channel.id}`} data-channel-name={channel.name}>
      <div className="spread">
        <h3 style={{ margin: 0 }}>
          {channel.name} <span className="hint">({channel.format})</span>
        </h3>
        {canManage && (
          <div className="row">
            <button type="button" disabled={busy} onClick={test} data-testid="webhook-test">
              Test
            </button>
            <TwoStepButton
              label="Delete"
              confirmLabel="Yes, delete (its queued pages are cancelled)"
              busyLabel="Deleting…"
              onConfirm={remove}
              testId="webhook-delete"
              confirmTestId="webhook-delete-confirm"
            />
          </div>
        )}
      </div>
      <p className="hint" style={{ margin: '0.3rem 0' }}>
        <code>{channel.id}</code> → {channel.url} · created by {channel.createdBy}, <LocalTime at={channel.createdAt} />
      </p>
      <StatusLine status={result} testId="webhook-test-result" />
      <details open>
        <summary>Delivery log</summary>
        <DeliveryLog channel={channel.id} />
      </details>
    </article>
  );
}

/** Every channel with its test button and delivery log, and the creation form for admins. */
export function WebhookChannels({ canManage }: { canManage: boolean }) {
  const channels = usePolled<{ channels: WebhookChannel[] }>('/api/v1/webhooks', 30_000);
  const list = channels.data?.channels ?? [];
  return (
    <>
      {canManage ? (
        <ChannelCreator onCreated={() => void channels.reload()} />
      ) : (
        <p className="callout">Admins create and delete channels; you can read them and their delivery logs.</p>
      )}
      {channels.problem && <p className="callout error">{describeProblem(channels.problem, 'Could not read the channels')}</p>}
      {channels.data && list.length === 0 && (
        <p className="card sunk" data-testid="webhooks-empty">
          No channels yet. {canManage ? 'Create one above, press Test to check it, ' : 'An admin creates them; then '}
          list it in an alert rule’s “Notify” on a flag page.
        </p>
      )}
      {list.map((channel) => (
        <ChannelCard key={channel.id} channel={channel} canManage={canManage} onDeleted={() => void channels.reload()} />
      ))}
    </>
  );
}
