import { describe, expect, it } from 'vitest';
import { formatDelta, formatInterval, formatPValue, formatRelative, formatValue } from './format';

describe('formatting figures', () => {
  it('shows latency in ms below a second and in s above', () => {
    expect(formatValue(0.0423, 'seconds')).toBe('42.3 ms');
    expect(formatValue(0.25, 'seconds')).toBe('250 ms');
    expect(formatValue(2.5, 'seconds')).toBe('2.50 s');
  });

  it('shows proportions as percentages and their differences in percentage points', () => {
    expect(formatValue(0.0123, 'proportion')).toBe('1.23%');
    expect(formatDelta(0.019, 'proportion')).toBe('+1.90 pp');
    expect(formatDelta(-0.0004, 'proportion')).toBe('−0.04 pp');
  });

  it('signs every delta, with a true minus sign', () => {
    expect(formatDelta(0.05, 'seconds')).toBe('+50.0 ms');
    expect(formatDelta(-0.05, 'seconds')).toBe('−50.0 ms');
    expect(formatDelta(0, 'number')).toBe('0');
  });

  it('shows an open interval edge (Infinity, or null after JSON) as ∞', () => {
    expect(formatInterval(0.1, Number.POSITIVE_INFINITY, 'seconds')).toBe('[100 ms, ∞]');
    expect(formatInterval(0.1, null, 'seconds')).toBe('[100 ms, ∞]');
    expect(formatInterval(-0.01, 0.02, 'proportion', true)).toBe('[−1.00 pp, +2.00 pp]');
  });

  it('writes small p-values as a bound', () => {
    expect(formatPValue(1e-9)).toBe('p < 0.001');
    expect(formatPValue(0.0234)).toBe('p = 0.023');
    expect(formatPValue(0.5)).toBe('p = 0.50');
  });

  it('gives a relative change unless control is zero', () => {
    expect(formatRelative(0.05, 0.1)).toBe('+50%');
    expect(formatRelative(-0.001, 0.1)).toBe('−1.0%');
    expect(formatRelative(0.1, 0)).toBeUndefined();
  });

  it('shows cost in US dollars', () => {
    expect(formatValue(0.0021, 'usd')).toBe('$0.0021');
    expect(formatValue(12.5, 'usd')).toBe('$12.5');
  });
});
