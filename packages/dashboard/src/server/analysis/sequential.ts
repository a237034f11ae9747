import { guard, ok } from './guards';
import type { Figure, Interval } from './types';

/** Per-unit summary of one arm: units (requests), mean per unit, and the variance of one unit's value. */
export interface MeanSummary {
  n: number;
  mean: number;
  variance: number;
}

/** Result of the always-valid test of variant mean − control mean = 0. */
export interface SequentialTest {
  estimate: number;
  /** Always-valid p-value: rejecting the first time it drops below α keeps the false-alarm rate ≤ α. */
  pValue: number;
  /** Confidence sequence: covers the true difference at every look simultaneously with probability ≥ 1 − α. */
  confidenceSequence: Interval;
  significant: boolean;
  /** Variance τ² of the normal mixing distribution. */
  mixingVariance: number;
}

/** The previous look's result: passing it makes the p-value non-increasing and the sequence nested. */
export interface PreviousLook {
  pValue: number;
  confidenceSequence: Interval;
}

export interface SequentialSettings {
  alpha: number;
  /** N*: the total sample size at which the confidence sequence is tightest (GrowthBook default 5,000). */
  tuning: number;
  /** Minimum units per arm. */
  minimum: number;
  previous?: PreviousLook;
}

/**
 * ρ² for tuning N*: (−2 ln α + ln(1 − 2 ln α)) / N*, the mixing variance per unit that makes the boundary
 * tightest near N* (Waudby-Smith et al., "Time-uniform central limit theory and asymptotic confidence
 * sequences", 2023, eq. 161 — GrowthBook's `sequential_rho`).
 */
export function mixingRho2(alpha: number, tuning: number): number {
  const l = -2 * Math.log(alpha);
  return (l + Math.log(l + 1)) / tuning;
}

/**
 * mSPRT with a normal mixing distribution (Johari, Koomen, Pekelis & Walsh, "Always Valid Inference",
 * Operations Research 2022). The difference estimate Δ̂ ~ N(θ, V), V = s²ᵥ/nᵥ + s²꜀/n꜀. Mixing θ ~ N(0, τ²) gives
 *   Λ = √(V / (V + τ²)) · exp(τ² Δ̂² / (2V(V + τ²))),
 * a martingale under θ = 0, so by Ville's inequality P(sup Λ ≥ 1/α) ≤ α: p = min(1, 1/Λ) may be watched every
 * minute. Inverting Λ(θ₀) < 1/α gives the confidence sequence
 *   Δ̂ ± √(2V(V + τ²)/τ² · (ln(1/α) + ½ ln((V + τ²)/V))).
 * τ² = ρ²·V·(nᵥ + n꜀) with ρ² from `mixingRho2`; with that choice the sequence is exactly GrowthBook's
 * Gaussian-mixture confidence sequence (two-sided, α 0.05, tuning 5,000). Variances are plug-in estimates,
 * so validity is asymptotic — the per-arm minimum keeps the estimate out of its noisy start.
 */
export function mixtureSequentialTest(variant: MeanSummary, control: MeanSummary, settings: SequentialSettings): Figure<SequentialTest> {
  const short = guard(Math.min(variant.n, control.n), settings.minimum, 'units per arm');
  if (short) return short;
  const { alpha } = settings;
  const estimate = variant.mean - control.mean;
  const v = variant.variance / variant.n + control.variance / control.n;
  const total = variant.n + control.n;
  let result: SequentialTest;
  if (!(v > 0)) {
    // No spread in either arm (e.g. no events at all): nothing can be inferred beyond the point itself.
    result = {
      estimate,
      pValue: 1,
      confidenceSequence: { lower: estimate, upper: estimate, level: 1 - alpha },
      significant: false,
      mixingVariance: 0,
    };
  } else {
    const tau2 = mixingRho2(alpha, settings.tuning) * v * total;
    const logLambda = 0.5 * Math.log(v / (v + tau2)) + (tau2 * estimate * estimate) / (2 * v * (v + tau2));
    const pValue = Math.min(1, Math.exp(-logLambda));
    const half = Math.sqrt(((2 * v * (v + tau2)) / tau2) * (Math.log(1 / alpha) + 0.5 * Math.log((v + tau2) / v)));
    result = {
      estimate,
      pValue,
      confidenceSequence: { lower: estimate - half, upper: estimate + half, level: 1 - alpha },
      significant: false,
      mixingVariance: tau2,
    };
  }
  const previous = settings.previous;
  if (previous) {
    result.pValue = Math.min(result.pValue, previous.pValue);
    const lower = Math.max(result.confidenceSequence.lower, previous.confidenceSequence.lower);
    const upper = Math.min(result.confidenceSequence.upper, previous.confidenceSequence.upper);
    // Disjoint sequences mean the difference is not constant over the looks (a shift mid-window): the
    // intersection would be empty, so the current sequence stands rather than an interval with lower > upper.
    if (lower <= upper) result.confidenceSequence = { lower, upper, level: 1 - alpha };
  }
  result.significant = result.pValue <= alpha;
  return ok(result, Math.min(variant.n, control.n));
}
