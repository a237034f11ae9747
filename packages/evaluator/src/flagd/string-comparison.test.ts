import { describe, expect, it } from 'vitest';
import { endsWith, startsWith } from './string-comparison.js';

describe('starts_with and ends_with', () => {
  it('compare strings', () => {
    expect(startsWith(['abcdef', 'abc'])).toBe(true);
    expect(startsWith(['uvwxyz', 'abc'])).toBe(false);
    expect(endsWith(['uvwxyz', 'xyz'])).toBe(true);
    expect(endsWith(['abcdef', 'xyz'])).toBe(false);
  });

  it('are null, not false, for non-strings and wrong argument counts', () => {
    for (const operator of [startsWith, endsWith]) {
      expect(operator([123, 'abc'])).toBeNull();
      expect(operator(['abc', null])).toBeNull();
      expect(operator(['abc'])).toBeNull();
      expect(operator(['abc', 'a', 'b'])).toBeNull();
    }
  });
});
