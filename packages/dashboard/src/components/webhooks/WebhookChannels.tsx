'use client';

import { useState } from 'react';
import type { WebhookChannel } from '@/src/server/webhooks/channel';
import type { AttemptResult } from '@/src/server/webhooks/send';
import { callApi, describeProblem } from '../api';
import { usePolled } from '../usePolled';
import { ChannelCreator } from './ChannelCreator';
import { DeliveryLog } from './DeliveryLog';

/** The result of a test send, in words. */
const testWords = (r: AttemptResult) =>
  r.ok
    ? `Delivered: HTTP ${r.statusCode} in ${r.durationMs} ms.`
    : `Failed: ${r.statusCode !== null ? `HTTP ${r.statusCode}` : r.error} (${r.durationMs} ms).`;

function ChannelCard({ channel, canManage, onDeleted }: { channel: WebhookChannel; canManage: boolean; onDeleted(): void }) {
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  async function test() {
    setBusy(true);
    setResult('Sending a test notification…');
    const answer = await callApi<AttemptResult>('POST', `/api/v1/webhooks/${encodeURIComponent(channel.id)}/test`, { body: {} });
    setBusy(false);
    setResult(answer.ok ? testWords(answer.data) : describeProblem(answer.problem));
  }

  async function remove() {
    const answer = await callApi('DELETE', `/api/v1/webhooks/${encodeURIComponent(channel.id)}`);
    setConfirming(false);
    if (answer.ok) onDeleted();
    else setResult(describeProblem(answer.problem));
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
            {confirming ? (
              <button type="button" className="danger" onClick={remove} data-testid="webhook-delete-confirm">
                Yes, delete (queued pages still go out)
              </button>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirming(true)} data-testid="webhook-delete">
                Delete
              </button>
            )}
          </div>
        )}
      </div>
      <p className="hint" style={{ margin: '0.3rem 0' }}>
        <code>{channel.id}</code> → {channel.url} · created by {channel.createdBy}, {new Date(channel.createdAt).toLocaleString()}
      </p>
      <div role="status" aria-live="polite" className="status" data-testid="webhook-test-result">
        {result}
      </div>
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
      {channels.problem && <p className="callout error">Could not read the channels: {describeProblem(channels.problem)}</p>}
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
