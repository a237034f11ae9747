import { collectDefaultMetrics, type Registry } from 'prom-client';

// A metric collectDefaultMetrics always registers; present means someone already collects them here.
const MARKER = 'process_cpu_user_seconds_total';

/**
 * Registers prom-client's default process metrics (CPU, memory, event-loop lag, GC, handles) in
 * `registry` unless they are already there: many services call `collectDefaultMetrics()` themselves,
 * and a second call would throw on the duplicate names. Returns whether this call registered them.
 */
export function collectProcessMetricsOnce(registry: Registry): boolean {
  if (registry.getSingleMetric(MARKER)) return false;
  collectDefaultMetrics({ register: registry });
  return true;
}
