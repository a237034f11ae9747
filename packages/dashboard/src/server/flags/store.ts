import type { Flag, FlagSet, Segment } from '@flaglens/evaluator';
import type { Queryable } from '../db/database';
import { DEFAULT_METADATA, type FlagMetadata } from './metadata';

/**
 * A flag as stored: its validated definition (defaults applied), who last wrote it, and what only the
 * control plane knows about it: its key's metadata (owner, tags, kind), when it was created in this
 * environment, and since when it is archived (null while SDKs are served it).
 */
export interface StoredFlag extends FlagMetadata {
  key: string;
  version: number;
  flag: Flag;
  updatedAt: string;
  updatedBy: string;
  createdAt: string;
  archivedAt: string | null;
}

interface FlagRow {
  key: string;
  definition: Flag;
  version: number;
  updated_at: Date;
  updated_by: string;
  created_at: Date;
  archived_at: Date | null;
  owner: string | null;
  tags: string[] | null;
  kind: FlagMetadata['kind'] | null;
}

const toStored = (row: FlagRow): StoredFlag => ({
  key: row.key,
  version: row.version,
  flag: row.definition,
  updatedAt: new Date(row.updated_at).toISOString(),
  updatedBy: row.updated_by,
  owner: row.owner ?? DEFAULT_METADATA.owner,
  tags: row.tags ?? DEFAULT_METADATA.tags,
  kind: row.kind ?? DEFAULT_METADATA.kind,
  createdAt: new Date(row.created_at).toISOString(),
  archivedAt: row.archived_at === null ? null : new Date(row.archived_at).toISOString(),
});

/** Flag rows of `from` (the table, or a CTE of written rows) with their key's metadata; no metadata row means the defaults. */
const storedFrom = (from: string) => `select f.key, f.definition, f.version, f.updated_at, f.updated_by, f.created_at, f.archived_at,
    m.owner, m.tags, m.kind
  from ${from} f left join flag_metadata m on m.key = f.key`;

/**
 * An environment's served flag set (archived flags left out), keys in order so that equal sets serialise
 * identically. One statement reads flags and segments, so one snapshot: a flag dropping a segment and the
 * segment's delete, committed between two reads, would hand SDKs a flag whose segment is missing.
 */
export async function loadFlagSet(db: Queryable, environment: string): Promise<FlagSet> {
  const rows = await db.query<{ part: 'flag' | 'segment'; key: string; definition: unknown }>(
    `select 'flag' as part, key, definition from flags where environment = $1 and archived_at is null
     union all select 'segment', key, definition from segments where environment = $1 order by part, key`,
    [environment],
  );
  const set: FlagSet = { flags: {}, segments: {} };
  for (const { part, key, definition } of rows) {
    if (part === 'flag') set.flags[key] = definition as Flag;
    else set.segments[key] = definition as Segment;
  }
  return set;
}

/** An environment's segments by key. */
export async function loadSegments(db: Queryable, environment: string): Promise<FlagSet['segments']> {
  const rows = await db.query<{ key: string; definition: Segment }>(
    'select key, definition from segments where environment = $1 order by key',
    [environment],
  );
  return Object.fromEntries(rows.map((row) => [row.key, row.definition]));
}

/** One flag; with `lock`, its row stays locked until the transaction ends, so racing writers queue. */
export async function findFlag(db: Queryable, environment: string, key: string, lock = false): Promise<StoredFlag | undefined> {
  const rows = await db.query<FlagRow>(`${storedFrom('flags')} where f.environment = $1 and f.key = $2${lock ? ' for update of f' : ''}`, [
    environment,
    key,
  ]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** Every flag of an environment by key; with `lock`, all their rows stay locked until the transaction ends. */
export async function findFlags(db: Queryable, environment: string, lock = false): Promise<StoredFlag[]> {
  const rows = await db.query<FlagRow>(`${storedFrom('flags')} where f.environment = $1 order by f.key${lock ? ' for update of f' : ''}`, [
    environment,
  ]);
  return rows.map(toStored);
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
    `with written as (insert into flags (environment, key, definition, version, updated_by) values ($1, $2, $3::jsonb, $4, $5)
     returning *) ${storedFrom('written')}`,
    [environment, key, JSON.stringify(flag), flag.version, actor],
  );
  if (!rows[0]) throw new Error('insert returned no row');
  return toStored(rows[0]);
}

/** Writes a new version only if the row still holds `fromVersion`: the last guard against a lost update. */
export async function updateFlag(tx: Queryable, environment: string, flag: Flag, key: string, fromVersion: number, actor: string) {
  const rows = await tx.query<FlagRow>(
    `with written as (update flags set definition = $3::jsonb, version = $4, updated_at = now(), updated_by = $5
     where environment = $1 and key = $2 and version = $6 returning *) ${storedFrom('written')}`,
    [environment, key, JSON.stringify(flag), flag.version, actor, fromVersion],
  );
  if (!rows[0]) throw new Error(`flag ${key} changed under a row lock`);
  return toStored(rows[0]);
}

export async function removeFlag(tx: Queryable, environment: string, key: string): Promise<void> {
  await tx.query('delete from flags where environment = $1 and key = $2', [environment, key]);
}

/** A key's metadata; the defaults when no environment holds the key (a deleted namesake's row is not its). */
export async function readMetadata(db: Queryable, key: string): Promise<FlagMetadata> {
  const rows = await db.query<FlagMetadata>(
    'select owner, tags, kind from flag_metadata where key = $1 and exists (select 1 from flags where key = $1)',
    [key],
  );
  return rows[0] ?? DEFAULT_METADATA;
}

/**
 * The metadata of a key some environment holds, its row locked until the transaction ends: a flag's row
 * lock covers one environment, and metadata changes made from two must queue, or the second's audit entry
 * shows a stale `before`.
 */
export async function lockMetadata(tx: Queryable, key: string, actor: string): Promise<FlagMetadata> {
  // A flag from before migration 7 may have no row: it gets the defaults' row, so that there is one to lock.
  await tx.query('insert into flag_metadata (key, updated_by) values ($1, $2) on conflict (key) do nothing', [key, actor]);
  const rows = await tx.query<FlagMetadata>('select owner, tags, kind from flag_metadata where key = $1 for update', [key]);
  return rows[0] ?? DEFAULT_METADATA;
}

/** Replaces a key's metadata, which every environment of the flag shares. */
export async function writeMetadata(tx: Queryable, key: string, metadata: FlagMetadata, actor: string): Promise<void> {
  await tx.query(
    `insert into flag_metadata (key, owner, tags, kind, updated_by) values ($1, $2, $3::text[], $4, $5)
     on conflict (key) do update set owner = excluded.owner, tags = excluded.tags, kind = excluded.kind, updated_at = now(),
       updated_by = excluded.updated_by`,
    [key, metadata.owner, metadata.tags, metadata.kind, actor],
  );
}

/** Archives the flag (SDKs stop getting it) or serves it again; its definition and version stay as they are. */
export async function setArchived(tx: Queryable, environment: string, key: string, archived: boolean): Promise<StoredFlag> {
  const rows = await tx.query<FlagRow>(
    `with written as (update flags set archived_at = case when $3 then now() end where environment = $1 and key = $2 returning *)
     ${storedFrom('written')}`,
    [environment, key, archived],
  );
  if (!rows[0]) throw new Error(`flag ${key} vanished under a row lock`);
  return toStored(rows[0]);
}

/** Every tag on a live flag, sorted: what the list's tag filter offers. */
export async function listTags(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ tag: string }>(
    'select distinct unnest(m.tags) as tag from flag_metadata m where exists (select 1 from flags f where f.key = m.key) order by tag',
  );
  return rows.map((row) => row.tag);
}
