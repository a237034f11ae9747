import type { VariantLabels } from '../metrics/variant-metrics.js';

/** What is kept of a prediction until its ground truth arrives. */
export interface StoredPrediction extends VariantLabels {
  /** The predicted class or number, if the caller described one. */
  readonly predicted: string | number | undefined;
}

/** Limits of a {@link PredictionStore}. */
export interface PredictionStoreOptions {
  /** Most predictions kept; the oldest goes first when full. Default 100,000 (tens of MB at most). */
  readonly maxEntries?: number;
  /** How long a prediction waits for its outcome, in ms. Default 6 hours. */
  readonly ttlMs?: number;
  /** Clock in ms, for tests. */
  readonly now?: () => number;
}

interface Entry {
  readonly prediction: StoredPrediction;
  readonly expiresAt: number;
}

/**
 * Keeps recent predictions so an outcome that arrives later can be joined to the variant that made
 * it. Bounded in count and in age: a prediction is forgotten when it is older than `ttlMs` or when
 * `maxEntries` newer ones have arrived. An outcome for a forgotten prediction cannot be attributed;
 * the caller then counts it as unmatched (or uses the explicit form with flag and variant).
 */
export class PredictionStore {
  // A Map iterates in insertion order, and entries are inserted in time order, so the first entry is
  // always the oldest: eviction and expiry sweeps take it from the front.
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #now: () => number;

  constructor(options: PredictionStoreOptions = {}) {
    this.#maxEntries = Math.max(1, options.maxEntries ?? 100_000);
    this.#ttlMs = options.ttlMs ?? 6 * 60 * 60 * 1000;
    this.#now = options.now ?? Date.now;
  }

  /** How many predictions are currently kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Remembers a prediction under its id. */
  put(id: string, prediction: StoredPrediction): void {
    const now = this.#now();
    this.#sweep(now);
    this.#entries.delete(id);
    this.#entries.set(id, { prediction, expiresAt: now + this.#ttlMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  /** Returns and forgets a prediction; `undefined` if unknown, expired or evicted. One outcome per prediction. */
  take(id: string): StoredPrediction | undefined {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    this.#entries.delete(id);
    return entry.expiresAt > this.#now() ? entry.prediction : undefined;
  }

  #sweep(now: number): void {
    for (const [id, entry] of this.#entries) {
      if (entry.expiresAt > now) return;
      this.#entries.delete(id);
    }
  }
}
