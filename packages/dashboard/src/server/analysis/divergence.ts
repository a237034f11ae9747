/**
 * Divergences between two binned distributions given as counts over the same bins.
 * Both are normalised to proportions first, so samples of different sizes compare directly.
 */

function proportions(counts: number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

/**
 * Population Stability Index: Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over bins, a = current, e = reference
 * (Siddiqi, Credit Risk Scorecards, 2006; usual reading: < 0.1 stable, 0.1–0.25 moderate, > 0.25 shifted).
 * An empty bin would make the log infinite, so its proportion is replaced by `epsilon` (default 1e-4, the
 * value Evidently substitutes) without renormalising, so figures match Evidently's. Bins empty on both sides
 * contribute 0 and are skipped.
 */
export function psi(current: number[], reference: number[], epsilon: number): number {
  const a = proportions(current);
  const e = proportions(reference);
  let sum = 0;
  a.forEach((ai, i) => {
    const ei = e[i] ?? 0;
    if (ai === 0 && ei === 0) return;
    const x = ai === 0 ? epsilon : ai;
    const y = ei === 0 ? epsilon : ei;
    sum += (x - y) * Math.log(x / y);
  });
  return sum;
}

/**
 * Jensen–Shannon divergence in bits: ½·KL(P‖M) + ½·KL(Q‖M) with M = (P + Q)/2 (Lin 1991). Base 2 bounds it
 * in [0, 1]; it is finite even with empty bins (0·log 0 = 0), so no epsilon is needed. Its square root, the
 * Jensen–Shannon distance, is a metric (Endres & Schindelin 2003) and is what scipy's `jensenshannon` returns.
 */
export function jensenShannon(current: number[], reference: number[]): { divergence: number; distance: number } {
  const p = proportions(current);
  const q = proportions(reference);
  let sum = 0;
  p.forEach((pi, i) => {
    const qi = q[i] ?? 0;
    const m = (pi + qi) / 2;
    if (pi > 0) sum += 0.5 * pi * Math.log2(pi / m);
    if (qi > 0) sum += 0.5 * qi * Math.log2(qi / m);
  });
  // Rounding can leave a hair outside [0, 1].
  const divergence = Math.min(1, Math.max(0, sum));
  return { divergence, distance: Math.sqrt(divergence) };
}
