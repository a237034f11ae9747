import styles from './compare.module.css';
import type { SliceCell, SliceTable } from './slices';
import { VerdictBadge } from './VerdictBadge';

function Cell({ cell }: { cell: SliceCell | undefined }) {
  if (!cell) return <td>—</td>;
  return (
    <td>
      {cell.control} → {cell.value}
      {cell.delta && <span className={styles.interval}>{cell.delta}</span>}
      <VerdictBadge verdict={cell.verdict} text={cell.verdictText} title={cell.title} />
    </td>
  );
}

/** One table per declared slice attribute, showing the cap and how many values it dropped. */
export function SliceTables({ tables, control }: { tables: SliceTable[]; control: string }) {
  if (tables.length === 0) {
    return (
      <p className="hint">
        No slice attributes in this window. Label requests with a small set of attributes (region, plan) to see whether a variant that is
        better overall is worse for one group.
      </p>
    );
  }
  return (
    <>
      {tables.map((table) => (
        <section key={table.attribute} aria-labelledby={`slice-${table.attribute}`}>
          <h3 id={`slice-${table.attribute}`}>By {table.attribute}</h3>
          <p className="hint">{table.caption}</p>
          <table className={styles.summary}>
            <thead>
              <tr>
                <th scope="col">{table.attribute}</th>
                <th scope="col">Variant</th>
                <th scope="col">Error rate ({control} → variant)</th>
                {table.showsQuality && <th scope="col">Accuracy</th>}
                {table.showsQuality && <th scope="col">F1 (macro)</th>}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={`${row.value}:${row.variant}`}>
                  <th scope="row">{row.value}</th>
                  <td>{row.variant}</td>
                  <Cell cell={row.errorRate} />
                  {table.showsQuality && <Cell cell={row.accuracy} />}
                  {table.showsQuality && <Cell cell={row.macroF1} />}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
