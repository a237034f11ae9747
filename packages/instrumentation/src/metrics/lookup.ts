import { Counter, Histogram, type Registry } from 'prom-client';

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
