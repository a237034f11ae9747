import type { ClassCell, ClassTable } from './classes';
import styles from './compare.module.css';

const FIGURES = ['Support', 'Precision', 'Recall', 'F1'] as const;

function Cell({ cell }: { cell: ClassCell }) {
  return (
    <td title={cell.missing && `Not enough data: ${cell.missing}`}>
      {cell.value}
      {cell.interval && <span className={styles.interval}>{cell.interval}</span>}
    </td>
  );
}

/** Precision, recall and F1 per class with their intervals, control beside each candidate. */
export function ClassTables({ tables }: { tables: ClassTable[] }) {
  if (tables.length === 0) return null;
  return (
    <>
      <h2>Quality per class</h2>
      <p className="hint">
        95% intervals: Wilson for precision and recall; F1 between F1 of the 97.5% bounds of both. Macro averages, with their test against
        control, are in the summary.
      </p>
      {tables.map((table) => {
        const name = table.shadow ? `${table.variant} (shadow)` : table.variant;
        return (
          <section key={`${table.shadow ? 'shadow' : 'served'}:${table.variant}`} data-testid="class-table" data-shadow={table.shadow}>
            <h3>
              {name} vs {table.control}
              {table.shadow && (
                <>
                  {' '}
                  <span className={styles.shadowBadge}>shadow</span>
                </>
              )}
            </h3>
            <table className={styles.summary} aria-label={`Per-class quality: ${name} against ${table.control}`}>
              <thead>
                <tr>
                  <th scope="col" rowSpan={2}>
                    Class
                  </th>
                  {FIGURES.map((figure) => (
                    <th scope="colgroup" colSpan={2} key={figure}>
                      {figure}
                    </th>
                  ))}
                </tr>
                <tr>
                  {FIGURES.map((figure) => [
                    <th scope="col" key={`${figure}-control`}>
                      {table.control}
                    </th>,
                    <th scope="col" key={`${figure}-variant`}>
                      {name}
                    </th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                {table.rows.map((row) => (
                  <tr key={row.label} data-class={row.label}>
                    <th scope="row">{row.label}</th>
                    <td>{row.support[0]}</td>
                    <td>{row.support[1]}</td>
                    <Cell cell={row.precision[0]} />
                    <Cell cell={row.precision[1]} />
                    <Cell cell={row.recall[0]} />
                    <Cell cell={row.recall[1]} />
                    <Cell cell={row.f1[0]} />
                    <Cell cell={row.f1[1]} />
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </>
  );
}
