import { describe, expect, it } from 'vitest';
import { compareVariants } from '@/src/server/analysis/compare';
import { classTables } from './classes';
import { candidateWindow, controlWindow } from './fixtures';

describe('classTables', () => {
  const worse = candidateWindow();
  // The candidate misses rejects: recall 600/1000 against control's 900/1000.
  worse.confusion = {
    classes: ['approve', 'reject'],
    matrix: [
      [900, 400],
      [100, 600],
    ],
  };
  const { variants } = compareVariants({ control: 'control', variants: [controlWindow(), worse] });

  it('puts each class of a candidate beside the same class of control, with Wilson intervals', () => {
    const [table] = classTables(variants);
    expect(table).toMatchObject({ variant: 'candidate', control: 'control', shadow: false });
    const reject = table?.rows.find((r) => r.label === 'reject');
    expect(reject?.support).toEqual(['1,000', '1,000']);
    expect(reject?.recall.map((c) => c.value)).toEqual(['90.0%', '60.0%']);
    expect(reject?.recall[1]?.interval).toMatch(/^\[56\.\d%, 63\.\d%\]$/);
    expect(reject?.precision.map((c) => c.value)).toEqual(['90.0%', '85.7%']);
    expect(reject?.f1[1]?.value).toBe('70.6%');
  });

  it('adds shadow runs as their own tables, marked, and says what is missing where a class is short', () => {
    const sparse = controlWindow(0.01);
    sparse.variant = 'shadowed';
    const shadows = compareVariants({ control: 'control', variants: [controlWindow(), sparse] }).variants.slice(1);
    const tables = classTables(variants, shadows);
    expect(tables.map((t) => [t.variant, t.shadow])).toEqual([
      ['candidate', false],
      ['shadowed', true],
    ]);
    expect(tables[1]?.rows[0]?.recall[1]).toEqual({ value: '—', missing: '10 of 20 outcomes of the class' });
  });

  it('has no table when no outcome names its class', () => {
    const { confusion: _, ...bare } = controlWindow();
    const { confusion: __, ...other } = candidateWindow();
    expect(classTables(compareVariants({ control: 'control', variants: [bare, other] }).variants)).toEqual([]);
  });
});
