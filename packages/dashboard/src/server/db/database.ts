/** Runs one SQL statement with `$n` parameters and returns its rows. */
export interface Queryable {
  query<Row extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/**
 * The store the control plane runs on: PGlite (embedded) or PostgreSQL. Both speak the same SQL,
 * so everything above this interface is backend-agnostic.
 */
export interface Database extends Queryable {
  readonly backend: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL's SQLSTATE of a failed statement, when it has one. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
