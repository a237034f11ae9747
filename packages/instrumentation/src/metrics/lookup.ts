import { Counter, Gauge, type GaugeConfiguration, Histogram, type Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram.js';

/**
 * Returns the counter registered under `name`, creating it if absent. A service may load this
 * package twice (two bundles, `start()` called again), and prom-client throws on a duplicate name,
 * so metrics are looked up before they are created.
 */
export function counterIn<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return reuse<Counter<L>>(existing, name, 'inc', labelNames);
  return new Counter({ name, help, labelNames, registers: [registry] });
}

/** Returns the histogram registered under `name`, creating it with `buckets` if absent (see {@link counterIn}). */
export function histogramIn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: readonly number[],
): Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return reuse<Histogram<L>>(existing, name, 'observe', labelNames);
  return new Histogram({ name, help, labelNames, buckets: [...buckets], registers: [registry] });
}

/** Returns the gauge registered under `name`, creating it with `collect` if absent (see {@link counterIn}). */
export function gaugeIn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  collect?: GaugeConfiguration<L>['collect'],
): Gauge<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return reuse<Gauge<L>>(existing, name, 'set', labelNames);
  return new Gauge({ name, help, labelNames, registers: [registry], ...(collect ? { collect } : {}) });
}

/**
 * Returns the histogram registered under `name`, creating a {@link SeriesHistogram} if absent. A
 * prom-client histogram already registered under the name (by the service, or another copy of
 * this package) is reused as it is, through its ordinary `observe`.
 */
export function seriesHistogramIn<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
  buckets: readonly number[],
): SeriesHistogram | Histogram<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing instanceof SeriesHistogram ? existing : reuse<Histogram<L>>(existing, name, 'observe', labelNames);
  return new SeriesHistogram({ name, help, labelNames, buckets, registers: [registry] });
}

function reuse<M>(existing: object, name: string, method: string, labelNames: readonly string[]): M {
  // Duck-typed rather than instanceof: the metric may come from another copy of prom-client.
  const registered = (existing as { labelNames?: unknown }).labelNames;
  const sameLabels =
    Array.isArray(registered) && registered.length === labelNames.length && labelNames.every((label) => registered.includes(label));
  if (typeof (existing as Record<string, unknown>)[method] !== 'function' || !sameLabels) {
    throw new Error(`flaglens: metric ${name} is already registered with another type or labels; cannot reuse it`);
  }
  return existing as M;
}
