import type { Flag, FlagSet, Segment } from '@flaglens/evaluator';
import type { Queryable } from '../db/database';

/** A flag as stored: its validated definition (defaults applied) and who last wrote it. */
export interface StoredFlag {
  key: string;
  version: number;
  flag: Flag;
  updatedAt: string;
  updatedBy: string;
}

interface FlagRow {
  key: string;
  definition: Flag;
  version: number;
  updated_at: Date;
  updated_by: string;
}

const toStored = (row: FlagRow): StoredFlag => ({
  key: row.key,
  version: row.version,
  flag: row.definition,
  updatedAt: new Date(row.updated_at).toISOString(),
  updatedBy: row.updated_by,
});

/** An environment's whole flag set, keys in order so that equal sets serialise identically. */
export async function loadFlagSet(db: Queryable, environment: string): Promise<FlagSet> {
  const flags = await db.query<{ key: string; definition: Flag }>('select key, definition from flags where environment = $1 order by key', [
    environment,
  ]);
  const segments = await db.query<{ key: string; definition: Segment }>(
    'select key, definition from segments where environment = $1 order by key',
    [environment],
  );
  return {
    flags: Object.fromEntries(flags.map((row) => [row.key, row.definition])),
    segments: Object.fromEntries(segments.map((row) => [row.key, row.definition])),
  };
}

/** One flag; with `lock`, its row stays locked until the transaction ends, so racing writers queue. */
export async function findFlag(db: Queryable, environment: string, key: string, lock = false): Promise<StoredFlag | undefined> {
  const rows = await db.query<FlagRow>(
    `select key, definition, version, updated_at, updated_by from flags where environment = $1 and key = $2${lock ? ' for update' : ''}`,
    [environment, key],
  );
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** The highest version a flag key ever had, deleted ones included, so a re-created flag keeps counting up. */
export async function lastVersion(db: Queryable, environment: string, key: string): Promise<number> {
  const rows = await db.query<{ version: number | null }>(
    'select max(version) as version from audit_log where environment = $1 and flag_key = $2',
    [environment, key],
  );
  return rows[0]?.version ?? 0;
}

export async function insertFlag(tx: Queryable, environment: string, flag: Flag, key: string, actor: string): Promise<StoredFlag> {
  const rows = await tx.query<FlagRow>(
    `insert into flags (environment, key, definition, version, updated_by) values ($1, $2, $3::jsonb, $4, $5)
     returning key, definition, version, updated_at, updated_by`,
    [environment, key, JSON.stringify(flag), flag.version, actor],
  );
  if (!rows[0]) throw new Error('insert returned no row');
  return toStored(rows[0]);
}

/** Writes a new version only if the row still holds `fromVersion`: the last guard against a lost update. */
export async function updateFlag(tx: Queryable, environment: string, flag: Flag, key: string, fromVersion: number, actor: string) {
  const rows = await tx.query<FlagRow>(
    `update flags set definition = $3::jsonb, version = $4, updated_at = now(), updated_by = $5
     where environment = $1 and key = $2 and version = $6 returning key, definition, version, updated_at, updated_by`,
    [environment, key, JSON.stringify(flag), flag.version, actor, fromVersion],
  );
  if (!rows[0]) throw new Error(`flag ${key} changed under a row lock`);
  return toStored(rows[0]);
}

export async function removeFlag(tx: Queryable, environment: string, key: string): Promise<void> {
  await tx.query('delete from flags where environment = $1 and key = $2', [environment, key]);
}
