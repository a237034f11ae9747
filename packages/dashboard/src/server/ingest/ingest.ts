import type { Database, Queryable } from '../db/database';
import { ApiError } from '../http/errors';
import { addAggregates, compactMetrics } from '../metrics/store';
import { admitSamples, type DropReason } from './admit';
import { applyCaps, DEFAULT_CAPS, knownValues, type LabelCaps, type LabelValue } from './caps';
import { computeDeltas } from './deltas';
import { type Exposition, ExpositionError, parseExposition } from './exposition';
import type { PushRequest } from './request';
import { aggregateRows } from './rows';
import { sliceLabelsFromEnv } from './slices';

/** A push to store: what came over HTTP, for which environment, and when the server got it. */
export interface Push extends PushRequest {
  environment: string;
  receivedMs: number;
}

/** Deployment choices for ingestion. */
export interface IngestOptions {
  /** Declared slice labels (at most 8); default `FLAGLENS_SLICE_LABELS` or the defaults ({@link sliceLabelsFromEnv}). */
  sliceLabels?: readonly string[];
  caps?: LabelCaps;
  /** Run retention at most this often, after a push; default 10 minutes. 0 turns it off (tests). */
  compactEveryMs?: number;
}

/** What a push did; the response body of `POST /api/v1/ingest`. */
export interface IngestResult {
  instance: string;
  pushTimeMs: number;
  /** `duplicate`: this instance already pushed at this time; `out_of_order`: it has pushed a later one. Either way nothing changed. */
  status: 'stored' | 'duplicate' | 'out_of_order';
  /** Sample lines in the push. */
  samples: number;
  /** Samples kept after filtering and caps. */
  kept: number;
  /** Series whose value grew (or restarted) since this instance's previous push. */
  changed: number;
  /** Series (a histogram counts once) that restarted from zero. */
  resets: number;
  dropped: { total: number; byReason: Partial<Record<DropReason, number>> };
}

// A pusher's clock may run ahead a little; a push far in the future would make every later one "out of order".
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const lastCompaction = new WeakMap<Database, number>();

function parse(text: string): Exposition {
  try {
    return parseExposition(text);
  } catch (error) {
    if (!(error instanceof ExpositionError)) throw error;
    throw new ApiError(400, 'invalid_exposition', `malformed exposition: ${error.message}`, { line: error.line, problem: error.problem });
  }
}

/** Exposition timestamps when there are any (the latest), else the push-time header, else when it arrived. */
function pushTimeOf(exposition: Exposition, push: Push): number {
  let latest: number | undefined;
  for (const sample of exposition.samples) {
    if (sample.timestampMs !== undefined && (latest === undefined || sample.timestampMs > latest)) latest = sample.timestampMs;
  }
  const time = latest ?? push.pushTimeMs ?? push.receivedMs;
  if (time > push.receivedMs + MAX_CLOCK_SKEW_MS || time < 0) {
    throw new ApiError(400, 'invalid_push_time', 'the push time is more than 5 minutes ahead of the server clock', {
      pushTimeMs: time,
      serverTimeMs: push.receivedMs,
    });
  }
  return time;
}

async function storeLabelValues(tx: Queryable, environment: string, atMs: number, added: readonly LabelValue[]): Promise<void> {
  if (added.length === 0) return;
  await tx.query(
    `insert into metric_label_values (environment, flag, label, value, added_ms)
     select $1, f, l, v, $2 from unnest($3::text[], $4::text[], $5::text[]) as t (f, l, v) on conflict do nothing`,
    [environment, atMs, added.map((a) => a.flag), added.map((a) => a.label), added.map((a) => a.value)],
  );
}

/**
 * Stores one push in one transaction: parses and filters it, turns its cumulative values into
 * increases against the instance's previous push, and adds those to the aggregates. A push that is
 * malformed throws before anything is written; a duplicate or older push changes nothing.
 */
export async function ingestPush(db: Database, push: Push, options: IngestOptions = {}): Promise<IngestResult> {
  const exposition = parse(push.text);
  const pushTimeMs = pushTimeOf(exposition, push);
  const { admitted, dropped } = admitSamples(exposition, options.sliceLabels ?? sliceLabelsFromEnv());
  const { environment, instance } = push;
  const result = await db.transaction(async (tx): Promise<IngestResult> => {
    const base = { instance, pushTimeMs, samples: exposition.samples.length, kept: 0, changed: 0, resets: 0 };
    // The row lock serialises pushes of one instance, so two cannot both read the same previous values.
    await tx.query(
      `insert into metric_instances (environment, instance, last_push_ms, cumulative) values ($1, $2, -1, '{}') on conflict do nothing`,
      [environment, instance],
    );
    const [row] = await tx.query<{ last: number; cumulative: string }>(
      'select last_push_ms::float8 as last, cumulative from metric_instances where environment = $1 and instance = $2 for update',
      [environment, instance],
    );
    const last = row?.last ?? -1;
    if (pushTimeMs <= last) {
      return { ...base, status: pushTimeMs === last ? 'duplicate' : 'out_of_order', dropped: { total: 0, byReason: {} } };
    }
    const flags = [...new Set(['', ...admitted.map((sample) => sample.flag)])];
    const stored = await tx.query<LabelValue>(
      'select flag, label, value from metric_label_values where environment = $1 and flag = any($2::text[])',
      [environment, flags],
    );
    const { kept, added } = applyCaps(admitted, knownValues(stored), options.caps ?? DEFAULT_CAPS, dropped);
    await storeLabelValues(tx, environment, push.receivedMs, added);
    const previous = new Map(Object.entries(JSON.parse(row?.cumulative ?? '{}') as Record<string, number>));
    const { deltas, cumulative, resets } = computeDeltas(kept, previous);
    // Series missing from this push keep their last value, in case they come back.
    for (const { series, value } of cumulative) previous.set(series, value);
    const increases = new Map(deltas.map(({ sample, delta }) => [sample, delta]));
    await addAggregates(tx, environment, pushTimeMs, aggregateRows(kept, increases));
    await tx.query('update metric_instances set last_push_ms = $3, cumulative = $4 where environment = $1 and instance = $2', [
      environment,
      instance,
      pushTimeMs,
      cumulative.length > 0 ? JSON.stringify(Object.fromEntries(previous)) : (row?.cumulative ?? '{}'),
    ]);
    return {
      ...base,
      status: 'stored',
      kept: kept.length,
      changed: deltas.length,
      resets,
      dropped: { total: dropped.total, byReason: dropped.byReason },
    };
  });
  await maybeCompact(db, push.receivedMs, options.compactEveryMs ?? 10 * 60_000);
  return result;
}

/** Retention runs behind pushes rather than on a timer of its own, so an idle server does no work. */
async function maybeCompact(db: Database, nowMs: number, everyMs: number): Promise<void> {
  if (everyMs <= 0 || nowMs - (lastCompaction.get(db) ?? 0) < everyMs) return;
  lastCompaction.set(db, nowMs);
  try {
    await compactMetrics(db, nowMs);
  } catch (error) {
    // The push is already stored; retention simply runs again after a later one.
    lastCompaction.delete(db);
    console.error('flaglens: metric retention failed', error);
  }
}
