import type { TrafficStats } from './run.js';

/** Sent-request count and time of the previous line, to show the current rate rather than the average. */
export interface ProgressMark {
  readonly sent: number;
  readonly elapsedMs: number;
}

/**
 * One progress line: `[latency-regression · degraded] 42s  20.0 req/s  sent 840  errors 0  v1 752 · v2 88  feedback 610 sent, 90 due, 140 never  conversions 120`.
 */
export function progressLine(stats: TrafficStats, previous: ProgressMark = { sent: 0, elapsedMs: 0 }): string {
  const seconds = Math.max(stats.elapsedMs - previous.elapsedMs, 1) / 1_000;
  const rate = (stats.sent - previous.sent) / seconds;
  const variants = Object.entries(stats.byVariant)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([variant, count]) => `${variant} ${count}`)
    .join(' · ');
  const { feedback } = stats;
  return [
    `[${stats.scenario} · ${stats.phase}] ${Math.round(stats.elapsedMs / 1_000)}s`,
    `${rate.toFixed(1)} req/s`,
    `sent ${stats.sent}${stats.retries > 0 ? ` (${stats.retries} retries)` : ''}`,
    `errors ${stats.errors}`,
    variants || 'no answers yet',
    `feedback ${feedback.sent} sent, ${feedback.pending} due, ${feedback.withheld} never`,
    `conversions ${stats.conversions}`,
    ...(stats.lastError ? [`last error: ${stats.lastError}`] : []),
  ].join('  ');
}
