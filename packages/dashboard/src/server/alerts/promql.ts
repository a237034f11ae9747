import { METRIC } from '../compare/mapping';
import { increaseBy, labelMatcher } from '../metrics/prometheus';
import type { AlertRuleDefinition, FigureSpec } from './rule';

/** Where a figure is read: the flag, which variants, the rule's window, and the labels its series are kept by. */
export interface Selection {
  flag: string;
  /** A `variant` label matcher. */
  variant: string;
  /** The rule's window as a PromQL duration (`10m`, `90s`). */
  range: string;
  /** `variant`, plus the slice attribute for slice rules. */
  by: readonly string[];
}

/** A figure as PromQL: its value per `by` labels, and the sample count `minSamples` is checked against. */
export interface FigureQuery {
  value: string;
  samples: string;
}

/** Why a figure has no PromQL: named in the export, never silently dropped. */
export const NOT_EXPRESSIBLE: Partial<Record<FigureSpec['kind'], string>> = {
  drift: 'drift (PSI, Kolmogorov–Smirnov, Jensen–Shannon) compares whole bucketed distributions, which PromQL cannot compute',
  srm: 'the sample-ratio-mismatch p-value needs the chi-square distribution, which PromQL does not have',
  macroF1: 'macro F1 needs the actual classes, which the instrumentation does not record',
};

// The engine judges served traffic: series with mode="served", or with no mode at all (events); shadow calls stay out.
const SERVED = labelMatcher('mode', 'shadow', '!=');

/** `a / b`, where a missing numerator series (nothing counted) reads as 0 rather than as no result. */
const ratio = (numerator: string, denominator: string) => `(${numerator} or ${denominator} * 0) / ${denominator}`;

/** The PromQL of a figure over the selection, or undefined when PromQL cannot express it (see {@link NOT_EXPRESSIBLE}). */
export function figureQuery(spec: FigureSpec, s: Selection): FigureQuery | undefined {
  const read = (metric: string, extra: readonly string[] = [], by = s.by) =>
    increaseBy(metric, [labelMatcher('flag', s.flag), s.variant, ...extra], s.range, by);
  const requests = read(`${METRIC.duration}_count`, [SERVED]);
  switch (spec.kind) {
    case 'latency': {
      const q = Number(spec.quantile.slice(1)) / 100;
      return { value: `histogram_quantile(${q}, ${read(`${METRIC.duration}_bucket`, [SERVED], [...s.by, 'le'])})`, samples: requests };
    }
    case 'errorRate':
      return { value: ratio(read(METRIC.errors, [SERVED]), requests), samples: requests };
    case 'accuracy': {
      const judged = read(METRIC.outcomes, [SERVED]);
      return { value: ratio(read(METRIC.outcomes, [SERVED, labelMatcher('outcome', 'correct')]), judged), samples: judged };
    }
    case 'meanAbsoluteError': {
      const count = read(`${METRIC.absoluteError}_count`, [SERVED]);
      return { value: `${read(`${METRIC.absoluteError}_sum`, [SERVED])} / ${count}`, samples: count };
    }
    case 'eventRate':
      return { value: ratio(read(METRIC.events, [labelMatcher('event', spec.event)]), requests), samples: requests };
    default:
      return undefined;
  }
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The variants a rule judges: the ones it lists, else every variant but control (series without a variant never count). */
export function variantMatcher(rule: AlertRuleDefinition, control: string): string {
  if (rule.variants) return labelMatcher('variant', rule.variants.map(escapeRegex).join('|'), '=~');
  return labelMatcher('variant', `${escapeRegex(control)}|`, '!~');
}

/**
 * The alerting expression of a rule on one flag: the figure (or, relative to control, its distance from control
 * in the rule's unit, so `$value` is what the engine calls "observed") beyond the threshold, where the judged
 * variant and, for relative rules, control each have at least `minSamples`.
 */
export function alertExpression(rule: AlertRuleDefinition, flag: string, control: string, sliceAttribute?: string): string | undefined {
  const by = sliceAttribute ? ['variant', sliceAttribute] : ['variant'];
  const base = { flag, range: rule.window, by };
  const judged = figureQuery(rule.figure, { ...base, variant: variantMatcher(rule, control) });
  if (!judged) return undefined;
  const enough = (samples: string) => `(${samples} >= ${rule.minSamples})`;
  const c = rule.comparison;
  if (c.type === 'absolute') {
    return `(${judged.value}) ${c.op === 'above' ? '>' : '<'} ${c.threshold} and on (${by.join(', ')}) ${enough(judged.samples)}`;
  }
  const reference = figureQuery(rule.figure, { ...base, variant: labelMatcher('variant', control) });
  if (!reference) return undefined;
  // One control series per slice: `ignoring(variant) group_left` pairs it with every judged variant's.
  const against = 'ignoring (variant) group_left ()';
  const difference = `((${judged.value}) - ${against} (${reference.value}))`;
  const distance =
    c.unit === 'percent'
      ? // A zero control has no relative change (the engine counts it as no data), so it is filtered out, not divided by.
        `${difference} / ${against} ((${reference.value}) != 0) * 100`
      : c.unit === 'points'
        ? `${difference} * 100`
        : difference;
  const threshold = c.op === 'above' ? `> ${c.by}` : `< ${-c.by}`;
  return `(${distance}) ${threshold} and on (${by.join(', ')}) ${enough(judged.samples)} and ignoring (variant) ${enough(reference.samples)}`;
}
