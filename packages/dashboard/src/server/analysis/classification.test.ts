import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classificationQuality } from './classification';
import { DEFAULT_MINIMUMS } from './guards';
import type { Confusion, Figure } from './types';

// Rows predicted, columns actual. Column totals (actual): 60, 60, 40; row totals (predicted): 65, 50, 45.
const confusion: Confusion = {
  classes: ['cat', 'dog', 'bird'],
  matrix: [
    [50, 10, 5],
    [5, 40, 5],
    [5, 10, 30],
  ],
};

const value = (figure: Figure) => (figure.status === 'ok' ? figure.value : Number.NaN);
const bounds = (figure: Figure) => (figure.status === 'ok' ? [figure.interval?.lower, figure.interval?.upper] : []);

describe('classificationQuality', () => {
  const quality = classificationQuality(confusion, 0.05, DEFAULT_MINIMUMS);

  it('computes accuracy, precision, recall and F1 as in scikit-learn’s definitions (exact fractions by hand)', () => {
    expect(value(quality.accuracy)).toBe(120 / 160);
    expect(quality.classes.map((c) => value(c.precision))).toEqual([50 / 65, 40 / 50, 30 / 45]);
    expect(quality.classes.map((c) => value(c.recall))).toEqual([50 / 60, 40 / 60, 30 / 40]);
    // F1 = 2TP / (predicted + actual): 100/125, 80/110, 60/85.
    expect(quality.classes.map((c) => value(c.f1))).toEqual([0.8, 80 / 110, 60 / 85].map((x) => expect.closeTo(x, 14)));
    expect(value(quality.macro.precision)).toBeCloseTo((50 / 65 + 0.8 + 30 / 45) / 3, 14);
    expect(value(quality.macro.recall)).toBeCloseTo(0.75, 14);
    expect(value(quality.macro.f1)).toBeCloseTo((0.8 + 80 / 110 + 60 / 85) / 3, 14);
  });

  // Intervals recomputed in Python from scipy binomtest(...).proportion_ci(method='wilson').
  it('gives proportions Wilson intervals', () => {
    expect(bounds(quality.accuracy)[0]).toBeCloseTo(0.6775763046904398, 12);
    expect(bounds(quality.classes[0]?.precision ?? quality.accuracy)).toEqual([
      expect.closeTo(0.6535529085185334, 12),
      expect.closeTo(0.8548616515383898, 12),
    ]);
    expect(bounds(quality.classes[1]?.recall ?? quality.accuracy)).toEqual([
      expect.closeTo(0.5405686645211969, 12),
      expect.closeTo(0.7727073847647732, 12),
    ]);
  });

  it('bounds F1 by F1 of the 97.5% Wilson bounds of precision and recall', () => {
    expect(bounds(quality.classes[0]?.f1 ?? quality.accuracy)).toEqual([
      expect.closeTo(0.666526971841121, 12),
      expect.closeTo(0.8886655175188273, 12),
    ]);
    expect(bounds(quality.classes[2]?.f1 ?? quality.accuracy)).toEqual([
      expect.closeTo(0.5345676754742841, 12),
      expect.closeTo(0.8334014866120173, 12),
    ]);
  });

  it('gives macro averages simultaneous (Bonferroni over classes) intervals', () => {
    expect(bounds(quality.macro.precision)).toEqual([expect.closeTo(0.5836717594116374, 12), expect.closeTo(0.8592637908641074, 12)]);
    expect(bounds(quality.macro.f1)).toEqual([expect.closeTo(0.5648663168279868, 12), expect.closeTo(0.8670841087368332, 12)]);
  });

  it('matches scikit-learn’s documented precision_recall_fscore_support example', () => {
    // sklearn.metrics.precision_recall_fscore_support docs: y_true = [cat, dog, pig, cat, dog, pig],
    // y_pred = [cat, pig, dog, cat, cat, dog]; average='macro' gives (0.2222…, 0.3333…, 0.2666…).
    const tiny: Confusion = {
      classes: ['cat', 'dog', 'pig'],
      matrix: [
        [2, 1, 0],
        [0, 0, 2],
        [0, 1, 0],
      ],
    };
    const q = classificationQuality(tiny, 0.05, { ...DEFAULT_MINIMUMS, classSupport: 0, outcomes: 0 });
    expect(q.classes.map((c) => value(c.precision))).toEqual([2 / 3, 0, 0]);
    expect(q.classes.map((c) => value(c.recall))).toEqual([1, 0, 0]);
    expect(q.classes.map((c) => value(c.f1))).toEqual([0.8, 0, 0]);
    expect(value(q.macro.precision)).toBeCloseTo(0.2222222222222222, 15);
    expect(value(q.macro.recall)).toBeCloseTo(0.3333333333333333, 15);
    expect(value(q.macro.f1)).toBeCloseTo(0.26666666666666666, 15);
  });

  it('holds back per-class and macro figures while a class has fewer than 20 outcomes', () => {
    const sparse: Confusion = {
      classes: ['spam', 'ham'],
      matrix: [
        [8, 2],
        [3, 187],
      ],
    };
    const q = classificationQuality(sparse, 0.05, DEFAULT_MINIMUMS);
    expect(q.accuracy.status).toBe('ok');
    expect(q.classes[0]?.recall).toEqual({ status: 'insufficient', needed: 20, have: 11, unit: 'outcomes of the class' });
    expect(q.macro.f1.status).toBe('insufficient');
  });

  it('keeps every interval inside [0, 1] around its value', () => {
    const matrix = fc.array(fc.array(fc.integer({ min: 20, max: 500 }), { minLength: 3, maxLength: 3 }), { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(matrix, (m) => {
        const q = classificationQuality({ classes: ['a', 'b', 'c'], matrix: m }, 0.05, DEFAULT_MINIMUMS);
        for (const figure of [q.accuracy, q.macro.f1, q.macro.precision, ...q.classes.flatMap((c) => [c.f1, c.recall])]) {
          expect(figure.status).toBe('ok');
          if (figure.status !== 'ok' || !figure.interval) continue;
          expect(figure.interval.lower).toBeGreaterThanOrEqual(0);
          expect(figure.interval.upper).toBeLessThanOrEqual(1);
          expect(figure.interval.lower).toBeLessThanOrEqual(figure.value + 1e-12);
          expect(figure.interval.upper).toBeGreaterThanOrEqual(figure.value - 1e-12);
        }
      }),
    );
  });
});
