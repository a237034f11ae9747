import { describe, expect, it } from 'vitest';
import { describeChange, describePromotion } from './promotion-words';

describe('promotion preview in words', () => {
  it('says the on/off switch outright', () => {
    expect(describeChange({ path: 'enabled', before: false, after: true }, 'production')).toBe('turns the flag on in production');
    expect(describeChange({ path: 'enabled', before: true, after: false }, 'staging')).toBe('turns the flag off in staging');
  });

  it('tells a changed, an added and a removed setting apart', () => {
    expect(describeChange({ path: 'fallthrough.split.arms[1].weight', before: 1000, after: 5000 }, 'production')).toBe(
      'fallthrough.split.arms[1].weight changes from 1000 to 5000',
    );
    expect(describeChange({ path: 'description', after: 'gpt-b' }, 'production')).toBe('description is set to "gpt-b"');
    expect(describeChange({ path: 'fallthrough.variant', before: 'v1' }, 'production')).toBe('fallthrough.variant ("v1") is removed');
  });

  it('shortens long values and says when there is nothing to promote', () => {
    const long = describeChange({ path: 'variants.v2', before: 'x', after: { prompt: 'y'.repeat(200) } }, 'production');
    expect(long.length).toBeLessThan(120);
    expect(long.endsWith('…')).toBe(true);
    const same = describePromotion({
      from: { environment: 'staging', version: 4 },
      to: { environment: 'production', version: 9 },
      changes: [],
    });
    expect(same).toEqual({
      summary: 'production (version 9) already serves what staging (version 4) does: nothing to promote.',
      lines: [],
    });
  });
});
