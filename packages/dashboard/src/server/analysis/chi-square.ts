import { regularizedGammaQ } from './gamma';

/** A chi-square test result. */
export interface ChiSquare {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

/** Upper tail of the chi-square distribution: P(X > x) = Q(df/2, x/2). */
export function chiSquareSf(x: number, degreesOfFreedom: number): number {
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (x <= 0) return 1;
  return regularizedGammaQ(degreesOfFreedom / 2, x / 2);
}

/**
 * Pearson's chi-square test of homogeneity on an r × c table of counts (rows: samples, e.g. variant and
 * control; columns: categories, e.g. predicted classes). Columns empty in every row carry no information
 * and are dropped before df = (r − 1)(c − 1) is counted. No continuity correction (the 2×2 Yates
 * correction is known to be over-conservative; scipy's `chi2_contingency(correction=False)` matches this).
 */
export function chiSquareHomogeneity(table: number[][]): ChiSquare | undefined {
  const rows = table.filter((row) => row.reduce((s, c) => s + c, 0) > 0);
  const width = Math.max(0, ...rows.map((row) => row.length));
  const columnTotals = Array.from({ length: width }, (_, j) => rows.reduce((s, row) => s + (row[j] ?? 0), 0));
  const columns = columnTotals.flatMap((total, j) => (total > 0 ? [j] : []));
  if (rows.length < 2 || columns.length < 2) return undefined;
  const total = columnTotals.reduce((s, c) => s + c, 0);
  let statistic = 0;
  for (const row of rows) {
    const rowTotal = row.reduce((s, c) => s + c, 0);
    for (const j of columns) {
      const expected = (rowTotal * (columnTotals[j] ?? 0)) / total;
      statistic += ((row[j] ?? 0) - expected) ** 2 / expected;
    }
  }
  const degreesOfFreedom = (rows.length - 1) * (columns.length - 1);
  return { statistic, degreesOfFreedom, pValue: chiSquareSf(statistic, degreesOfFreedom) };
}

/**
 * Pearson's chi-square goodness of fit of observed counts against expected shares (any positive scale,
 * normalised here). A category with zero expected share but observations makes the statistic infinite (p = 0).
 */
export function chiSquareGoodnessOfFit(observed: number[], shares: number[]): ChiSquare | undefined {
  const total = observed.reduce((s, c) => s + c, 0);
  const shareTotal = shares.reduce((s, w) => s + w, 0);
  if (total <= 0 || shareTotal <= 0 || observed.length !== shares.length) return undefined;
  let statistic = 0;
  let categories = 0;
  observed.forEach((count, i) => {
    const expected = (total * (shares[i] ?? 0)) / shareTotal;
    if (expected > 0) {
      statistic += (count - expected) ** 2 / expected;
      categories++;
    } else if (count > 0) statistic = Number.POSITIVE_INFINITY;
  });
  const degreesOfFreedom = Math.max(1, categories - 1);
  return { statistic, degreesOfFreedom, pValue: chiSquareSf(statistic, degreesOfFreedom) };
}
