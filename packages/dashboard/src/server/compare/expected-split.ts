import type { Flag } from '@flaglens/evaluator';
import type { Assignment } from '../analysis';
import type { Queryable } from '../db/database';
import { configuredSplit } from './control';
import type { SplitInfo, SplitPeriod } from './types';

// Audited actions whose `after` is the flag's whole definition (metadata-only entries have no `variants`).
const DEFINING = ['flag.create', 'flag.update', 'flag.rollback', 'flag.promote', 'flag.restore'];

/**
 * The weights a definition assigns by. Counting `SPLIT` evaluations, a switched-off flag made no split
 * assignments at all; counting requests, it served everyone its `offVariant`.
 */
function weightsIn(flag: Flag, basis: SplitInfo['basis']): Record<string, number> | null {
  if (!flag.enabled) return basis === 'requests' && flag.offVariant !== undefined ? { [flag.offVariant]: 1 } : null;
  const split = configuredSplit(flag);
  return split.from === 'none' ? null : split.weights;
}

/**
 * The splits in force over `[fromMs, toMs)`, from the flag's audit history: the definition stored by the last
 * change at or before `fromMs`, then each change inside the window (a rollout stage, a rollback, an edit).
 * Without any audited definition in reach (a flag written straight into the store) the current one stands.
 */
export async function splitHistory(
  db: Queryable,
  target: { environment: string; key: string; current: Flag; basis: SplitInfo['basis'] },
  fromMs: number,
  toMs: number,
): Promise<SplitPeriod[]> {
  const rows = await db.query<{ at_ms: string | number; after: Flag }>(
    `select at_ms, after from (
       (select id, extract(epoch from at) * 1000 as at_ms, after from audit_log
         where environment = $1 and flag_key = $2 and action = any($3) and after ? 'variants' and at <= to_timestamp($4 / 1000.0)
         order by id desc limit 1)
       union all
       (select id, extract(epoch from at) * 1000 as at_ms, after from audit_log
         where environment = $1 and flag_key = $2 and action = any($3) and after ? 'variants'
           and at > to_timestamp($4 / 1000.0) and at < to_timestamp($5 / 1000.0))
     ) changes order by id`,
    [target.environment, target.key, DEFINING, fromMs, toMs],
  );
  if (rows.length === 0) return [{ fromMs, weights: weightsIn(target.current, target.basis) }];
  // The earliest definition found stands from the window's start: counts seen before it was recorded were
  // still assigned by some split, and the earliest known is the best account of it.
  return rows.map((row, i) => ({ fromMs: i === 0 ? fromMs : Number(row.at_ms), weights: weightsIn(row.after, target.basis) }));
}

/**
 * Observed assignments against what the splits in force would have given them, for the sample-ratio-mismatch
 * test. Each step's count is split by the weights in force during it (time-weighted when a change falls inside
 * the step, since traffic is steady on the scale of a step while only its shares move); the expected counts
 * are summed over the steps and returned as effective weights. Steps in which no split assigned anyone (the
 * flag switched off, counting `SPLIT` evaluations) carry no expectation, so their counts are left out.
 */
export function splitAssignments(
  counts: ReadonlyMap<string, readonly number[]>,
  periods: readonly SplitPeriod[],
  steps: { fromMs: number; stepMs: number; untilMs: number },
): Assignment[] {
  const observed = new Map<string, number>();
  const expected = new Map<string, number>();
  const variants = new Set([...counts.keys(), ...periods.flatMap((p) => Object.keys(p.weights ?? {}))]);
  const n = Math.max(0, ...[...counts.values()].map((c) => c.length));
  for (let i = 0; i < n; i++) {
    const start = steps.fromMs + i * steps.stepMs;
    const shares = sharesDuring(periods, start, Math.min(start + steps.stepMs, steps.untilMs));
    if (!shares) continue;
    let total = 0;
    for (const [variant, values] of counts) {
      const count = values[i] ?? 0;
      total += count;
      observed.set(variant, (observed.get(variant) ?? 0) + count);
    }
    for (const [variant, share] of shares) expected.set(variant, (expected.get(variant) ?? 0) + total * share);
  }
  const totalExpected = [...expected.values()].reduce((s, e) => s + e, 0);
  const last = periods.at(-1)?.weights ?? {};
  const lastTotal = Object.values(last).reduce((s, w) => s + w, 0);
  return [...variants].map((variant) => ({
    variant,
    count: observed.get(variant) ?? 0,
    // In basis points of the expected total; before any count, the latest split's weights.
    weightBasisPoints:
      totalExpected > 0
        ? ((expected.get(variant) ?? 0) / totalExpected) * 10_000
        : lastTotal > 0
          ? ((last[variant] ?? 0) / lastTotal) * 10_000
          : 0,
  }));
}

/** Each variant's share of assignments over `[startMs, endMs)`, weighting every split by the time it was in force. */
function sharesDuring(periods: readonly SplitPeriod[], startMs: number, endMs: number): Map<string, number> | undefined {
  const shares = new Map<string, number>();
  let covered = 0;
  periods.forEach((period, i) => {
    const from = Math.max(startMs, period.fromMs);
    const to = Math.min(endMs, periods[i + 1]?.fromMs ?? Number.POSITIVE_INFINITY);
    const weightTotal = Object.values(period.weights ?? {}).reduce((s, w) => s + w, 0);
    if (to <= from || !period.weights || weightTotal <= 0) return;
    covered += to - from;
    for (const [variant, weight] of Object.entries(period.weights)) {
      shares.set(variant, (shares.get(variant) ?? 0) + ((to - from) * weight) / weightTotal);
    }
  });
  if (covered <= 0) return undefined;
  for (const [variant, share] of shares) shares.set(variant, share / covered);
  return shares;
}
