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

/** One table per declared slice attribute, showing the cap and how many values it dropped; `shadow` marks shadow runs' tables. */
export function SliceTables({ tables, control, shadow = false }: { tables: SliceTable[]; control: string; shadow?: boolean }) {
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
        <section key={table.attribute} aria-labelledby={`slice-${shadow ? 'shadow-' : ''}${table.attribute}`}>
          <h3 id={`slice-${shadow ? 'shadow-' : ''}${table.attribute}`}>
            By {table.attribute}
            {shadow && ' (shadow runs)'}
          </h3>
          <p className="hint">{table.caption}</p>
          <table className={styles.summary}>
            <thead>
              <tr>
                <th scope="col">{table.attribute}</th>
                <th scope="col">Variant</th>
                {table.showsErrors && <th scope="col">Error rate ({control} → variant)</th>}
                {table.showsQuality && <th scope="col">Accuracy ({control} → variant)</th>}
                {table.showsQuality && <th scope="col">F1 (macro)</th>}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((row) => (
                <tr key={`${row.value}:${row.variant}`}>
                  <th scope="row">{row.value}</th>
                  <td>{row.variant}</td>
                  {table.showsErrors && <Cell cell={row.errorRate} />}
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
