import { type ClassificationQuality, classificationQuality } from './classification';
import { insufficient } from './guards';
import { type Count, proportionDelta, proportionFigure } from './proportion';
import type { Compared, Confusion, Delta, Figure, MinimumSamples } from './types';

/** A proportion of variant and control with the Newcombe / z-test delta once both figures stand. */
export function comparedProportion(
  variant: Count,
  control: Count,
  alpha: number,
  minimum: number,
  unit: string,
  withDelta: boolean,
): Compared {
  const compared: Compared = {
    variant: proportionFigure(variant, alpha, minimum, unit),
    control: proportionFigure(control, alpha, minimum, unit),
  };
  if (withDelta && compared.variant.status === 'ok' && compared.control.status === 'ok') {
    const delta = proportionDelta(variant, control, alpha);
    if (delta) compared.delta = delta;
  }
  return compared;
}

/**
 * Difference of two figures from their intervals at level 1 − α/2 each: [lᵥ − u꜀, uᵥ − l꜀] covers the true
 * difference with probability ≥ 1 − α (Bonferroni). Conservative; used where no joint distribution is at hand
 * (macro averages, F1).
 */
export function intervalDifference(variant: Figure, control: Figure, alpha: number, method: string): Delta | undefined {
  if (variant.status !== 'ok' || control.status !== 'ok' || !variant.interval || !control.interval) return undefined;
  const lower = variant.interval.lower - control.interval.upper;
  const upper = variant.interval.upper - control.interval.lower;
  return {
    value: variant.value - control.value,
    interval: { lower, upper, level: 1 - alpha },
    significant: lower > 0 || upper < 0,
    method,
  };
}

export interface QualityCompared {
  accuracy: Compared;
  macroPrecision: Compared;
  macroRecall: Compared;
  macroF1: Compared;
  quality?: ClassificationQuality;
}

const NO_LABELS = (minimums: MinimumSamples): Figure => insufficient(minimums.outcomes, 0, 'labelled outcomes');

/** Accuracy and macro precision / recall / F1 of variant and control from their confusion matrices. */
export function comparedQuality(
  variant: Confusion | undefined,
  control: Confusion | undefined,
  alpha: number,
  minimums: MinimumSamples,
  withDelta: boolean,
): QualityCompared {
  const qv = variant && classificationQuality(variant, alpha, minimums);
  const qc = control && classificationQuality(control, alpha, minimums);
  const correct = (c: Confusion): Count => ({
    successes: c.classes.reduce((s, _, k) => s + (c.matrix[k]?.[k] ?? 0), 0),
    trials: c.matrix.reduce((s, row) => s + row.reduce((t, x) => t + x, 0), 0),
  });
  const accuracy: Compared =
    variant && control
      ? comparedProportion(correct(variant), correct(control), alpha, minimums.outcomes, 'labelled outcomes', withDelta)
      : { variant: qv?.accuracy ?? NO_LABELS(minimums), control: qc?.accuracy ?? NO_LABELS(minimums) };
  // Deltas of macro figures compare intervals at α/2 each, recomputed at that level.
  const half =
    withDelta && variant && control
      ? [classificationQuality(variant, alpha / 2, minimums), classificationQuality(control, alpha / 2, minimums)]
      : undefined;
  const macro = (key: 'precision' | 'recall' | 'f1'): Compared => {
    const compared: Compared = { variant: qv?.macro[key] ?? NO_LABELS(minimums), control: qc?.macro[key] ?? NO_LABELS(minimums) };
    const delta =
      half?.[0] && half[1]
        ? intervalDifference(half[0].macro[key], half[1].macro[key], alpha, 'difference of Bonferroni intervals (conservative)')
        : undefined;
    if (delta) compared.delta = delta;
    return compared;
  };
  const out: QualityCompared = { accuracy, macroPrecision: macro('precision'), macroRecall: macro('recall'), macroF1: macro('f1') };
  if (qv) out.quality = qv;
  return out;
}
