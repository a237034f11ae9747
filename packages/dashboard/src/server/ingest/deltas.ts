import type { AdmittedSample } from './admit';

/** What one push adds: each sample's increase since the instance's previous push. */
export interface PushDeltas {
  /** Samples whose increase is not zero, with that increase. */
  deltas: Array<{ sample: AdmittedSample; delta: number }>;
  /** Series whose cumulative value differs from the stored one, with the new value to store. */
  cumulative: Array<{ series: string; value: number }>;
  /** How many series (histograms count once) were treated as reset. */
  resets: number;
}

/**
 * Turns one push's cumulative values into increases against the instance's previous ones.
 *
 * A value below the previous one means the counter restarted from zero (the process restarted), so
 * the new value is the whole increase: what Prometheus's `increase()` does. A histogram resets as a
 * whole when any bucket or its count drops (its sum may fall legitimately with negative
 * observations), so its buckets, sum and count stay consistent with each other. A series never seen
 * before counts from zero too: a process's counters start at zero, and dropping its first push (as
 * `increase()` drops a series' first scrape) would lose each new process's first interval.
 */
export function computeDeltas(samples: readonly AdmittedSample[], previous: ReadonlyMap<string, number>): PushDeltas {
  const resetGroups = new Set<string>();
  for (const sample of samples) {
    if (sample.kind === 'sum') continue;
    const before = previous.get(sample.series);
    if (before !== undefined && sample.value < before) resetGroups.add(sample.group);
  }
  const deltas: PushDeltas['deltas'] = [];
  const cumulative: PushDeltas['cumulative'] = [];
  for (const sample of samples) {
    const before = previous.get(sample.series);
    if (before !== sample.value) cumulative.push({ series: sample.series, value: sample.value });
    const delta = before === undefined || resetGroups.has(sample.group) ? sample.value : sample.value - before;
    if (delta !== 0) deltas.push({ sample, delta });
  }
  return { deltas, cumulative, resets: resetGroups.size };
}
