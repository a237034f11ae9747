import type { Decision, Evidence, Judged } from '@/src/server/alerts/decide';
import type { FigureSpec } from '@/src/server/alerts/rule';
import { type FigureUnit, formatInterval, formatPValue, formatValue } from '../compare/format';

/** The unit a rule's figure is measured in, for display. */
export function unitOfFigure(kind: FigureSpec['kind']): FigureUnit {
  if (kind === 'latency') return 'seconds';
  if (kind === 'errorRate' || kind === 'accuracy' || kind === 'macroF1' || kind === 'eventRate') return 'proportion';
  return 'number';
}

/** A decision in words; "not enough data yet" is a decision of its own, never read as healthy. */
export const DECISION_WORDS: Record<Decision, string> = {
  breach: 'Breach',
  ok: 'Within threshold',
  insufficient: 'Not enough data yet',
  unavailable: 'Figures unavailable',
};

/** The threshold as the rule reads it: a value for absolute rules, a distance from control for relative ones. */
export function thresholdWords(evidence: Pick<Evidence, 'comparison' | 'threshold'>, unit: FigureUnit): string {
  const c = evidence.comparison;
  if (c.type === 'absolute') return `${c.op} ${formatValue(c.threshold, unit)}`;
  const by = c.unit === 'percent' ? `${c.by}%` : c.unit === 'points' ? `${c.by} percentage points` : formatValue(c.by, unit);
  return `more than ${by} ${c.op} control${c.significant ? ', and significant' : ''}`;
}

/** What a measurement's "observed" number is: the value itself, or its distance from control in the rule's unit. */
export function observedWords(m: Judged, evidence: Pick<Evidence, 'comparison'>, unit: FigureUnit): string {
  if (m.observed === null) return '—';
  const c = evidence.comparison;
  if (c.type === 'absolute') return formatValue(m.observed, unit);
  const sign = m.observed > 0 ? '+' : '';
  if (c.unit === 'percent') return `${sign}${m.observed.toFixed(1)}%`;
  if (c.unit === 'points') return `${sign}${m.observed.toFixed(2)} pp`;
  return `${sign}${formatValue(m.observed, unit)}`;
}

/** The statistic behind a measurement: p-value (Holm-adjusted for slices) or the interval, with the method. */
export function statisticWords(m: Judged, unit: FigureUnit): string {
  const parts: string[] = [];
  const d = m.delta;
  if (d?.adjustedPValue !== undefined) parts.push(`${formatPValue(d.adjustedPValue)} (Holm-adjusted)`);
  else if (d?.pValue !== undefined && Number.isFinite(d.pValue)) parts.push(formatPValue(d.pValue));
  if (d?.interval) parts.push(`difference ${formatInterval(d.interval.lower, d.interval.upper, unit, true)} at ${d.interval.level * 100}%`);
  else if (m.interval) parts.push(`${formatInterval(m.interval.lower, m.interval.upper, unit)} at ${m.interval.level * 100}%`);
  if (d) parts.push(d.significant ? 'significant' : 'not significant');
  if (d?.method) parts.push(d.method);
  return parts.length > 0 ? parts.join(' · ') : '—';
}
