import type { Flag } from '@flaglens/evaluator';
import { countRefsByFlag, listScans } from '../code-refs/store';
import { METRIC } from '../compare/mapping';
import type { Queryable } from '../db/database';
import { findFlags } from '../flags/store';
import { bucketStart } from '../metrics/resolutions';
import type { MetricsSource } from '../metrics/source';
import type { ControlPlane } from '../plane';
import type { RolloutPlan } from '../rollouts/plan';
import { type DefinitionChange, type FlagFacts, type StaleReport, staleReport } from './report';
import { servedToEveryone } from './serving';

const DAY_MS = 86_400_000;
/** Audit actions that leave the flag with the definition in `after` (a delete leaves none). */
const DEFINING = ['flag.create', 'flag.update', 'flag.rollback', 'flag.promote', 'flag.delete'];

/** Each flag's definitions over time, newest first, from the audit trail. */
async function histories(db: Queryable, environment: string, keys: string[]): Promise<Map<string, DefinitionChange[]>> {
  const byKey = new Map<string, DefinitionChange[]>();
  if (keys.length === 0) return byKey;
  const rows = await db.query<{ flag_key: string; at: Date; after: Flag | null }>(
    `select flag_key, at, after from audit_log where environment = $1 and flag_key = any($2::text[]) and action = any($3::text[])
     order by flag_key, id desc`,
    [environment, keys, DEFINING],
  );
  for (const row of rows) {
    const list = byKey.get(row.flag_key) ?? [];
    list.push({ at: new Date(row.at).toISOString(), definition: row.after });
    byKey.set(row.flag_key, list);
  }
  return byKey;
}

async function completedRollouts(db: Queryable, environment: string): Promise<Map<string, FlagFacts['rolloutCompleted']>> {
  const rows = await db.query<{ flag: string; plan: RolloutPlan; updated_ms: string | number }>(
    `select flag, plan, updated_ms from rollouts where environment = $1 and status = 'completed'`,
    [environment],
  );
  return new Map(rows.map((row) => [row.flag, { atMs: Number(row.updated_ms), control: row.plan.control, candidate: row.plan.candidate }]));
}

/** Evaluations SDKs pushed for one flag over `[fromMs, nowMs)`, as one step the store can read from its day roll-ups. */
async function evaluationsOf(metrics: MetricsSource, environment: string, flag: string, fromMs: number, nowMs: number): Promise<number> {
  const stepMs = Math.max(1, Math.ceil((nowMs - fromMs) / DAY_MS)) * DAY_MS;
  const result = await metrics.readSeries({ environment, flag, fromMs, toMs: nowMs, stepMs, metrics: [METRIC.evaluations] });
  return result.series.reduce((sum, series) => sum + series.values.reduce((a, b) => a + b, 0), 0);
}

/**
 * The environment's stale-flag report at `nowMs` (default: now) after `days` days. Archived flags are
 * left out: they are already dealt with. A failing metrics source leaves the evaluations unjudged
 * (`checks.evaluations: "unavailable"`) rather than failing the report.
 */
export async function staleFlags(
  plane: Pick<ControlPlane, 'db' | 'metrics'>,
  environment: string,
  options: { days: number; nowMs?: number },
): Promise<StaleReport> {
  const { db } = plane;
  const { days } = options;
  const nowMs = options.nowMs ?? Date.now();
  // Whole UTC days, so the embedded store reads day roll-ups; the window starts up to a day early, never late.
  const evaluationsFromMs = bucketStart(nowMs - days * DAY_MS, DAY_MS);
  const flags = (await findFlags(db, environment)).filter((stored) => stored.archivedAt === null);
  const singles = flags
    .filter((stored) => stored.kind === 'temporary' && servedToEveryone(stored.flag) !== null)
    .map((stored) => stored.key);
  const [history, rollouts, scans, refs] = await Promise.all([
    histories(db, environment, singles),
    completedRollouts(db, environment),
    listScans(db, environment),
    countRefsByFlag(db, environment),
  ]);
  let evaluationsRead = true;
  const facts: FlagFacts[] = [];
  for (const stored of flags) {
    let evaluations: number | null = null;
    // Only flags old enough to be judged on it; one read per flag, through the same source as the comparison.
    if (evaluationsRead && Date.parse(stored.createdAt) <= nowMs - days * DAY_MS) {
      evaluations = await evaluationsOf(plane.metrics, environment, stored.key, evaluationsFromMs, nowMs).catch((error: unknown) => {
        console.error('flaglens: stale report could not read evaluation counts', error);
        evaluationsRead = false;
        return null;
      });
    }
    facts.push({
      key: stored.key,
      kind: stored.kind,
      owner: stored.owner,
      tags: stored.tags,
      createdAt: stored.createdAt,
      flag: stored.flag,
      history: history.get(stored.key) ?? [],
      evaluations,
      codeRefs: refs.get(stored.key) ?? 0,
      rolloutCompleted: rollouts.get(stored.key) ?? null,
    });
  }
  // A source that failed part-way judges no flag on evaluations, not just the ones after the failure.
  if (!evaluationsRead) for (const fact of facts) fact.evaluations = null;
  const lastScanAt = scans.reduce<string | null>(
    (latest, scan) => (latest === null || scan.scannedAt > latest ? scan.scannedAt : latest),
    null,
  );
  return staleReport({ environment, days, nowMs, evaluationsFromMs, lastScanAt, evaluationsRead, flags: facts });
}
