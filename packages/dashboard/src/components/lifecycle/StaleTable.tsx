import Link from 'next/link';
import type { StaleFlag } from '@/src/server/stale/report';
import { Table } from '../Table';

const day = (iso: string) => iso.slice(0, 10);

/** The stale-flag report as a table: each flag with why it is debt and what to do about it. */
export function StaleTable({ flags, days }: { flags: StaleFlag[]; days: number }) {
  return (
    <Table
      columns={['Flag', 'Why it is stale', 'What to do']}
      rows={flags}
      caption="Stale flags, with why and what to do"
      empty={
        <p className="card sunk" data-testid="no-stale-flags">
          No stale flags: every flag was changed, evaluated and referenced within the last {days} days.
        </p>
      }
    >
      {(row) => (
        <tr key={row.key} data-flag={row.key}>
          <th scope="row">
            <Link href={`/flags/${encodeURIComponent(row.key)}`}>{row.key}</Link>
            <p className="hint">
              {row.owner ?? 'no owner'} · {row.kind}
            </p>
          </th>
          <td>
            <ul style={{ margin: 0, paddingLeft: '1.1rem' }}>
              {row.reasons.map((reason) => (
                <li key={reason.code} data-reason={reason.code}>
                  {reason.message} <span className="hint">(since {day(reason.since)})</span>
                </li>
              ))}
            </ul>
          </td>
          <td data-testid="advice">{row.advice}</td>
        </tr>
      )}
    </Table>
  );
}
