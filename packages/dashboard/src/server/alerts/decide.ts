import type { Comparison } from '../analysis/types';
import { figureLabel, type Measurement, measure } from './figures';
import type { AlertRuleDefinition, ComparisonSpec } from './rule';

/**
 * What one evaluation concluded. `insufficient` ("not enough data yet") is a decision of its own so that
 * quiet traffic is never read as healthy; `unavailable` means the figures could not be computed at all.
 */
export type Decision = 'breach' | 'ok' | 'insufficient' | 'unavailable';

/** A measurement with what the rule made of it. */
export interface Judged extends Measurement {
  /** The number compared with the threshold: the value itself, or its distance from control in the rule's unit. */
  observed: number | null;
  decision: Exclude<Decision, 'unavailable'>;
  why: string;
}

/** The decision record: everything an evaluation decided on, stored and sent with every alert. */
export interface Evidence {
  decision: Decision;
  summary: string;
  figure: string;
  comparison: ComparisonSpec;
  /** Signed: a relative "below" rule has a negative threshold on the distance from control. */
  threshold: number;
  window: string;
  minSamples: number;
  evaluatedAt: string;
  measurements: Judged[];
  /** Slice rules: which slices fired, and the correction their p-values went through. */
  slices?: { correction: 'holm-bonferroni'; fired: string[] };
}

export const signedThreshold = (comparison: ComparisonSpec): number =>
  comparison.type === 'absolute' ? comparison.threshold : comparison.op === 'above' ? comparison.by : -comparison.by;

function distance(comparison: ComparisonSpec, value: number, control: number | null): number | null {
  if (comparison.type === 'absolute') return value;
  if (control === null) return null;
  if (comparison.unit === 'points') return (value - control) * 100;
  if (comparison.unit === 'difference') return value - control;
  // Relative to a zero control is undefined; it counts as no data rather than as an infinite change.
  return control === 0 ? null : ((value - control) / Math.abs(control)) * 100;
}

function judge(rule: AlertRuleDefinition, m: Measurement, threshold: number): Judged {
  const { comparison } = rule;
  const short = (why: string): Judged => ({ ...m, observed: null, decision: 'insufficient', why });
  if (m.insufficient) return short(`not enough data yet: ${m.insufficient.have} of ${m.insufficient.needed} ${m.insufficient.unit}`);
  if (m.samples < rule.minSamples) return short(`not enough data yet: ${m.samples} of ${rule.minSamples} samples`);
  if (m.value === null || Number.isNaN(m.value)) return short('no value');
  const observed = distance(comparison, m.value, m.control);
  if (observed === null) return short('no control value to compare with');
  const beyond = comparison.op === 'above' ? observed > threshold : observed < threshold;
  const unit = comparison.type === 'absolute' ? '' : comparison.unit === 'percent' ? '%' : comparison.unit === 'points' ? ' points' : '';
  const where = `${m.subject}: ${round(observed)}${unit} vs threshold ${round(threshold)}${unit}`;
  if (!beyond) return { ...m, observed, decision: 'ok', why: `${where}, within` };
  if (comparison.type === 'relative' && comparison.significant && !m.delta?.significant) {
    return {
      ...m,
      observed,
      decision: 'ok',
      why: `${where}, beyond but not significant (p=${round(m.delta?.adjustedPValue ?? m.delta?.pValue)})`,
    };
  }
  return { ...m, observed, decision: 'breach', why: `${where}, beyond` };
}

const round = (value: number | undefined) => (value === undefined ? 'n/a' : Number(value.toPrecision(4)));

/**
 * Judges a rule against one window's comparison. Breach when any measurement is beyond its threshold (and,
 * when asked, significant); ok only when every measurement was judged and none was; otherwise not enough data.
 */
export function decide(rule: AlertRuleDefinition, comparison: Comparison | Error, now: Date): Evidence {
  const threshold = signedThreshold(rule.comparison);
  const record = (decision: Decision, summary: string, measurements: Judged[]): Evidence => ({
    decision,
    summary,
    figure: figureLabel(rule.figure),
    comparison: rule.comparison,
    threshold,
    window: rule.window,
    minSamples: rule.minSamples,
    evaluatedAt: now.toISOString(),
    measurements,
  });
  if (comparison instanceof Error) return record('unavailable', `figures unavailable: ${comparison.message}`, []);
  const judged = measure(rule, comparison).map((m) => judge(rule, m, threshold));
  const breaches = judged.filter((j) => j.decision === 'breach');
  const decision: Decision =
    breaches.length > 0 ? 'breach' : judged.length > 0 && judged.every((j) => j.decision === 'ok') ? 'ok' : 'insufficient';
  const pick = decision === 'breach' ? breaches : judged.filter((j) => j.decision === decision);
  const summary = pick.length > 0 ? pick.map((j) => j.why).join('; ') : 'not enough data yet: nothing to measure';
  const evidence = record(decision, summary, judged);
  if (rule.scope === 'slices') evidence.slices = { correction: 'holm-bonferroni', fired: breaches.map((j) => j.subject) };
  return evidence;
}
