/** Label value a guarded label takes once its cap of distinct values is reached. */
export const OTHER_LABEL_VALUE = '__other__';

/** Per-label limits: values always accepted, and how many others may be learned. */
export interface LabelLimit {
  /** Values always accepted (flag keys, variant names, known classes...). */
  readonly allow?: readonly string[];
  /** How many values outside `allow` are accepted, first come first served; 0 accepts only `allow`. */
  readonly cap: number;
}

/** Options for {@link LabelGuard}. */
export interface LabelGuardOptions {
  /** Learned values accepted for labels without a limit of their own; default 50. */
  readonly defaultCap?: number;
  /** Called each time a value is turned into `__other__`, e.g. to count it. */
  readonly onOverflow?: (label: string) => void;
}

// Longer values are almost certainly free text or identifiers, which must never become labels.
const MAX_VALUE_LENGTH = 64;
const SAFE_VALUE = /^[A-Za-z0-9_.:/@+-]+$/;

/**
 * Bounds label cardinality: each label accepts its allow-list plus at most `cap` further distinct
 * values; later unknown values, and values that look like free text (too long, spaces, odd
 * characters), become `__other__`. Memory stays bounded by the caps whatever callers pass.
 *
 * @example
 * const guard = new LabelGuard({ class: { allow: ['cat', 'dog'], cap: 0 } });
 * guard.value('class', 'horse'); // '__other__'
 */
export class LabelGuard {
  readonly #limits: Map<string, LabelLimit>;
  readonly #seen = new Map<string, Set<string>>();
  readonly #defaultCap: number;
  readonly #onOverflow: ((label: string) => void) | undefined;

  /** `limits` by label name; labels not listed accept `options.defaultCap` (50) learned values. */
  constructor(limits: Readonly<Record<string, LabelLimit>> = {}, options: LabelGuardOptions = {}) {
    this.#limits = new Map(Object.entries(limits));
    this.#defaultCap = options.defaultCap ?? 50;
    this.#onOverflow = options.onOverflow;
  }

  /** The value to use for `label`: `value` itself if admitted, else `__other__`. */
  value(label: string, value: string): string {
    const seen = this.#seenFor(label);
    if (seen.has(value)) return value;
    const limit = this.#limits.get(label);
    const cap = limit?.cap ?? this.#defaultCap;
    const learned = seen.size - (limit?.allow?.length ?? 0);
    if (learned < cap && value.length > 0 && value.length <= MAX_VALUE_LENGTH && SAFE_VALUE.test(value)) {
      seen.add(value);
      return value;
    }
    this.#onOverflow?.(label);
    return OTHER_LABEL_VALUE;
  }

  /** Adds values to a label's allow-list at run time (e.g. the variants of a newly loaded flag set). */
  allow(label: string, values: Iterable<string>): void {
    const limit = this.#limits.get(label);
    const allow = new Set(limit?.allow ?? []);
    const seen = this.#seenFor(label);
    for (const value of values) {
      if (allow.has(value)) continue;
      allow.add(value);
      seen.add(value);
    }
    this.#limits.set(label, { cap: limit?.cap ?? this.#defaultCap, allow: [...allow] });
  }

  #seenFor(label: string): Set<string> {
    let seen = this.#seen.get(label);
    if (!seen) {
      seen = new Set(this.#limits.get(label)?.allow ?? []);
      this.#seen.set(label, seen);
    }
    return seen;
  }
}
