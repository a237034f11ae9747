import { type ChiSquare, chiSquareHomogeneity } from './chi-square';
import { jensenShannon, psi } from './divergence';
import { guard, insufficient, ok } from './guards';
import { bucketCounts, histogramTotal } from './histogram';
import { type KolmogorovSmirnov, ksBucketed } from './ks';
import type { Figure, Histogram } from './types';

/** Drift of a current distribution against a reference (control, or a baseline window). */
export interface DriftReport {
  psi: number;
  jensenShannon: { divergence: number; distance: number };
  /** For numeric distributions (prediction scores): KS on the bucketed CDFs. */
  ks?: KolmogorovSmirnov;
  /** For class distributions: chi-square test of homogeneity. */
  chiSquare?: ChiSquare;
}

export interface DriftSettings {
  psiEpsilon: number;
  /** Minimum observations on each side. */
  minimum: number;
}

/**
 * Restricts two cumulative histograms to the edges they share. Exact, not an approximation: a cumulative
 * count at an edge means the same thing in both, so a coarser common grid loses resolution, never truth.
 */
export function alignHistograms(a: Histogram, b: Histogram): [Histogram, Histogram] {
  const shared = a.bounds.filter((bound) => b.bounds.includes(bound));
  const pick = (h: Histogram): Histogram => ({ bounds: shared, counts: shared.map((bound) => h.counts[h.bounds.indexOf(bound)] ?? 0) });
  return [pick(a), pick(b)];
}

/** PSI, Jensen–Shannon and KS of a numeric distribution (e.g. prediction scores) against a reference. */
export function histogramDrift(current: Histogram, reference: Histogram, settings: DriftSettings): Figure<DriftReport> {
  const have = Math.min(histogramTotal(current), histogramTotal(reference));
  const short = guard(have, settings.minimum, 'observations per side');
  if (short) return short;
  const [a, b] = alignHistograms(current, reference);
  if (a.bounds.length < 2) return insufficient(2, a.bounds.length, 'shared bucket edges');
  const ca = bucketCounts(a);
  const cb = bucketCounts(b);
  const report: DriftReport = { psi: psi(ca, cb, settings.psiEpsilon), jensenShannon: jensenShannon(ca, cb) };
  const ks = ksBucketed(a, b);
  if (ks) report.ks = ks;
  return ok(report, have);
}

/** PSI, Jensen–Shannon and chi-square of a class distribution (predicted-class counts) against a reference. */
export function classDrift(
  current: Record<string, number>,
  reference: Record<string, number>,
  settings: DriftSettings,
): Figure<DriftReport> {
  const classes = [...new Set([...Object.keys(current), ...Object.keys(reference)])].sort();
  const ca = classes.map((c) => current[c] ?? 0);
  const cb = classes.map((c) => reference[c] ?? 0);
  const have = Math.min(
    ca.reduce((s, x) => s + x, 0),
    cb.reduce((s, x) => s + x, 0),
  );
  const short = guard(have, settings.minimum, 'predictions per side');
  if (short) return short;
  const report: DriftReport = { psi: psi(ca, cb, settings.psiEpsilon), jensenShannon: jensenShannon(ca, cb) };
  const chiSquare = chiSquareHomogeneity([ca, cb]);
  if (chiSquare) report.chiSquare = chiSquare;
  return ok(report, have);
}
