/** Options for shadow runs. */
export interface ShadowOptions {
  /** Shadow calls allowed in flight at once, across all flags; further sampled calls are dropped and counted. Default 4. */
  readonly maxConcurrent?: number;
  /** Source of randomness for sampling, in [0, 1); default `Math.random`. */
  readonly random?: () => number;
}

/**
 * Admission for shadow calls: a sampling decision and a semaphore that never queues. A shadow call
 * either gets a slot now or is dropped, so a slow or hung shadow model can hold at most
 * `maxConcurrent` calls' worth of memory and sockets, whatever the request rate.
 */
export class ShadowRunner {
  /** The bound on shadow calls in flight. */
  readonly maxConcurrent: number;
  readonly #random: () => number;
  #inFlight = 0;

  constructor(options: ShadowOptions = {}) {
    const max = options.maxConcurrent ?? 4;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`shadow.maxConcurrent must be a non-negative integer, got ${max}`);
    this.maxConcurrent = max;
    this.#random = options.random ?? Math.random;
  }

  /** Shadow calls running now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Whether this call falls in a sample of `rate` (default 1: every call). */
  sampled(rate = 1): boolean {
    return rate >= 1 || this.#random() < rate;
  }

  /** Takes a slot if one is free; the caller must {@link release} it when its shadow call settles. */
  tryAcquire(): boolean {
    if (this.#inFlight >= this.maxConcurrent) return false;
    this.#inFlight++;
    return true;
  }

  /** Gives a slot back. */
  release(): void {
    if (this.#inFlight > 0) this.#inFlight--;
  }
}
