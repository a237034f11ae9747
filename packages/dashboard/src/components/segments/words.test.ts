import { describe, expect, it } from 'vitest';
import { conditionInWords, segmentInWords } from './words';

describe('segments in words', () => {
  it('reads each kind of condition', () => {
    expect(conditionInWords({ attribute: 'plan', op: 'equals', value: 'beta' })).toBe('plan equals “beta”');
    expect(conditionInWords({ attribute: 'country', op: 'in', value: ['US', 'CA'] })).toBe('country in “US”, “CA”');
    expect(conditionInWords({ attribute: 'age', op: 'gte', value: 18 })).toBe('age gte 18');
  });

  it('says who is in: conditions, always-in keys, nobody, and who is never in', () => {
    const when = [{ attribute: 'plan', op: 'equals' as const, value: 'beta' }];
    expect(segmentInWords({ when, include: ['u-1'], exclude: ['u-2'] })).toBe('users where plan equals “beta”; always u-1; never u-2');
    expect(segmentInWords({ when: [], include: ['u-1'] })).toBe('always u-1');
    expect(segmentInWords({ when: [], exclude: ['u-2'] })).toBe('nobody; never u-2');
  });
});
