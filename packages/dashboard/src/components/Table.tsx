import type { ReactNode, TableHTMLAttributes } from 'react';

interface Props<T> extends Omit<TableHTMLAttributes<HTMLTableElement>, 'children'> {
  /** One header row of column names. */
  columns: readonly string[];
  rows: readonly T[];
  /** A row's `<tr>`, with its key. */
  children(row: T): ReactNode;
  /** Shown instead of the table when there are no rows: say why, and what to do. Nothing when left out. */
  empty?: ReactNode;
  /** Names the table for screen readers when no heading does. */
  caption?: string;
}

/** A table of rows under one row of column names, or its empty state. */
export function Table<T>({ columns, rows, children, empty = null, caption, ...attributes }: Props<T>) {
  if (rows.length === 0) return empty;
  return (
    <table {...attributes}>
      {caption && <caption className="sr-only">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{rows.map(children)}</tbody>
    </table>
  );
}
