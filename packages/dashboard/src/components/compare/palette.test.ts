import { describe, expect, it } from 'vitest';
import { variantStyles } from './palette';

describe('variantStyles', () => {
  it('draws control distinctly: black, solid and thicker than every candidate', () => {
    const styles = variantStyles(['a', 'control', 'b'], 'control');
    const control = styles.get('control');
    expect(control).toMatchObject({ isControl: true, colour: '#000000', dash: [], lineWidth: 3 });
    for (const v of ['a', 'b']) {
      expect(styles.get(v)?.dash.length).toBeGreaterThan(0);
      expect(styles.get(v)?.lineWidth).toBeLessThan(3);
    }
  });

  it('gives each candidate its own colour, dash and point, in the order given', () => {
    const styles = variantStyles(['control', 'a', 'b', 'c'], 'control');
    const candidates = ['a', 'b', 'c'].map((v) => styles.get(v));
    expect(new Set(candidates.map((s) => s?.colour)).size).toBe(3);
    expect(new Set(candidates.map((s) => s?.dash.join())).size).toBe(3);
    expect(new Set(candidates.map((s) => s?.pointStyle)).size).toBe(3);
    expect(styles.get('a')?.colour).toBe('#0072B2');
  });

  it('is the same for the same list, so every chart agrees', () => {
    expect([...variantStyles(['control', 'x', 'y'], 'control')]).toEqual([...variantStyles(['control', 'x', 'y'], 'control')]);
  });

  it('tells eight candidates apart even after colours repeat', () => {
    const names = Array.from({ length: 8 }, (_, i) => `v${i}`);
    const styles = variantStyles(['control', ...names], 'control');
    const keys = names.map((n) => `${styles.get(n)?.colour}|${styles.get(n)?.dash.join()}|${styles.get(n)?.pointStyle}`);
    expect(new Set(keys).size).toBe(8);
  });
});
