import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holmAdjust } from './holm';

describe('holmAdjust', () => {
  it('matches a hand calculation (same as R p.adjust(c(.01, .04, .03, .005), "holm"))', () => {
    // Sorted: .005·4 = .02, .01·3 = .03, .03·2 = .06, .04·1 = .04 → running max .06. Back in input order:
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005])).toEqual([0.03, 0.06, 0.06, 0.02].map((x) => expect.closeTo(x, 15)));
  });

  it('never lowers a p-value, caps at 1, and keeps the order of the raw p-values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 30 }), (ps) => {
        const adjusted = holmAdjust(ps);
        ps.forEach((p, i) => {
          expect(adjusted[i]).toBeGreaterThanOrEqual(p);
          expect(adjusted[i]).toBeLessThanOrEqual(1);
          ps.forEach((q, j) => {
            if (p < q) expect(adjusted[i]).toBeLessThanOrEqual(adjusted[j] ?? 1);
          });
        });
      }),
    );
  });
});
