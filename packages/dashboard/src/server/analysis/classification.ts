import { guard, insufficient, ok } from './guards';
import { proportionFigure, wilsonInterval } from './proportion';
import type { Confusion, Figure, Interval, MinimumSamples } from './types';

/** Precision, recall and F1 of one class, and its support (outcomes whose actual class it is). */
export interface ClassQuality {
  label: string;
  support: number;
  precision: Figure;
  recall: Figure;
  f1: Figure;
}

/** Classification quality of one variant from its confusion matrix. */
export interface ClassificationQuality {
  accuracy: Figure;
  classes: ClassQuality[];
  /** Unweighted means over the classes that occur (support > 0). */
  macro: { precision: Figure; recall: Figure; f1: Figure };
}

interface ClassCounts {
  label: string;
  truePositives: number;
  predicted: number;
  actual: number;
}

function classCounts(confusion: Confusion): ClassCounts[] {
  const { classes, matrix } = confusion;
  return classes.map((label, k) => ({
    label,
    truePositives: matrix[k]?.[k] ?? 0,
    predicted: (matrix[k] ?? []).reduce((s, c) => s + c, 0),
    actual: matrix.reduce((s, row) => s + (row[k] ?? 0), 0),
  }));
}

const f1Of = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/**
 * F1 = 2PR / (P + R) with a conservative interval. F1 increases in both P and R, so if P and R lie in their
 * Wilson intervals at level 1 − α/2 each — jointly at least 1 − α by Bonferroni — F1 lies between F1 of the
 * lower bounds and F1 of the upper bounds. No resampling, so the result is deterministic.
 */
function f1Interval(c: ClassCounts, alpha: number): Interval {
  const p = wilsonInterval(c.truePositives, c.predicted, alpha / 2);
  const r = wilsonInterval(c.truePositives, c.actual, alpha / 2);
  return { lower: f1Of(p.lower, r.lower), upper: f1Of(p.upper, r.upper), level: 1 - alpha };
}

function f1Figure(c: ClassCounts, alpha: number, minimum: number): Figure {
  const short = guard(Math.min(c.predicted, c.actual), minimum, 'predicted and actual outcomes of the class');
  if (short) return short;
  // 2TP / (predicted + actual) is F1 without dividing by a zero precision or recall.
  return ok((2 * c.truePositives) / (c.predicted + c.actual), c.predicted + c.actual, f1Interval(c, alpha));
}

/**
 * Mean of per-class figures with a simultaneous interval: each class's interval at level 1 − α/K
 * (Bonferroni over K classes), then the mean of the lower and of the upper bounds. The mean is increasing
 * in every term, so it lies in that range whenever all K do — probability at least 1 − α. Conservative.
 */
function macroFigure(counts: ClassCounts[], alpha: number, minimum: number, pick: (c: ClassCounts, alpha: number) => Figure): Figure {
  if (counts.length === 0) return insufficient(1, 0, 'classes with support');
  const adjusted = alpha / counts.length;
  const figures = counts.map((c) => pick(c, adjusted));
  const values: number[] = [];
  const lowers: number[] = [];
  const uppers: number[] = [];
  let n = 0;
  for (const figure of figures) {
    if (figure.status !== 'ok') return insufficient(minimum, figure.have, 'outcomes in the smallest class');
    values.push(figure.value);
    lowers.push(figure.interval?.lower ?? figure.value);
    uppers.push(figure.interval?.upper ?? figure.value);
    n = Math.max(n, figure.n);
  }
  const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  return ok(mean(values), n, { lower: mean(lowers), upper: mean(uppers), level: 1 - alpha });
}

/**
 * Accuracy, per-class precision / recall / F1 and their macro averages from a confusion matrix
 * (`matrix[predicted][actual]`). Proportions carry Wilson intervals; F1 and the macros carry the
 * conservative intervals described above.
 */
export function classificationQuality(confusion: Confusion, alpha: number, minimums: MinimumSamples): ClassificationQuality {
  const counts = classCounts(confusion);
  const total = counts.reduce((s, c) => s + c.actual, 0);
  const correct = counts.reduce((s, c) => s + c.truePositives, 0);
  const support = minimums.classSupport;
  const precision = (c: ClassCounts, a: number): Figure =>
    proportionFigure({ successes: c.truePositives, trials: c.predicted }, a, support, 'outcomes predicted as the class');
  const recall = (c: ClassCounts, a: number): Figure =>
    proportionFigure({ successes: c.truePositives, trials: c.actual }, a, support, 'outcomes of the class');
  const f1 = (c: ClassCounts, a: number): Figure => f1Figure(c, a, support);
  const present = counts.filter((c) => c.actual > 0);
  return {
    accuracy: proportionFigure({ successes: correct, trials: total }, alpha, minimums.outcomes, 'labelled outcomes'),
    classes: counts.map((c) => ({
      label: c.label,
      support: c.actual,
      precision: precision(c, alpha),
      recall: recall(c, alpha),
      f1: f1(c, alpha),
    })),
    macro: {
      precision: macroFigure(present, alpha, support, precision),
      recall: macroFigure(present, alpha, support, recall),
      f1: macroFigure(present, alpha, support, f1),
    },
  };
}
