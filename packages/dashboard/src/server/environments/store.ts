import type { Queryable } from '../db/database';
import { notFound } from '../http/errors';

/** Where flags live and are served: each has its own flag states, SDK keys, alerts and audit trail. */
export interface Environment {
  key: string;
  name: string;
  /** Promotion order: an environment's "next" one has the next higher position. */
  position: number;
  /** Promoting into it needs `FLAGLENS_PROMOTE_PROTECTED_ROLE`; the UI marks it and confirms changes. */
  protected: boolean;
  createdAt: string;
}

/** The environment requests act on when they name none, and that every existing flag belonged to before. */
export const DEFAULT_ENVIRONMENT = 'production';

interface EnvironmentRow {
  key: string;
  name: string;
  position: number;
  protected: boolean;
  created_at: Date;
}

const COLUMNS = 'key, name, position, protected, created_at';
const toEnvironment = (row: EnvironmentRow): Environment => ({
  key: row.key,
  name: row.name,
  position: row.position,
  protected: row.protected,
  createdAt: new Date(row.created_at).toISOString(),
});

/** Every environment, in promotion order. */
export async function listEnvironments(db: Queryable): Promise<Environment[]> {
  const rows = await db.query<EnvironmentRow>(`select ${COLUMNS} from environments order by position, key`);
  return rows.map(toEnvironment);
}

/**
 * Every environment, in promotion order, with new ones held off until the transaction ends (createEnvironment
 * locks the table against this share lock): a write that reaches every environment, as a flag's creation and
 * deletion do, cannot miss one created meanwhile, nor can that one copy a flag the write is still changing.
 */
export async function lockEnvironments(tx: Queryable): Promise<Environment[]> {
  await tx.query('lock table environments in share mode');
  return listEnvironments(tx);
}

export async function findEnvironment(db: Queryable, key: string): Promise<Environment | undefined> {
  const rows = await db.query<EnvironmentRow>(`select ${COLUMNS} from environments where key = $1`, [key]);
  return rows[0] ? toEnvironment(rows[0]) : undefined;
}

/** The environment, or a 404 that names it. */
export async function requireEnvironment(db: Queryable, key: string): Promise<Environment> {
  const environment = await findEnvironment(db, key);
  if (!environment) throw notFound(`no environment ${JSON.stringify(key)}`);
  return environment;
}

/** The environment promotion goes to from `key`: the next by position, if there is one. */
export function nextEnvironment(environments: readonly Environment[], key: string): Environment | undefined {
  const at = environments.findIndex((environment) => environment.key === key);
  return at < 0 ? undefined : environments[at + 1];
}
