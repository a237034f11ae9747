const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A roll-up level of the embedded store: its table, bucket width and how long its rows are kept. */
export interface Resolution {
  name: 'minute' | 'five-minute' | 'quarter-hour' | 'hour' | 'day';
  table: 'metric_minutes' | 'metric_five_minutes' | 'metric_quarter_hours' | 'metric_hours' | 'metric_days';
  ms: number;
  retentionMs: number;
}

/**
 * Finest first. Minutes for two days (live charts and alert windows), hours for 30 days (a rollout's
 * whole history), days for a year (trends); a month is then ~720 hourly rows per series instead of
 * ~43,000 minute rows. Day buckets are UTC days. Five-minute and quarter-hour buckets serve the
 * dashboard's 6h (5-minute steps) and 24h (15-minute steps) windows with 5x and 15x fewer rows than
 * minutes; each is kept for a window of its most steps (1,500) and the baseline before it: 5 days x 2
 * rounded to 11, 15.6 days x 2 rounded to 32.
 */
export const RESOLUTIONS: readonly Resolution[] = [
  { name: 'minute', table: 'metric_minutes', ms: MINUTE_MS, retentionMs: 2 * DAY_MS },
  { name: 'five-minute', table: 'metric_five_minutes', ms: 5 * MINUTE_MS, retentionMs: 11 * DAY_MS },
  { name: 'quarter-hour', table: 'metric_quarter_hours', ms: 15 * MINUTE_MS, retentionMs: 32 * DAY_MS },
  { name: 'hour', table: 'metric_hours', ms: HOUR_MS, retentionMs: 30 * DAY_MS },
  { name: 'day', table: 'metric_days', ms: DAY_MS, retentionMs: 366 * DAY_MS },
];

/** Start of the bucket of width `ms` holding `atMs`. */
export const bucketStart = (atMs: number, ms: number) => Math.floor(atMs / ms) * ms;

/**
 * The coarsest level whose buckets tile steps of `stepMs` starting at `fromMs`, so reading it gives
 * exactly the sums the minute table would (while that still holds them); minutes when nothing coarser fits.
 */
export function resolutionFor(fromMs: number, stepMs: number): Resolution {
  const fits = (r: Resolution) => stepMs % r.ms === 0 && fromMs % r.ms === 0;
  const minute = RESOLUTIONS[0] as Resolution;
  return [...RESOLUTIONS].reverse().find(fits) ?? minute;
}
