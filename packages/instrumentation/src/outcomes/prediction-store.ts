import type { OutcomeSlices } from '../metrics/outcome-metrics.js';
import type { VariantLabels } from '../metrics/variant-metrics.js';
import type { OutcomeValue } from './record-outcome.js';

/** What is kept of a prediction until its ground truth arrives. */
export interface StoredPrediction extends VariantLabels {
  /** The predicted class or number, if the caller described one. */
  readonly predicted: string | number | undefined;
  /** The declared slice attributes of the request, if any. */
  readonly slices?: OutcomeSlices | undefined;
}

/** A prediction taken for judging, with the shadow runs' predictions of the same input. */
export interface TakenPrediction extends StoredPrediction {
  readonly shadows?: readonly StoredPrediction[];
}

// A served call runs at most one shadow per routing flag; more than this is a bug, not a reason to grow.
const MAX_SHADOWS = 4;

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
  /** Position in the insertion queue; tells a live queue slot from one left by a taken or re-put id. */
  readonly seq: number;
  /** Shadow predictions of the same input, attached when the shadow run finishes. */
  shadows?: StoredPrediction[];
  /** Shadow runs of the same input still going. */
  pending?: number;
  /** The ground truth, kept once taken while shadows were pending, to judge them when they finish. */
  actual?: OutcomeValue;
}

/** The ground truth a late shadow is judged with, and the slices of its request. */
export interface LateTruth {
  readonly actual: OutcomeValue;
  readonly slices: OutcomeSlices | undefined;
}

/**
 * Keeps recent predictions so an outcome that arrives later can be joined to the variant that made
 * it. Bounded in count and in age: a prediction is forgotten when it is older than `ttlMs` or when
 * `maxEntries` newer ones have arrived. An outcome for a forgotten prediction cannot be attributed;
 * the caller then counts it as unmatched (or uses the explicit form with flag and variant).
 */
export class PredictionStore {
  readonly #entries = new Map<string, Entry>();
  // Insertion order lives in these parallel arrays, read from #head. Iterating the Map from the front
  // instead walks over every slot a deletion left behind until V8 rehashes the table, which made a
  // full store cost tens of microseconds per put (bench/src/instrumentation).
  #ids: string[] = [];
  #seqs: number[] = [];
  #head = 0;
  #seq = 0;
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

  /** Remembers a prediction under its id; the same id again replaces it and counts as new. */
  put(id: string, prediction: StoredPrediction): void {
    const now = this.#now();
    const seq = ++this.#seq;
    this.#entries.set(id, { prediction, expiresAt: now + this.#ttlMs, seq });
    this.#ids.push(id);
    this.#seqs.push(seq);
    this.#dropFromFront(now);
    // Taken predictions leave dead slots behind the head; compact before they outnumber the live ones.
    if (this.#ids.length - this.#head > 2 * this.#maxEntries + 1024) this.#compact();
  }

  /**
   * Notes that a shadow run of the input `id` predicted has started, so an outcome arriving before it
   * finishes keeps its ground truth for it. False when the prediction is gone or has enough shadows.
   */
  expectShadow(id: string): boolean {
    const entry = this.#live(id);
    if (!entry || entry.actual !== undefined || (entry.pending ?? 0) + (entry.shadows?.length ?? 0) >= MAX_SHADOWS) return false;
    entry.pending = (entry.pending ?? 0) + 1;
    return true;
  }

  /**
   * A shadow run {@link expectShadow} announced has finished, with its prediction (undefined: it failed or
   * described none). Before the outcome, the prediction joins the served one, and the outcome judges both;
   * after it, the ground truth to judge the shadow with is returned, and the last shadow forgets the entry.
   */
  settleShadow(id: string, shadow: StoredPrediction | undefined): LateTruth | undefined {
    const entry = this.#live(id);
    if (!entry?.pending) return undefined;
    entry.pending--;
    if (entry.actual === undefined) {
      if (shadow) {
        entry.shadows ??= [];
        entry.shadows.push(shadow);
      }
      return undefined;
    }
    if (entry.pending === 0) this.#entries.delete(id);
    return shadow && { actual: entry.actual, slices: entry.prediction.slices };
  }

  /**
   * Returns and forgets a prediction and its shadows; `undefined` if unknown, expired, evicted or already
   * judged: one outcome per prediction. With `actual`, shadows still running are judged with it as they finish.
   */
  take(id: string, actual?: OutcomeValue): TakenPrediction | undefined {
    const entry = this.#entries.get(id);
    if (!entry || entry.actual !== undefined) return undefined;
    const live = entry.expiresAt > this.#now();
    if (live && entry.pending && actual !== undefined) entry.actual = actual;
    else this.#entries.delete(id);
    if (!live) return undefined;
    return entry.shadows ? { ...entry.prediction, shadows: entry.shadows } : entry.prediction;
  }

  #live(id: string): Entry | undefined {
    const entry = this.#entries.get(id);
    return entry && entry.expiresAt > this.#now() ? entry : undefined;
  }

  /** Drops expired predictions, and the oldest while over the limit, from the front of the queue. */
  #dropFromFront(now: number): void {
    while (this.#head < this.#ids.length) {
      const id = this.#ids[this.#head] as string;
      const entry = this.#entries.get(id);
      const live = entry !== undefined && entry.seq === this.#seqs[this.#head];
      if (live && entry.expiresAt > now && this.#entries.size <= this.#maxEntries) break;
      if (live) this.#entries.delete(id);
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#ids.length) this.#compact();
  }

  /** Rewrites the queue with live slots only. */
  #compact(): void {
    const ids: string[] = [];
    const seqs: number[] = [];
    for (let i = this.#head; i < this.#ids.length; i++) {
      const id = this.#ids[i] as string;
      if (this.#entries.get(id)?.seq === this.#seqs[i]) {
        ids.push(id);
        seqs.push(this.#seqs[i] as number);
      }
    }
    this.#ids = ids;
    this.#seqs = seqs;
    this.#head = 0;
  }
}
