import type { Registry } from 'prom-client';
import { gaugeIn } from '../metrics/lookup.js';
import { MetricName } from '../metrics/names.js';

/** How long a variant counts as active after its last call; four scrapes at Prometheus's default 15 s. */
export const ACTIVE_WINDOW_MS = 60_000;

/**
 * Which variants this process ran recently, as `flaglens_variant_active{flag,variant} 1`.
 *
 * Event-loop delay and memory cannot be split between variants honestly inside one process: calls
 * of every variant interleave on the same event loop and share one heap, so a slow candidate shows up
 * as delay for the control's requests too. Process health (prom-client's default metrics) is therefore
 * recorded for the process, and this gauge says which variants the process was running, so a query can
 * join the two per instance: exact where an instance serves one variant (a canary deployment), a
 * mixture otherwise.
 */
export class VariantActivity {
  // flag → variant → calls so far. Touched on every inference, so it is two Map lookups and an
  // increment: no clock read, no key string built.
  readonly #calls = new Map<string, Map<string, Activity>>();
  readonly #windowMs: number;

  constructor(windowMs: number = ACTIVE_WINDOW_MS) {
    this.#windowMs = windowMs;
  }

  /** Marks a variant (already passed through the label guard) as having just run a call. */
  touch(flag: string, variant: string): void {
    let variants = this.#calls.get(flag);
    if (!variants) {
      variants = new Map();
      this.#calls.set(flag, variants);
    }
    const activity = variants.get(variant);
    if (activity) activity.calls++;
    else variants.set(variant, { calls: 1, seenCalls: 0, seenAt: Number.NEGATIVE_INFINITY });
  }

  /**
   * The variants that ran a call within the window, as of `now`; older entries are forgotten. A call
   * is dated by the first look after it, so "active" may last up to one scrape interval longer.
   */
  active(now: number = performance.now()): { flag: string; variant: string }[] {
    const active: { flag: string; variant: string }[] = [];
    for (const [flag, variants] of this.#calls) {
      for (const [variant, activity] of variants) {
        if (activity.calls !== activity.seenCalls) {
          activity.seenCalls = activity.calls;
          activity.seenAt = now;
        }
        if (now - activity.seenAt > this.#windowMs) variants.delete(variant);
        else active.push({ flag, variant });
      }
      if (variants.size === 0) this.#calls.delete(flag);
    }
    return active;
  }
}

interface Activity {
  calls: number;
  /** `calls` when last looked at, and when that look found it changed. */
  seenCalls: number;
  seenAt: number;
}

// One activity per registry: a second VariantMetrics on the same registry reuses the gauge, whose
// collect callback belongs to the first, so both must feed the same activity.
const byRegistry = new WeakMap<Registry, VariantActivity>();

/** The activity reported through `registry`'s `flaglens_variant_active` gauge, created on first use. */
export function variantActivityIn(registry: Registry): VariantActivity {
  const existing = byRegistry.get(registry);
  if (existing) return existing;
  const activity = new VariantActivity();
  byRegistry.set(registry, activity);
  gaugeIn(
    registry,
    MetricName.VARIANT_ACTIVE,
    'Variants this process ran a call for in the last 60 s (1 per active variant).',
    ['flag', 'variant'],
    function () {
      this.reset();
      for (const labels of activity.active()) this.set(labels, 1);
    },
  );
  return activity;
}
