/**
 * Survival function of the Kolmogorov distribution (the limit law of √n·D), P(K > λ).
 * Two series, each used where it converges in a few terms (Marsaglia, Tsang & Wang 2003, §1):
 *   P(K ≤ λ) = √(2π)/λ · Σ_{k≥1} exp(−(2k−1)²π² / (8λ²))   for small λ,
 *   P(K > λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²)             for large λ.
 */
export function kolmogorovSf(lambda: number): number {
  if (Number.isNaN(lambda)) return Number.NaN;
  if (lambda <= 0) return 1;
  if (lambda < 1) {
    let cdf = 0;
    for (let k = 1; k <= 50; k++) {
      const term = Math.exp((-((2 * k - 1) ** 2) * Math.PI ** 2) / (8 * lambda * lambda));
      cdf += term;
      if (term < 1e-18) break;
    }
    return 1 - (Math.sqrt(2 * Math.PI) / lambda) * cdf;
  }
  let sf = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sf += (k % 2 === 1 ? 2 : -2) * term;
    if (term < 1e-18) break;
  }
  return Math.min(1, Math.max(0, sf));
}
