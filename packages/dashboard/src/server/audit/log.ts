import type { Actor } from '../auth/principal';
import type { Queryable } from '../db/database';
import { type Change, diffJson } from './diff';

export type AuditAction =
  | 'flag.create'
  | 'flag.update'
  | 'flag.delete'
  | 'flag.rollback'
  | 'flag.promote'
  | 'flag.metadata'
  | 'flag.archive'
  | 'flag.restore'
  | 'token.create'
  | 'token.revoke'
  | 'environment.create'
  | 'segment.create'
  | 'segment.update'
  | 'segment.delete';

export interface AuditWrite {
  actor: Actor;
  action: AuditAction;
  environment?: string;
  flagKey?: string;
  /** A segment's entries name it here, never in `flagKey`: a flag and a segment may share a key. */
  segmentKey?: string;
  version?: number;
  before?: unknown;
  after?: unknown;
  note?: string;
}

/** An audit entry as the API shows it: the stored before/after plus the readable diff between them. */
export interface AuditEntry {
  id: string;
  at: string;
  actor: { id: string; name: string };
  action: AuditAction;
  version: number | null;
  note: string | null;
  changes: Change[];
  before: unknown;
  after: unknown;
}

/** Appends one entry; called inside the transaction of the change it records. */
export async function appendAudit(tx: Queryable, entry: AuditWrite): Promise<void> {
  // Only a segment's entry names segment_key (migration 12), so stores at an older schema still take every other entry.
  const segment = entry.segmentKey === undefined ? [] : [entry.segmentKey];
  await tx.query(
    `insert into audit_log (actor, actor_id, action, environment, flag_key, version, before, after, note${segment.length ? ', segment_key' : ''})
     values ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9${segment.length ? ', $10' : ''})`,
    [
      entry.actor.name,
      entry.actor.id,
      entry.action,
      entry.environment ?? null,
      entry.flagKey ?? null,
      entry.version ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.note ?? null,
      ...segment,
    ],
  );
}

interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  actor_id: string;
  action: AuditAction;
  version: number | null;
  note: string | null;
  before: unknown;
  after: unknown;
}

/** A definition without its `version`: every write bumps it, so diffs of what a flag serves leave it out. */
export function withoutVersion(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value ?? {};
  const { version: _version, ...rest } = value as Record<string, unknown>;
  return rest;
}

/** A flag's history, newest first. */
export const listFlagAudit = (db: Queryable, environment: string, flagKey: string, limit: number) =>
  listSubjectAudit(db, 'flag_key', environment, flagKey, limit);

/** A segment's history, newest first. */
export const listSegmentAudit = (db: Queryable, environment: string, segmentKey: string, limit: number) =>
  listSubjectAudit(db, 'segment_key', environment, segmentKey, limit);

async function listSubjectAudit(
  db: Queryable,
  column: 'flag_key' | 'segment_key',
  environment: string,
  key: string,
  limit: number,
): Promise<AuditEntry[]> {
  const rows = await db.query<AuditRow>(
    `select id::text as id, at, actor, actor_id, action, version, note, before, after from audit_log
     where environment = $1 and ${column} = $2 order by audit_log.id desc limit $3`,
    [environment, key, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { id: row.actor_id, name: row.actor },
    action: row.action,
    version: row.version,
    note: row.note,
    changes: diffJson(withoutVersion(row.before), withoutVersion(row.after)),
    before: row.before,
    after: row.after,
  }));
}
