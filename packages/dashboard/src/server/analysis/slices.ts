import { comparedProportion, comparedQuality } from './compared';
import { holmAdjust } from './holm';
import type { AnalysisOptions, Compared, SliceCounts, SliceReport, SliceRow, VariantWindow } from './types';

const EMPTY: SliceCounts = { requests: 0, errors: 0 };

// Outcomes may carry slices that requests do not (the instrumentation labels outcomes only), so both count.
const volumeOf = (counts: SliceCounts): number =>
  counts.requests + (counts.confusion?.matrix.reduce((s, row) => s + row.reduce((t, x) => t + x, 0), 0) ?? 0);

/**
 * Quality per declared slice value (e.g. region, plan), variant against control in the same slice, so a
 * variant better overall but worse for one group shows it. Per attribute only the `cap` values with the most
 * requests and labelled outcomes are analysed; how many were dropped is part of the result. Each variant's slice p-values, per
 * figure, form one family corrected with Holm–Bonferroni (GrowthBook #5248: a slice that fires alone must
 * survive multiplicity), and `significant` follows the adjusted p-value. Macro-F1 deltas, which are
 * interval-only, use Bonferroni-widened intervals (α / number of slices) instead.
 */
export function sliceReport(control: VariantWindow, others: VariantWindow[], options: AnalysisOptions): SliceReport {
  const all = [control, ...others];
  const attributes = [...new Set(all.flatMap((v) => Object.keys(v.slices ?? {})))].sort();
  const report: SliceReport = { cap: options.sliceCap, correction: 'holm-bonferroni', attributes: [], rows: [] };
  for (const attribute of attributes) {
    const volume = new Map<string, number>();
    for (const v of all) {
      for (const [value, counts] of Object.entries(v.slices?.[attribute] ?? {}))
        volume.set(value, (volume.get(value) ?? 0) + volumeOf(counts));
    }
    const ranked = [...volume.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value]) => value);
    const kept = ranked.slice(0, options.sliceCap);
    report.attributes.push({ attribute, seen: ranked.length, kept, dropped: ranked.length - kept.length });
  }
  // Family size per variant: every kept slice value of every attribute.
  const family = report.attributes.reduce((s, a) => s + a.kept.length, 0);
  for (const { attribute, kept } of report.attributes) {
    for (const value of kept) {
      const c = control.slices?.[attribute]?.[value] ?? EMPTY;
      for (const v of others) {
        report.rows.push(sliceRow(attribute, value, v.variant, v.slices?.[attribute]?.[value] ?? EMPTY, c, options, family));
      }
    }
  }
  for (const v of others) {
    const rows = report.rows.filter((row) => row.variant === v.variant);
    for (const key of ['errorRate', 'accuracy'] as const)
      adjust(
        rows.map((row) => row[key]),
        options.alpha,
      );
  }
  return report;
}

function sliceRow(
  attribute: string,
  value: string,
  variant: string,
  v: SliceCounts,
  c: SliceCounts,
  options: AnalysisOptions,
  family: number,
): SliceRow {
  const { alpha, minimums } = options;
  const errorRate = comparedProportion(
    { successes: v.errors, trials: v.requests },
    { successes: c.errors, trials: c.requests },
    alpha,
    minimums.trials,
    'requests',
    true,
  );
  const quality = comparedQuality(v.confusion, c.confusion, alpha, minimums, true);
  // Macro F1 deltas have no p-value to adjust; Bonferroni over the family widens their intervals instead.
  const macroF1: Compared = { variant: quality.macroF1.variant, control: quality.macroF1.control };
  const corrected = comparedQuality(v.confusion, c.confusion, alpha / Math.max(1, family), minimums, true).macroF1.delta;
  if (corrected) macroF1.delta = { ...corrected, method: `${corrected.method}, Bonferroni over ${family} slices` };
  return { attribute, value, variant, errorRate, accuracy: quality.accuracy, macroF1 };
}

// Holm over the deltas of one family that have a p-value.
function adjust(family: Compared[], alpha: number): void {
  const tested = family.flatMap((compared) => (compared.delta?.pValue === undefined ? [] : [compared.delta]));
  const adjusted = holmAdjust(tested.map((delta) => delta.pValue ?? 1));
  tested.forEach((delta, i) => {
    delta.adjustedPValue = adjusted[i] ?? 1;
    delta.significant = delta.adjustedPValue < alpha;
  });
}
