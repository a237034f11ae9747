'use client';

import { Pill } from '../alerts/Pill';
import { describeProblem } from '../api';
import { Table } from '../Table';
import { LocalTime } from '../Time';
import { usePolled } from '../usePolled';
import { type AttemptAnswer, deliveryProblem } from './delivery-problem';

interface Attempt extends AttemptAnswer {
  id: string;
  delivery: string;
  idempotencyKey: string;
  phase: string;
  deliveryStatus: 'pending' | 'delivered' | 'dead';
  deliveryAttempts: number;
  nextAttemptAt: string | null;
  at: string;
  durationMs: number;
}

/** An attempt's answer: a failure in words, the raw status or error kept for whoever greps the receiver's logs. */
function Answer({ answer }: { answer: AttemptAnswer }) {
  const raw = answer.error ?? (answer.statusCode !== null ? `HTTP ${answer.statusCode}` : 'no answer');
  const words = deliveryProblem(answer);
  if (!words) return raw;
  return (
    <details data-testid="webhook-delivery-problem" title={raw}>
      <summary>{words}</summary>
      <code>{raw}</code>
    </details>
  );
}

/** A channel's delivery log, newest attempt first: status code or error, the delivery's attempts and its next retry. */
export function DeliveryLog({ channel }: { channel: string }) {
  const log = usePolled<{ attempts: Attempt[] }>(`/api/v1/webhooks/${encodeURIComponent(channel)}/deliveries?limit=50`, 5_000);
  if (log.problem && !log.data) return <p className="callout error">{describeProblem(log.problem, 'Could not read the delivery log')}</p>;
  if (!log.data) return null;
  return (
    <Table
      columns={['When', 'Page', 'Answer', 'Took', 'Delivery', 'Attempts', 'Next retry']}
      rows={log.data.attempts}
      data-testid="webhook-deliveries"
      empty={
        <p className="hint" data-testid="webhook-deliveries-empty">
          Nothing delivered yet. Alert rules that list this channel page it when they fire and resolve; the Test button checks it now (tests
          are not queued, so they are not in this log).
        </p>
      }
    >
      {(a) => (
        <tr key={a.id} data-testid="webhook-delivery" data-status={a.deliveryStatus}>
          <td>
            <LocalTime at={a.at} />
          </td>
          <td title={a.idempotencyKey}>{a.phase}</td>
          <td>
            <Answer answer={a} />
          </td>
          <td>{a.durationMs} ms</td>
          <td>
            <Pill kind="state" value={a.deliveryStatus} />
          </td>
          <td>{a.deliveryAttempts}</td>
          <td>{a.nextAttemptAt ? <LocalTime at={a.nextAttemptAt} /> : '—'}</td>
        </tr>
      )}
    </Table>
  );
}
