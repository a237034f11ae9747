import type { AdmittedSample, DropTally } from './admit';

/** How many distinct values the store accepts: flags per environment, and per flag for each label. */
export interface LabelCaps {
  flags: number;
  variants: number;
  models: number;
  /** Each other label (`mode`, `class`, slices...) except `le`, whose values the buckets fix. */
  other: number;
}

// Generous next to the instrumentation's own guard (50 learned values per label), tight enough that
// one flag cannot hold more than a few thousand series.
export const DEFAULT_CAPS: LabelCaps = { flags: 1000, variants: 32, models: 32, other: 64 };

/** A label value the store has accepted: `flag` is '' for the environment-wide list of flags. */
export interface LabelValue {
  flag: string;
  label: string;
  value: string;
}

/** Accepted values by `flag \0 label`. */
export type KnownValues = Map<string, Set<string>>;

export const knownKey = (flag: string, label: string) => `${flag}\u0000${label}`;

/** Groups stored label values for {@link applyCaps}. */
export function knownValues(rows: readonly LabelValue[]): KnownValues {
  const known: KnownValues = new Map();
  for (const row of rows) {
    const key = knownKey(row.flag, row.label);
    const values = known.get(key) ?? new Set<string>();
    values.add(row.value);
    known.set(key, values);
  }
  return known;
}

/**
 * Drops samples that would add a label value past its cap, first come first served, so a buggy or
 * hostile pusher cannot grow the store without bound. Returns the kept samples and the values this
 * push adds (to be stored with it). Caps are checked against what the store already holds, so they
 * bound the store, not just one push; concurrent pushes may overshoot a cap by the values they race on.
 */
export function applyCaps(
  samples: readonly AdmittedSample[],
  known: KnownValues,
  caps: LabelCaps,
  dropped: DropTally,
): { kept: AdmittedSample[]; added: LabelValue[] } {
  const added: LabelValue[] = [];
  const admits = (flag: string, label: string, value: string, cap: number): boolean => {
    if (value === '') return true;
    const key = knownKey(flag, label);
    let values = known.get(key);
    if (values?.has(value)) return true;
    if ((values?.size ?? 0) >= cap) return false;
    if (!values) {
      values = new Set<string>();
      known.set(key, values);
    }
    values.add(value);
    added.push({ flag, label, value });
    return true;
  };
  const kept = samples.filter((sample) => {
    const ok =
      admits('', 'flag', sample.flag, caps.flags) &&
      admits(sample.flag, 'variant', sample.variant, caps.variants) &&
      admits(sample.flag, 'model', sample.model, caps.models) &&
      Object.entries(sample.capped).every(([label, value]) => admits(sample.flag, label, value, caps.other));
    if (!ok) dropped.add('label_cap');
    return ok;
  });
  return { kept, added };
}
