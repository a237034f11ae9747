import { describe, expect, it } from 'vitest';
import { compareVariants } from '@/src/server/analysis/compare';
import { candidateWindow, controlWindow } from './fixtures';
import { splitCheck } from './srm';

describe('splitCheck', () => {
  it('holds for an even split', () => {
    expect(splitCheck(compareVariants({ control: 'control', variants: [controlWindow(), candidateWindow()] }))).toEqual({
      kind: 'holds',
      pValue: 'p = 1.00',
    });
  });

  it('reports a mismatch with both arms, the p-value and the threshold', () => {
    const starved = { ...candidateWindow(), requests: 8000 };
    const check = splitCheck(compareVariants({ control: 'control', variants: [controlWindow(), starved] }));
    expect(check).toMatchObject({ kind: 'mismatch', pValue: 'p < 0.001' });
    expect(check.kind === 'mismatch' && check.detail).toBe(
      'control got 55.6% of requests, expected 50.0%; candidate got 44.4% of requests, expected 50.0% (chi-square p < 0.001, flagged below 0.001).',
    );
  });

  it('says how many assignments the check still needs', () => {
    const check = splitCheck(compareVariants({ control: 'control', variants: [controlWindow(0.0002), candidateWindow(0.0002)] }));
    expect(check).toEqual({ kind: 'insufficient', detail: 'The split check needs 10 assignments; 4 so far.' });
  });
});
