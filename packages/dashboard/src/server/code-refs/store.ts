import type { Actor } from '../auth/principal';
import type { Queryable } from '../db/database';
import type { CodeRef, CodeRefScan } from './scan';

/** A repository's last pushed scan, without its references. */
export interface ScanSummary {
  repository: string | null;
  commit: string | null;
  scannedAt: string;
  pushedAt: string;
  pushedBy: string;
}

/** One flag's references in an environment, and every scan they come from (empty: nothing was ever pushed). */
export interface FlagCodeRefs {
  flag: string;
  scans: ScanSummary[];
  refs: (Omit<CodeRef, 'flag'> & { repository: string | null })[];
}

interface ScanRow {
  repository: string;
  commit: string | null;
  scanned_at: Date;
  pushed_at: Date;
  pushed_by: string;
}

// The scanner's "no repository" is stored as '' so that it is a key like any other.
const toSummary = (row: ScanRow): ScanSummary => ({
  repository: row.repository || null,
  commit: row.commit,
  scannedAt: new Date(row.scanned_at).toISOString(),
  pushedAt: new Date(row.pushed_at).toISOString(),
  pushedBy: row.pushed_by,
});

/** Replaces the environment's scan of that repository with this one. One statement, so readers see the old scan or the new. */
export async function replaceScan(db: Queryable, environment: string, scan: CodeRefScan, actor: Actor): Promise<ScanSummary> {
  const rows = await db.query<ScanRow>(
    `insert into code_ref_scans (environment, repository, commit, scanned_at, pushed_by, refs) values ($1, $2, $3, $4, $5, $6::jsonb)
     on conflict (environment, repository) do update set commit = excluded.commit, scanned_at = excluded.scanned_at,
       pushed_at = now(), pushed_by = excluded.pushed_by, refs = excluded.refs
     returning repository, commit, scanned_at, pushed_at, pushed_by`,
    [environment, scan.repository ?? '', scan.commit, scan.scannedAt, actor.name, JSON.stringify(scan.refs)],
  );
  if (!rows[0]) throw new Error('upsert returned no row');
  return toSummary(rows[0]);
}

/** The environment's scans, by repository. */
export async function listScans(db: Queryable, environment: string): Promise<ScanSummary[]> {
  const rows = await db.query<ScanRow>(
    'select repository, commit, scanned_at, pushed_at, pushed_by from code_ref_scans where environment = $1 order by repository',
    [environment],
  );
  return rows.map(toSummary);
}

/** One flag's references across the environment's scans, by repository, file and line. */
export async function findFlagRefs(db: Queryable, environment: string, flag: string): Promise<FlagCodeRefs> {
  const rows = await db.query<{ repository: string; ref: CodeRef }>(
    `select s.repository, r.value as ref from code_ref_scans s cross join lateral jsonb_array_elements(s.refs) r
     where s.environment = $1 and r.value->>'flag' = $2
     order by s.repository, r.value->>'file', (r.value->>'line')::int, (r.value->>'column')::int`,
    [environment, flag],
  );
  return {
    flag,
    scans: await listScans(db, environment),
    refs: rows.map(({ repository, ref }) => ({
      repository: repository || null,
      file: ref.file,
      line: ref.line,
      column: ref.column,
      kind: ref.kind,
    })),
  };
}

/** How many references each flag has in the environment's scans (flags with none are absent). */
export async function countRefsByFlag(db: Queryable, environment: string): Promise<Map<string, number>> {
  const rows = await db.query<{ flag: string; refs: number }>(
    `select r.value->>'flag' as flag, count(*)::int as refs from code_ref_scans s cross join lateral jsonb_array_elements(s.refs) r
     where s.environment = $1 group by 1`,
    [environment],
  );
  return new Map(rows.map((row) => [row.flag, row.refs]));
}
