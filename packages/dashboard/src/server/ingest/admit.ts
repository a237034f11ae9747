import type { Exposition, MetricType, Sample } from './exposition';

/** Labels the instrumentation writes (`label` is the cardinality guard's own overflow counter). */
export const KNOWN_LABELS = ['flag', 'variant', 'model', 'mode', 'reason', 'type', 'class', 'outcome', 'event', 'le', 'label'] as const;

/** Slice (segment) attributes accepted by default; a deployment may declare up to {@link MAX_SLICE_LABELS}. */
export const DEFAULT_SLICE_LABELS = ['region', 'plan', 'segment', 'tier', 'platform', 'locale'] as const;
export const MAX_SLICE_LABELS = 8;

// The instrumentation's LabelGuard admits the same shape, so anything else did not come from it.
const MAX_VALUE_LENGTH = 64;
const SAFE_VALUE = /^[A-Za-z0-9_.:/@+-]+$/;
const MAX_NAME_LENGTH = 128;

/** A bucket's upper bound: a number, or `+Inf` (which `Number()` does not read). */
const isBound = (le: string) => le === '+Inf' || (le.length <= 32 && !Number.isNaN(Number(le)));

/** Why a sample was not kept; the response counts each. */
export type DropReason =
  | 'not_flaglens'
  | 'unsupported_type'
  | 'unknown_label'
  | 'invalid_label_value'
  | 'invalid_value'
  | 'label_cap'
  | 'invalid_histogram';

/** Which part of a metric a sample is: a counter, or a classic histogram's bucket, sum or count. */
export type SampleKind = 'counter' | 'bucket' | 'sum' | 'count';

/** A sample that passed the filter, with the keys the delta and aggregate steps use. */
export interface AdmittedSample {
  /** The exact series, name and every label: the key of its cumulative value per instance. */
  series: string;
  /** The series' histogram (family and labels without `le`), or the series itself for a counter. */
  group: string;
  kind: SampleKind;
  /** The sample name as exposed (`..._bucket`, `..._sum`, `..._count` included). */
  metric: string;
  flag: string;
  variant: string;
  model: string;
  /** Every other label, as canonical JSON (sorted keys), `le` included. */
  labels: string;
  /** The other labels as a map, for the per-flag caps. */
  capped: Readonly<Record<string, string>>;
  value: number;
}

const SUFFIXES: ReadonlyArray<[string, SampleKind]> = [
  ['_bucket', 'bucket'],
  ['_sum', 'sum'],
  ['_count', 'count'],
];

function kindOf(name: string, types: ReadonlyMap<string, MetricType>): { family: string; kind: SampleKind } | undefined {
  if (types.get(name) === 'counter') return { family: name, kind: 'counter' };
  for (const [suffix, kind] of SUFFIXES) {
    const family = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && types.get(family) === 'histogram') return { family, kind };
  }
  return undefined;
}

const canonical = (labels: Readonly<Record<string, string>>): string =>
  JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))));

/** Counts drops by reason. */
export class DropTally {
  readonly byReason: Partial<Record<DropReason, number>> = {};
  total = 0;

  add(reason: DropReason, count = 1): void {
    this.byReason[reason] = (this.byReason[reason] ?? 0) + count;
    this.total += count;
  }
}

function admitOne(sample: Sample, types: ReadonlyMap<string, MetricType>, allowed: ReadonlySet<string>): AdmittedSample | DropReason {
  const { name, value } = sample;
  if (!name.startsWith('flaglens_') || name.length > MAX_NAME_LENGTH) return 'not_flaglens';
  const shape = kindOf(name, types);
  if (!shape) return 'unsupported_type';
  // Cumulative counts are never negative or NaN; a histogram's sum may be negative (negative observations).
  if (Number.isNaN(value) || !Number.isFinite(value) || (shape.kind !== 'sum' && value < 0)) return 'invalid_value';
  let flag = '';
  let variant = '';
  let model = '';
  const rest: Record<string, string> = {};
  for (const [label, labelValue] of Object.entries(sample.labels)) {
    if (!allowed.has(label)) return 'unknown_label';
    // Prometheus treats an empty label value as an absent label.
    if (labelValue === '') continue;
    if (label === 'le') {
      if (shape.kind !== 'bucket' || !isBound(labelValue)) return 'invalid_histogram';
    } else if (labelValue.length > MAX_VALUE_LENGTH || !SAFE_VALUE.test(labelValue)) return 'invalid_label_value';
    if (label === 'flag') flag = labelValue;
    else if (label === 'variant') variant = labelValue;
    else if (label === 'model') model = labelValue;
    else rest[label] = labelValue;
  }
  const le = rest.le;
  if (shape.kind === 'bucket' && le === undefined) return 'invalid_histogram';
  const withoutLe = { ...rest };
  delete withoutLe.le;
  const identity = canonical({ ...withoutLe, flag, variant, model });
  return {
    series: `${name}${le === undefined ? identity : canonical({ ...withoutLe, flag, variant, model, le })}`,
    group: `${shape.family}${identity}`,
    kind: shape.kind,
    metric: name,
    flag,
    variant,
    model,
    labels: canonical(rest),
    capped: withoutLe,
    value,
  };
}

/**
 * Keeps the `flaglens_*` counter and histogram samples whose labels are all known (or declared
 * slices) and whose values are short, plain identifiers; counts the rest by reason.
 */
export function admitSamples(
  exposition: Exposition,
  sliceLabels: readonly string[] = DEFAULT_SLICE_LABELS,
): { admitted: AdmittedSample[]; dropped: DropTally } {
  const allowed = new Set<string>([...KNOWN_LABELS, ...sliceLabels.slice(0, MAX_SLICE_LABELS)]);
  const dropped = new DropTally();
  const admitted: AdmittedSample[] = [];
  for (const sample of exposition.samples) {
    const result = admitOne(sample, exposition.types, allowed);
    if (typeof result === 'string') dropped.add(result);
    else admitted.push(result);
  }
  return { admitted, dropped };
}
