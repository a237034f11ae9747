import { murmur3 } from '../bucket/murmur3.js';
import { slotOfHash } from '../bucket/slot.js';

/** What flagd puts in the JsonLogic data next to the evaluation context. */
export interface FlagdProperties {
  readonly flagKey: string;
  /** Unix seconds at evaluation. */
  readonly timestamp: number;
}

/** A bucket's pick: a variant name, or a boolean when `fractional` is used as a condition. */
export type FractionalPick = string | number | boolean;

// Up to 2^21 the product hash * total stays below 2^53 and slotOfHash is exact; above, use BigInt.
const EXACT_TOTAL = 2 ** 21;

function isPick(value: unknown): value is FractionalPick {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/** Weights of well-formed buckets, or undefined when any bucket is malformed. */
function weightsOf(buckets: readonly unknown[]): { picks: FractionalPick[]; weights: number[] } | undefined {
  const picks: FractionalPick[] = [];
  const weights: number[] = [];
  for (const bucket of buckets) {
    if (!Array.isArray(bucket) || bucket.length < 1 || bucket.length > 2) return undefined;
    const [pick, weight = 1] = bucket as unknown[];
    if (!isPick(pick) || typeof weight !== 'number' || !Number.isFinite(weight)) return undefined;
    picks.push(pick);
    // flagd v2 weights are integers; a negative weight counts as 0 (flagd-testbed @operator-errors).
    weights.push(Math.max(0, Math.trunc(weight)));
  }
  return { picks, weights };
}

function bucketOf(hash: number, total: number): number {
  return total <= EXACT_TOTAL ? slotOfHash(hash, total) : Number((BigInt(hash) * BigInt(total)) >> 32n);
}

/**
 * flagd's `fractional` (v2), with its arguments already evaluated: an optional bucketing
 * string, then `[pick, weight?]` buckets. Without the string it buckets by
 * `$flagd.flagKey + targetingKey`. Returns the chosen pick, or null when the configuration or
 * the context does not allow a choice (flagd falls through to the default variant then).
 */
export function fractional(args: readonly unknown[], data: Readonly<Record<string, unknown>>): FractionalPick | null {
  const [first] = args;
  let key: string;
  let buckets: readonly unknown[];
  if (Array.isArray(first)) {
    const flagd = data.$flagd as FlagdProperties | undefined;
    const targetingKey = data.targetingKey;
    if (typeof flagd?.flagKey !== 'string' || typeof targetingKey !== 'string') return null;
    key = flagd.flagKey + targetingKey;
    buckets = args;
  } else if (typeof first === 'string') {
    key = first;
    buckets = args.slice(1);
  } else return null;

  const parsed = weightsOf(buckets);
  if (!parsed || parsed.picks.length === 0) return null;
  const total = parsed.weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0) return null;
  // same as flagd fractional v2: (hash * totalWeight) >> 32, walked against cumulative weights
  const bucket = bucketOf(murmur3(key), total);
  let end = 0;
  for (let i = 0; i < parsed.weights.length; i++) {
    end += parsed.weights[i] as number;
    if (bucket < end) return parsed.picks[i] as FractionalPick;
  }
  return null;
}
