import type { Compared, Comparison, Delta, Figure, Interval, VariantComparison } from '../analysis/types';
import type { AlertRuleDefinition, ComparisonSpec, FigureSpec } from './rule';

/** One number a rule judges: a variant's figure (or one slice of it) beside control's, as the analysis gave it. */
export interface Measurement {
  /** Who was measured: "v2", "v2 [slice region=eu]", or "split" for the SRM test. */
  subject: string;
  variant: string;
  slice?: { attribute: string; value: string };
  value: number | null;
  control: number | null;
  interval?: Interval;
  delta?: Delta;
  /** The sample the figure rests on (the smaller side when compared with control). */
  samples: number;
  /** Set when the analysis itself declined: too little data in its own guard's unit. */
  insufficient?: { needed: number; have: number; unit: string };
}

const figureValue = (figure: Figure): number | null => (figure.status === 'ok' ? figure.value : null);
const samplesOf = (figure: Figure): number => (figure.status === 'ok' ? figure.n : figure.have);
const shortage = (figure: Figure) =>
  figure.status === 'insufficient' ? { needed: figure.needed, have: figure.have, unit: figure.unit } : undefined;

function fromCompared(subject: string, variant: string, compared: Compared): Measurement {
  const measurement: Measurement = {
    subject,
    variant,
    value: figureValue(compared.variant),
    control: figureValue(compared.control),
    samples: Math.min(samplesOf(compared.variant), samplesOf(compared.control)),
  };
  if (compared.variant.status === 'ok' && compared.variant.interval) measurement.interval = compared.variant.interval;
  if (compared.delta) measurement.delta = compared.delta;
  const short = shortage(compared.variant) ?? shortage(compared.control);
  if (short) measurement.insufficient = short;
  return measurement;
}

/** A measurement of a figure the analysis did not produce at all: not enough data, in `unit`. */
const nothingMeasured = (subject: string, unit: string, variant = subject): Measurement => ({
  subject,
  variant,
  value: null,
  control: null,
  samples: 0,
  insufficient: { needed: 1, have: 0, unit },
});

// A figure that is not compared with control (drift): its own value, samples and p-value when there is one.
function fromFigure<T>(
  subject: string,
  variant: string,
  figure: Figure<T> | undefined,
  read: (value: T) => number,
  pValue?: (value: T) => number,
) {
  if (!figure) return nothingMeasured(subject, 'recorded distributions', variant);
  const measurement: Measurement = { subject, variant, value: null, control: null, samples: 0 };
  if (figure.status === 'insufficient') return { ...measurement, samples: figure.have, insufficient: shortage(figure as Figure) };
  measurement.value = read(figure.value);
  measurement.samples = figure.n;
  const p = pValue?.(figure.value);
  if (p !== undefined) measurement.delta = { value: measurement.value, pValue: p, significant: false, method: 'drift statistic' };
  return measurement;
}

function variantFigure(spec: FigureSpec, row: VariantComparison): Measurement {
  const v = row.variant;
  switch (spec.kind) {
    case 'latency': {
      const compared = row.latency[spec.quantile];
      return compared ? fromCompared(v, v, compared) : nothingMeasured(v, `${spec.quantile} figures`);
    }
    case 'errorRate':
    case 'accuracy':
    case 'macroF1':
    case 'meanAbsoluteError':
      return fromCompared(v, v, row[spec.kind]);
    case 'eventRate': {
      const event = row.events[spec.event];
      return event ? fromCompared(v, v, event.rate) : nothingMeasured(v, `${spec.event} events`);
    }
    case 'drift': {
      const pair = spec.against === 'control' ? row.drift.vsControl : row.drift.vsBaseline;
      const figure = pair[spec.of];
      if (spec.measure === 'psi') return fromFigure(v, v, figure, (d) => d.psi);
      if (spec.measure === 'js') return fromFigure(v, v, figure, (d) => d.jensenShannon.distance);
      // Class distributions have no KS; their chi-square p-value stands in for the test, its statistic does not.
      return fromFigure(
        v,
        v,
        figure,
        (d) => d.ks?.statistic ?? Number.NaN,
        (d) => d.ks?.pValue ?? d.chiSquare?.pValue ?? Number.NaN,
      );
    }
    case 'srm':
      throw new RangeError('srm is measured on the split, not per variant');
  }
}

/** Every measurement a rule judges in one comparison: per variant, per slice, or the split as a whole. */
export function measure(rule: AlertRuleDefinition, comparison: Comparison): Measurement[] {
  const spec = rule.figure;
  if (spec.kind === 'srm') {
    const srm = fromFigure('split', 'split', comparison.srm, (s) => s.pValue);
    return [srm];
  }
  const judged = (variant: string) => (rule.variants ? rule.variants.includes(variant) : variant !== comparison.control);
  if (rule.scope === 'slices') {
    if (spec.kind !== 'errorRate' && spec.kind !== 'accuracy') return [];
    return comparison.slices.rows
      .filter((row) => judged(row.variant) && (rule.sliceAttribute === undefined || row.attribute === rule.sliceAttribute))
      .map((row) => ({
        ...fromCompared(`${row.variant} [slice ${row.attribute}=${row.value}]`, row.variant, row[spec.kind]),
        slice: { attribute: row.attribute, value: row.value },
      }));
  }
  return comparison.variants.filter((row) => judged(row.variant)).map((row) => variantFigure(spec, row));
}

/** The figure as people read it: "latency p95", "drift psi of score vs control", "rate of checkout". */
export function figureLabel(spec: FigureSpec): string {
  switch (spec.kind) {
    case 'latency':
      return `latency ${spec.quantile}`;
    case 'drift':
      return `drift ${spec.measure} of ${spec.of} vs ${spec.against}`;
    case 'eventRate':
      return `rate of ${spec.event}`;
    case 'srm':
      return 'sample-ratio-mismatch p-value';
    default:
      return spec.kind;
  }
}

/** The comparison in words: "above 0.5", "more than 20% above control", "more than 2 points below control". */
export function comparisonWords(c: ComparisonSpec): string {
  if (c.type === 'absolute') return `${c.op} ${c.threshold}`;
  const unit = c.unit === 'percent' ? '%' : c.unit === 'points' ? ' points' : '';
  return `more than ${c.by}${unit} ${c.op} control`;
}
