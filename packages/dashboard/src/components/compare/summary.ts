import type { DriftReport } from '@/src/server/analysis/drift';
import type { Compared, Comparison, Figure, VariantComparison } from '@/src/server/analysis/types';
import { type FigureUnit, formatDelta, formatInterval, formatPValue, formatRelative, formatValue } from './format';
import { type Direction, insufficientText, VERDICT_LABELS, type Verdict, verdictOf } from './verdict';

/** One line of the summary table: a figure of a candidate beside control, ready to render. */
export interface SummaryRow {
  id: string;
  group: 'Traffic' | 'Latency' | 'Errors' | 'Quality' | 'Drift vs control' | 'Business events';
  figure: string;
  control: string;
  value: string;
  /** Interval of the candidate's own figure. */
  valueInterval?: string;
  delta?: string;
  relative?: string;
  deltaInterval?: string;
  /** Adjusted when the method adjusted it. */
  pValue?: string;
  verdict: Verdict;
  /** The verdict in words, including how much data is missing when it is insufficient. */
  verdictText: string;
  /** The test behind the verdict, shown as the cell's title. */
  method?: string;
}

/** One candidate's rows and a one-sentence headline for screen readers and the collapsed view. */
export interface CandidateSummary {
  variant: string;
  control: string;
  /** A shadow (dark-launch) run: the variant's answers on a sample of requests, never served. */
  shadow: boolean;
  headline: string;
  counts: Record<Verdict, number>;
  rows: SummaryRow[];
}

export interface SummaryOptions {
  /** Business events where fewer is better (cancellations, refunds); all others count as better when higher. */
  lowerIsBetterEvents?: readonly string[];
  /** Estimated model cost per variant over the window, US dollars (the response's `variants[].costUsd`). */
  costUsd?: Readonly<Record<string, number>>;
  /** The candidates are shadow runs (the response's `shadow`): marked as such, and without cost. */
  shadow?: boolean;
}

const figureText = (figure: Figure, unit: FigureUnit): string => (figure.status === 'ok' ? formatValue(figure.value, unit) : '—');

function comparedRow(
  id: string,
  group: SummaryRow['group'],
  figure: string,
  compared: Compared,
  unit: FigureUnit,
  direction: Direction,
): SummaryRow {
  const verdict = verdictOf(compared, direction);
  const row: SummaryRow = {
    id,
    group,
    figure,
    control: figureText(compared.control, unit),
    value: figureText(compared.variant, unit),
    verdict,
    verdictText: verdict === 'insufficient' ? insufficientText(compared) : VERDICT_LABELS[verdict].words,
  };
  const v = compared.variant;
  if (v.status === 'ok' && v.interval) row.valueInterval = formatInterval(v.interval.lower, v.interval.upper, unit);
  const delta = compared.delta;
  if (delta) {
    row.delta = formatDelta(delta.value, unit);
    const relative = compared.control.status === 'ok' ? formatRelative(delta.value, compared.control.value) : undefined;
    if (relative) row.relative = relative;
    if (delta.interval) row.deltaInterval = formatInterval(delta.interval.lower, delta.interval.upper, unit, true);
    const p = delta.adjustedPValue ?? delta.pValue;
    if (p !== undefined) row.pValue = formatPValue(p);
    row.method = delta.method;
  }
  return row;
}

function driftRow(id: string, figure: string, drift: Figure<DriftReport> | undefined, alpha: number): SummaryRow | undefined {
  if (!drift) return undefined;
  const base = { id, group: 'Drift vs control' as const, figure, control: 'reference' };
  if (drift.status === 'insufficient') {
    const text = `${VERDICT_LABELS.insufficient.words}: ${drift.have.toLocaleString('en-US')} of ${drift.needed.toLocaleString('en-US')} ${drift.unit}`;
    return { ...base, value: '—', verdict: 'insufficient', verdictText: text };
  }
  const report = drift.value;
  const test = report.ks
    ? { p: report.ks.pValue, method: 'Kolmogorov–Smirnov on the bucketed distributions' }
    : report.chiSquare
      ? { p: report.chiSquare.pValue, method: 'Pearson chi-square test of homogeneity' }
      : undefined;
  const verdict: Verdict = !test ? 'no-test' : test.p < alpha ? 'shifted' : 'not-significant';
  const row: SummaryRow = {
    ...base,
    value: `PSI ${formatValue(report.psi, 'number')} · JS ${formatValue(report.jensenShannon.divergence, 'number')}`,
    verdict,
    verdictText: VERDICT_LABELS[verdict].words,
    method: `${test?.method ?? 'no test'}; PSI above 0.1 is a moderate shift, above 0.25 a major one`,
  };
  if (test) row.pValue = formatPValue(test.p);
  return row;
}

const QUALITY: [keyof VariantComparison & ('accuracy' | 'macroPrecision' | 'macroRecall' | 'macroF1'), string][] = [
  ['accuracy', 'Accuracy'],
  ['macroPrecision', 'Precision (macro)'],
  ['macroRecall', 'Recall (macro)'],
  ['macroF1', 'F1 (macro)'],
];

/** Quality figures only appear once either side has labelled outcomes, so an unlabelled model is not a wall of "—". */
const hasData = (c: Compared): boolean => [c.variant, c.control].some((f) => f.status === 'ok' || f.have > 0);
/** Event values only mean something when the service records them. */
const hasValues = (c: Compared): boolean => [c.variant, c.control].some((f) => f.status === 'ok' && f.value !== 0);

function rowsOf(v: VariantComparison, control: VariantComparison, alpha: number, options: SummaryOptions): SummaryRow[] {
  const id = (figure: string) => `${options.shadow ? 'shadow:' : ''}${v.variant}:${figure}`;
  const share = (c: VariantComparison) =>
    `${c.requests.count.toLocaleString('en-US')} (${formatValue(c.requests.share, 'proportion')}; configured ${formatValue(c.requests.expectedShare, 'proportion')})`;
  const rows: (SummaryRow | undefined)[] = [
    options.shadow
      ? {
          id: id('requests'),
          group: 'Traffic',
          figure: 'Shadow calls (share of served)',
          control: `${control.requests.count.toLocaleString('en-US')} served`,
          value: `${v.requests.count.toLocaleString('en-US')} (${formatValue(v.requests.share, 'proportion')})`,
          verdict: 'info',
          verdictText: 'Not served: ran beside the served call',
        }
      : {
          id: id('requests'),
          group: 'Traffic',
          figure: 'Requests (share)',
          control: share(control),
          value: share(v),
          verdict: 'info',
          verdictText: 'See the split check',
        },
  ];
  const cost = options.costUsd;
  if (cost && Object.values(cost).some((usd) => usd > 0)) {
    const perRequest = (c: VariantComparison) => {
      const usd = cost[c.variant] ?? 0;
      return `${formatValue(usd, 'usd')}${c.requests.count > 0 ? ` (${formatValue(usd / c.requests.count, 'usd')} per request)` : ''}`;
    };
    rows.push({
      id: id('cost'),
      group: 'Traffic',
      figure: 'Cost (estimated)',
      control: perRequest(control),
      value: perRequest(v),
      verdict: 'info',
      verdictText: 'No test: an estimate, not a sample',
    });
  }
  for (const [name, compared] of Object.entries(v.latency)) {
    rows.push(comparedRow(id(`latency.${name}`), 'Latency', `Latency ${name}`, compared, 'seconds', 'lower-is-better'));
  }
  rows.push(comparedRow(id('errorRate'), 'Errors', 'Error rate', v.errorRate, 'proportion', 'lower-is-better'));
  for (const [key, label] of QUALITY) {
    if (hasData(v[key])) rows.push(comparedRow(id(key), 'Quality', label, v[key], 'proportion', 'higher-is-better'));
  }
  if (hasData(v.meanAbsoluteError)) {
    rows.push(comparedRow(id('mae'), 'Quality', 'Mean absolute error', v.meanAbsoluteError, 'number', 'lower-is-better'));
  }
  rows.push(driftRow(id('drift.score'), 'Prediction scores', v.drift.vsControl.score, alpha));
  rows.push(driftRow(id('drift.classes'), 'Predicted classes', v.drift.vsControl.classes, alpha));
  for (const [event, figures] of Object.entries(v.events)) {
    const direction: Direction = options.lowerIsBetterEvents?.includes(event) ? 'lower-is-better' : 'higher-is-better';
    rows.push(comparedRow(id(`event.${event}.rate`), 'Business events', `${event} per request`, figures.rate, 'number', direction));
    if (hasValues(figures.value)) {
      rows.push(
        comparedRow(id(`event.${event}.value`), 'Business events', `${event} value per request`, figures.value, 'number', direction),
      );
    }
  }
  return rows.filter((row): row is SummaryRow => row !== undefined);
}

function headlineOf(variant: string, control: string, rows: SummaryRow[], counts: Record<Verdict, number>): string {
  const names = (verdict: Verdict) =>
    rows
      .filter((r) => r.verdict === verdict)
      .map((r) => r.figure)
      .join(', ');
  const parts: string[] = [];
  if (counts.worse) parts.push(`worse on ${names('worse')}`);
  if (counts.better) parts.push(`better on ${names('better')}`);
  if (counts.shifted) parts.push(`shifted predictions (${names('shifted')})`);
  if (counts['not-significant']) parts.push(`no significant difference on ${counts['not-significant']}`);
  if (counts.insufficient) parts.push(`not enough data yet for ${counts.insufficient}`);
  return `${variant} against ${control}: ${parts.length > 0 ? parts.join('; ') : 'nothing to compare yet'}.`;
}

/** The summary of every candidate against control, in the order of the response. */
export function summarise(comparison: Comparison, options: SummaryOptions = {}): CandidateSummary[] {
  const control = comparison.variants.find((v) => v.isControl);
  if (!control) return [];
  return comparison.variants
    .filter((v) => !v.isControl)
    .map((v) => {
      const rows = rowsOf(v, control, comparison.options.alpha, options);
      const counts = Object.fromEntries(Object.keys(VERDICT_LABELS).map((k) => [k, 0])) as Record<Verdict, number>;
      for (const row of rows) counts[row.verdict]++;
      const shadow = options.shadow === true;
      const name = shadow ? `${v.variant} (shadow)` : v.variant;
      return {
        variant: v.variant,
        control: control.variant,
        shadow,
        headline: headlineOf(name, control.variant, rows, counts),
        counts,
        rows,
      };
    });
}
