import { type AnalysisOptions, compareVariants, type VariantWindow } from '../analysis';
import type { SeriesResult } from '../metrics/source';
import { accuracyOf } from './accuracy';
import { groupByVariant, type OutcomeCounts, sumSteps, variantWindow } from './mapping';
import type { ShadowComparison } from './types';

/**
 * Shadow (dark-launch) runs against the served control: each variant's `mode="shadow"` calls and outcomes
 * over the window, compared with what control served. Only series labelled `mode="shadow"` count, so business
 * events and evaluations, which belong to the served variant, stay out. Null when no variant ran in shadow.
 * `requests.share` of a row is its shadow calls over every served call in the window (the sampled share).
 */
export function shadowComparison(
  current: SeriesResult,
  control: VariantWindow & { outcomes: OutcomeCounts },
  servedRequests: number,
  options: AnalysisOptions,
): ShadowComparison | null {
  const n = current.steps.length;
  const onlyShadow = { ...current, series: current.series.filter((s) => s.labels.mode === 'shadow') };
  const windows = [...groupByVariant(onlyShadow, 'shadow').values()]
    .filter((v) => sumSteps(v.requests) > 0 || sumSteps(v.judged) > 0)
    .sort((a, b) => (a.variant < b.variant ? -1 : a.variant > b.variant ? 1 : 0))
    .map((v) => variantWindow(v, 0, 0, n));
  if (windows.length === 0) return null;
  const { outcomes: controlOutcomes, slices, ...controlWindow } = control;
  // Slices only where a shadow run has them: control's other attributes would give shadow rows of nothing.
  const shadowAttributes = new Set(windows.flatMap((w) => Object.keys(w.slices ?? {})));
  const controlSlices = Object.fromEntries(Object.entries(slices ?? {}).filter(([attribute]) => shadowAttributes.has(attribute)));
  const served = { ...controlWindow, slices: controlSlices };
  const input = { control: control.variant, variants: [served, ...windows.map(({ outcomes: _, ...w }) => w)] };
  const comparison = compareVariants(input, options);
  const variants = comparison.variants.slice(1).map((row, i) => {
    const window = windows[i];
    const count = window?.requests ?? 0;
    row.requests = { count, share: servedRequests > 0 ? count / servedRequests : 0, expectedShare: 0 };
    row.accuracy = accuracyOf(window?.outcomes ?? { correct: 0, judged: 0 }, controlOutcomes, options, true);
    // Business events belong to the variant that served the request, never to its shadow.
    row.events = {};
    return row;
  });
  return { variants, slices: comparison.slices };
}
