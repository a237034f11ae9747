import type { Exposition, MetricType, Sample } from './exposition';

/**
 * Labels the instrumentation writes (`label` is the cardinality guard's own overflow counter;
 * `predicted_class` and `actual_class` are the confusion-matrix cell of an outcome).
 */
export const KNOWN_LABELS = [
  'flag',
  'variant',
  'model',
  'mode',
  'reason',
  'type',
  'class',
  'outcome',
  'predicted_class',
  'actual_class',
  'event',
  'le',
  'label',
] as const;

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
  /** A bucket's upper bound as exposed; undefined for other kinds. */
  le: string | undefined;
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

type Label = [name: string, value: string];
const byName = (a: Label, b: Label) => (a[0] < b[0] ? -1 : 1);

/**
 * JSON of labels already sorted by name (what `JSON.stringify` gives for an object with sorted keys).
 * Names are identifiers and values match SAFE_VALUE, so nothing needs escaping; this is on the hot path.
 */
function canonical(sorted: readonly Label[]): string {
  let json = '{';
  for (const [name, value] of sorted) json += `${json.length > 1 ? ',' : ''}"${name}":"${value}"`;
  return `${json}}`;
}

/** Counts drops by reason. */
export class DropTally {
  readonly byReason: Partial<Record<DropReason, number>> = {};
  total = 0;

  add(reason: DropReason, count = 1): void {
    this.byReason[reason] = (this.byReason[reason] ?? 0) + count;
    this.total += count;
  }
}

type Admission = Omit<AdmittedSample, 'value'> | DropReason;

// The parser hands out one labels object per distinct series head, and a service pushes the same
// series every time, so what the labels decide is worked out once per head, kind and allowed set.
const admissions = new WeakMap<object, Map<string, { kind: SampleKind; allowedKey: string; admission: Admission }>>();

function admitOne(
  sample: Sample,
  types: ReadonlyMap<string, MetricType>,
  allowed: ReadonlySet<string>,
  allowedKey: string,
): AdmittedSample | DropReason {
  const { name, value } = sample;
  if (!name.startsWith('flaglens_') || name.length > MAX_NAME_LENGTH) return 'not_flaglens';
  const shape = kindOf(name, types);
  if (!shape) return 'unsupported_type';
  // Cumulative counts are never negative or NaN; a histogram's sum may be negative (negative observations).
  if (Number.isNaN(value) || !Number.isFinite(value) || (shape.kind !== 'sum' && value < 0)) return 'invalid_value';
  let byName = admissions.get(sample.labels);
  if (!byName) {
    byName = new Map();
    admissions.set(sample.labels, byName);
  }
  let cached = byName.get(name);
  if (cached?.kind !== shape.kind || cached.allowedKey !== allowedKey) {
    cached = { kind: shape.kind, allowedKey, admission: admitLabels(sample, shape, allowed) };
    byName.set(name, cached);
  }
  const { admission } = cached;
  if (typeof admission === 'string') return admission;
  // Spelled out rather than spread: this runs for every sample of every push.
  const { series, group, kind, metric, flag, variant, model, labels, capped, le } = admission;
  return { series, group, kind, metric, flag, variant, model, labels, capped, le, value };
}

function admitLabels(sample: Sample, shape: { family: string; kind: SampleKind }, allowed: ReadonlySet<string>): Admission {
  const { name } = sample;
  let flag = '';
  let variant = '';
  let model = '';
  let le: string | undefined;
  const rest: Label[] = [];
  for (const label in sample.labels) {
    const labelValue = sample.labels[label] as string;
    if (!allowed.has(label)) return 'unknown_label';
    // Prometheus treats an empty label value as an absent label.
    if (labelValue === '') continue;
    if (label === 'le') {
      if (shape.kind !== 'bucket' || !isBound(labelValue)) return 'invalid_histogram';
      le = labelValue;
      continue;
    }
    if (labelValue.length > MAX_VALUE_LENGTH || !SAFE_VALUE.test(labelValue)) return 'invalid_label_value';
    if (label === 'flag') flag = labelValue;
    else if (label === 'variant') variant = labelValue;
    else if (label === 'model') model = labelValue;
    else rest.push([label, labelValue]);
  }
  if (shape.kind === 'bucket' && le === undefined) return 'invalid_histogram';
  const capped = Object.fromEntries(rest);
  const keyed: Label[] = [...rest, ['flag', flag] as Label, ['variant', variant] as Label, ['model', model] as Label].sort(byName);
  const identity = canonical(keyed);
  if (le !== undefined) {
    rest.push(['le', le]);
    keyed.push(['le', le]);
  }
  return {
    series: `${name}${le === undefined ? identity : canonical(keyed.sort(byName))}`,
    group: `${shape.family}${identity}`,
    kind: shape.kind,
    metric: name,
    flag,
    variant,
    model,
    labels: canonical(rest.sort(byName)),
    capped,
    le,
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
  const declared = sliceLabels.slice(0, MAX_SLICE_LABELS);
  const allowed = new Set<string>([...KNOWN_LABELS, ...declared]);
  const allowedKey = JSON.stringify(declared);
  const dropped = new DropTally();
  const admitted: AdmittedSample[] = [];
  for (const sample of exposition.samples) {
    const result = admitOne(sample, exposition.types, allowed, allowedKey);
    if (typeof result === 'string') dropped.add(result);
    else admitted.push(result);
  }
  return { admitted, dropped };
}
