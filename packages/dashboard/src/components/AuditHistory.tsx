import type { AuditEntry } from '@/src/server/audit/log';
import { Actor } from './Actor';
import { Table } from './Table';
import { UtcTime } from './Time';

const ACTIONS: Record<AuditEntry['action'], string> = {
  'flag.create': 'Created',
  'flag.update': 'Changed',
  'flag.delete': 'Deleted',
  'flag.rollback': 'Rolled back',
  'flag.promote': 'Promoted',
  'flag.metadata': 'Owner, tags or kind changed',
  'flag.archive': 'Archived',
  'flag.restore': 'Restored',
  'environment.create': 'Environment created',
  'token.create': 'Token created',
  'token.revoke': 'Token revoked',
  'segment.create': 'Created',
  'segment.update': 'Changed',
  'segment.delete': 'Deleted',
};

// Long values (whole model configs) would push the table off screen; the full text stays in the title.
function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function Changes({ entry }: { entry: AuditEntry }) {
  if (entry.changes.length === 0) return <p className="hint">No change to the definition.</p>;
  const table = (
    <Table columns={['Setting', 'Before', 'After']} rows={entry.changes}>
      {(change) => (
        <tr key={change.path}>
          <td>
            <code>{change.path || '(whole flag)'}</code>
          </td>
          <td className="diff-before" title={JSON.stringify(change.before)}>
            {'before' in change ? <code>{show(change.before)}</code> : <span className="hint">(not set)</span>}
          </td>
          <td className="diff-after" title={JSON.stringify(change.after)}>
            {'after' in change ? <code>{show(change.after)}</code> : <span className="hint">(removed)</span>}
          </td>
        </tr>
      )}
    </Table>
  );
  // A creation lists every setting; open by default only the short diffs people came to read.
  return (
    <details open={entry.action !== 'flag.create' && entry.action !== 'segment.create' && entry.changes.length <= 12}>
      <summary>
        {entry.changes.length} {entry.changes.length === 1 ? 'setting' : 'settings'}
      </summary>
      {table}
    </details>
  );
}

/** A flag's history, newest first, each entry with who, when, and what changed. */
export function AuditHistory({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p className="hint">No history yet.</p>;
  return (
    <ol style={{ listStyle: 'none', padding: 0 }} aria-label="Audit history">
      {entries.map((entry) => (
        <li key={entry.id} className="card" data-action={entry.action}>
          <p style={{ margin: '0 0 0.3rem' }}>
            <strong>{ACTIONS[entry.action]}</strong>
            {entry.version !== null && <> · version {entry.version}</>} · by <Actor actor={entry.actor} /> ·{' '}
            <UtcTime at={entry.at} seconds />
          </p>
          {entry.note && <p className="hint">Reason: {entry.note}</p>}
          <Changes entry={entry} />
        </li>
      ))}
    </ol>
  );
}
