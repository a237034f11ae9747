import { describe, expect, it } from 'vitest';
import { compareVariants } from '@/src/server/analysis/compare';
import { candidateWindow, controlWindow } from './fixtures';
import { sliceTables } from './slices';

describe('sliceTables', () => {
  const candidate = candidateWindow();
  candidate.slices = {
    region: {
      eu: { requests: 5000, errors: 250 },
      us: { requests: 4000, errors: 40 },
      apac: { requests: 1000, errors: 10 },
    },
  };
  const comparison = compareVariants({ control: 'control', variants: [controlWindow(), candidate] }, { sliceCap: 2 });
  const [region] = sliceTables(comparison.slices);

  it('makes the slice cap and what it dropped visible', () => {
    expect(region?.attribute).toBe('region');
    expect(region?.dropped).toBe(1);
    expect(region?.caption).toBe(
      'region: 3 values seen; the 2 with the most requests are analysed (cap 2); 1 dropped. Significance is Holm-corrected across slices.',
    );
    expect(region?.rows.map((r) => r.value)).toEqual(['eu', 'us']);
  });

  it('shows a regression confined to one slice, with the Holm-adjusted p-value in the title', () => {
    const eu = region?.rows.find((r) => r.value === 'eu');
    expect(eu?.errorRate).toMatchObject({ control: '1.00%', value: '5.00%', delta: '+4.00 pp', verdict: 'worse' });
    expect(eu?.errorRate?.title).toMatch(/newcombe.*p < 0\.001 \(Holm-adjusted\)$/);
    expect(region?.rows.find((r) => r.value === 'us')?.errorRate?.verdict).toBe('not-significant');
  });

  it('leaves quality columns out when no slice has labelled outcomes', () => {
    expect(region?.showsQuality).toBe(false);
    expect(region?.rows[0]?.accuracy).toBeUndefined();
  });

  it('shows accuracy and F1 alone for slices that only outcomes carry, as the instrumentation records them', () => {
    const labelled = (accuracy: number) => ({
      requests: 0,
      errors: 0,
      confusion: {
        classes: ['approve', 'reject'],
        matrix: [
          [500 * accuracy, 500 * (1 - accuracy)],
          [500 * (1 - accuracy), 500 * accuracy],
        ],
      },
    });
    const control = controlWindow();
    control.slices = { plan: { pro: labelled(0.9), free: labelled(0.9) } };
    const worse = candidateWindow();
    worse.slices = { plan: { pro: labelled(0.9), free: labelled(0.7) } };
    const [plan] = sliceTables(compareVariants({ control: 'control', variants: [control, worse] }).slices);
    expect(plan).toMatchObject({ attribute: 'plan', showsErrors: false, showsQuality: true });
    const free = plan?.rows.find((r) => r.value === 'free');
    expect(free?.errorRate).toBeUndefined();
    expect(free?.accuracy).toMatchObject({ control: '90.0%', value: '70.0%', verdict: 'worse' });
  });

  it('says "all analysed" when nothing was dropped', () => {
    const [all] = sliceTables(compareVariants({ control: 'control', variants: [controlWindow(), candidate] }).slices);
    expect(all?.caption).toContain('3 values seen; all analysed (cap 20)');
  });
});
