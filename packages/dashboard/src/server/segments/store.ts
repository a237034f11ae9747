import type { Flag, Segment } from '@flaglens/evaluator';
import type { Queryable } from '../db/database';

/** A segment as stored: its validated definition (defaults applied), its version and when it last changed. */
export interface StoredSegment {
  key: string;
  version: number;
  segment: Segment;
  updatedAt: string;
}

interface SegmentRow {
  key: string;
  definition: Segment;
  version: number;
  updated_at: Date;
}

const toStored = (row: SegmentRow): StoredSegment => ({
  key: row.key,
  version: row.version,
  segment: row.definition,
  updatedAt: new Date(row.updated_at).toISOString(),
});

const COLUMNS = 'key, definition, version, updated_at';

/** Every segment of an environment, by key; with `lock`, their rows stay locked until the transaction ends. */
export async function findSegments(db: Queryable, environment: string, lock = false): Promise<StoredSegment[]> {
  const rows = await db.query<SegmentRow>(
    `select ${COLUMNS} from segments where environment = $1 order by key${lock ? ' for update' : ''}`,
    [environment],
  );
  return rows.map(toStored);
}

/** One segment; with `lock`, its row stays locked until the transaction ends, so racing writers queue. */
export async function findSegment(db: Queryable, environment: string, key: string, lock = false): Promise<StoredSegment | undefined> {
  const rows = await db.query<SegmentRow>(
    `select ${COLUMNS} from segments where environment = $1 and key = $2${lock ? ' for update' : ''}`,
    [environment, key],
  );
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** The highest version a segment key ever had, deleted ones included, so a re-created segment keeps counting up. */
export async function lastSegmentVersion(db: Queryable, environment: string, key: string): Promise<number> {
  const rows = await db.query<{ version: number | null }>(
    'select max(version) as version from audit_log where environment = $1 and segment_key = $2',
    [environment, key],
  );
  return rows[0]?.version ?? 0;
}

/**
 * Inserts a segment (`fromVersion` undefined: a racing create hits the primary key) or writes a new version
 * only if the row still holds `fromVersion`: the last guard against a lost update.
 */
export async function writeSegment(
  tx: Queryable,
  environment: string,
  key: string,
  segment: Segment,
  version: number,
  fromVersion: number | undefined,
): Promise<StoredSegment> {
  const rows = await tx.query<SegmentRow>(
    fromVersion === undefined
      ? `insert into segments (environment, key, definition, version) values ($1, $2, $3::jsonb, $4) returning ${COLUMNS}`
      : `update segments set definition = $3::jsonb, version = $4, updated_at = now() where environment = $1 and key = $2 and version = $5
         returning ${COLUMNS}`,
    [environment, key, JSON.stringify(segment), version, ...(fromVersion === undefined ? [] : [fromVersion])],
  );
  if (!rows[0]) throw new Error(`segment ${key} changed under a row lock`);
  return toStored(rows[0]);
}

export async function removeSegment(tx: Queryable, environment: string, key: string): Promise<void> {
  await tx.query('delete from segments where environment = $1 and key = $2', [environment, key]);
}

/** The segments a flag's rules test membership of, sorted, each once. */
export function segmentsUsedBy(flag: Flag): string[] {
  const keys = flag.rules.flatMap((rule) =>
    rule.when.flatMap(({ op, value }) => ((op === 'inSegment' || op === 'notInSegment') && typeof value === 'string' ? [value] : [])),
  );
  return [...new Set(keys)].sort();
}

/** The flags whose rules test membership of segment `key`, by key. */
export function flagsUsing(flags: Record<string, Flag>, key: string): string[] {
  return Object.entries(flags)
    .filter(([, flag]) => segmentsUsedBy(flag).includes(key))
    .map(([flagKey]) => flagKey)
    .sort();
}

/**
 * Locks the named segments of an environment for share until the transaction ends, and returns the keys
 * that exist: a delete of one of them waits for this transaction, and one that deleted it meanwhile leaves it out.
 */
export async function shareSegments(tx: Queryable, environment: string, keys: readonly string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await tx.query<{ key: string }>(
    'select key from segments where environment = $1 and key = any($2::text[]) order by key for share',
    [environment, keys],
  );
  return rows.map((row) => row.key);
}
