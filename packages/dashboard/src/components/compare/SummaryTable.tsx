import { Table } from '../Table';
import styles from './compare.module.css';
import type { CandidateSummary, SummaryRow } from './summary';
import { VerdictBadge } from './VerdictBadge';

function Significance({ row }: { row: SummaryRow }) {
  if (!row.method) return <span className={styles.info}>—</span>;
  return (
    <span title={`Method: ${row.method}`}>
      {row.pValue ?? 'interval test'}
      <span className="sr-only">, method: {row.method}</span>
    </span>
  );
}

const rowClass = (row: SummaryRow) => (row.verdict === 'worse' ? styles.rowWorse : row.verdict === 'better' ? styles.rowBetter : undefined);

/** Every figure of one candidate beside control: value, difference, interval, significance and verdict. */
export function SummaryTable({ summary, windowLabel }: { summary: CandidateSummary; windowLabel: string }) {
  return (
    <section aria-labelledby={`summary-${summary.shadow ? 'shadow-' : ''}${summary.variant}`} data-shadow={summary.shadow}>
      <h3 id={`summary-${summary.shadow ? 'shadow-' : ''}${summary.variant}`}>
        {summary.variant} vs {summary.control}
        {summary.shadow && (
          <>
            {' '}
            <span className={styles.shadowBadge}>shadow</span>
          </>
        )}
      </h3>
      {summary.shadow && (
        <p className="hint">
          Dark launch: {summary.variant} answered a sample of the same requests in the background; its answers were not served.
        </p>
      )}
      <p className="hint" data-testid={summary.shadow ? 'shadow-summary-headline' : 'summary-headline'}>
        {summary.headline}
      </p>
      <Table
        className={styles.summary}
        aria-label={`Summary: ${summary.variant}${summary.shadow ? ' (shadow)' : ''} against ${summary.control}`}
        caption={`${summary.variant} against ${summary.control} over the last ${windowLabel}; intervals at 95%`}
        columns={['Figure', `${summary.control} (control)`, summary.variant, 'Difference', 'Significance', 'Verdict']}
        rows={summary.rows}
      >
        {(row) => (
          <tr key={row.id} className={rowClass(row)} data-figure={row.figure}>
            <th scope="row">{row.figure}</th>
            <td>{row.control}</td>
            <td>
              {row.value}
              {row.valueInterval && <span className={styles.interval}>{row.valueInterval}</span>}
            </td>
            <td>
              {row.delta ?? '—'}
              {row.relative && ` (${row.relative})`}
              {row.deltaInterval && <span className={styles.interval}>{row.deltaInterval}</span>}
            </td>
            <td>
              <Significance row={row} />
            </td>
            <td>
              <VerdictBadge verdict={row.verdict} text={row.verdictText} title={row.method && `Method: ${row.method}`} />
            </td>
          </tr>
        )}
      </Table>
    </section>
  );
}
