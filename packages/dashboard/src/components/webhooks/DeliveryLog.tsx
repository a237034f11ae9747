'use client';

import { Pill } from '../alerts/Pill';
import { describeProblem } from '../api';
import { usePolled } from '../usePolled';

interface Attempt {
  id: string;
  delivery: string;
  idempotencyKey: string;
  phase: string;
  deliveryStatus: 'pending' | 'delivered' | 'dead';
  deliveryAttempts: number;
  nextAttemptAt: string | null;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** A channel's delivery log, newest attempt first: status code or error, the delivery's attempts and its next retry. */
export function DeliveryLog({ channel }: { channel: string }) {
  const log = usePolled<{ attempts: Attempt[] }>(`/api/v1/webhooks/${encodeURIComponent(channel)}/deliveries?limit=50`, 5_000);
  if (log.problem && !log.data) return <p className="callout error">Could not read the delivery log: {describeProblem(log.problem)}</p>;
  const attempts = log.data?.attempts ?? [];
  if (log.data && attempts.length === 0) {
    return (
      <p className="hint" data-testid="webhook-deliveries-empty">
        Nothing delivered yet. Alert rules that list this channel page it when they fire and resolve; the Test button checks it now (tests
        are not queued, so they are not in this log).
      </p>
    );
  }
  return (
    <table data-testid="webhook-deliveries">
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Page</th>
          <th scope="col">Answer</th>
          <th scope="col">Took</th>
          <th scope="col">Delivery</th>
          <th scope="col">Attempts</th>
          <th scope="col">Next retry</th>
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <tr key={a.id} data-testid="webhook-delivery" data-status={a.deliveryStatus}>
            <td>
              <time dateTime={a.at}>{new Date(a.at).toLocaleString()}</time>
            </td>
            <td title={a.idempotencyKey}>{a.phase}</td>
            <td>{a.statusCode !== null ? `HTTP ${a.statusCode}` : (a.error ?? 'no answer')}</td>
            <td>{a.durationMs} ms</td>
            <td>
              <Pill kind="state" value={a.deliveryStatus} />
            </td>
            <td>{a.deliveryAttempts}</td>
            <td>{a.nextAttemptAt ? new Date(a.nextAttemptAt).toLocaleString() : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
