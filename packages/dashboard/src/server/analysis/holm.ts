/**
 * Holm–Bonferroni adjusted p-values (Holm 1979), in the input's order: sort ascending, multiply the i-th
 * smallest (1-based) by m − i + 1, carry the running maximum so the order is kept, cap at 1. Rejecting where
 * the adjusted value is below α controls the family-wise error rate at α under any dependence — needed
 * because slices of one experiment share data — and is uniformly more powerful than plain Bonferroni.
 * Same as R's `p.adjust(p, "holm")`.
 */
export function holmAdjust(pValues: number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
