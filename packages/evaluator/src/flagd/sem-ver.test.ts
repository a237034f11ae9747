import { describe, expect, it } from 'vitest';
import { semVer } from './sem-ver.js';

describe('sem_ver', () => {
  it.each([
    ['2.0.0', '=', '2.0.0', true],
    ['2.0.0', '!=', '2.0.1', true],
    ['1.9.0', '<', '2.0.0', true],
    ['2.0.0-alpha', '<', '2.0.0', true],
    ['2.0.0-alpha.2', '>', '2.0.0-alpha.1', true],
    ['2.0.0', '<=', '2.0.0', true],
    ['2.1.0', '>', '2.0.0', true],
    ['2.1.0', '>=', '2.2.0', false],
    ['3.0.1', '~', '3.0.0', true],
    ['3.1.0', '~', '3.0.0', false],
    ['3.9.9', '^', '3.0.0', true],
    ['4.0.0', '^', '3.0.0', false],
    // flagd's ^ means "same major" even below 1.0.0, unlike npm's caret.
    ['0.2.0', '^', '0.1.0', true],
    ['v1.0.0', '=', '1.0.0', true],
    ['V1.0.0', '=', 'v1.0.0', true],
    ['1.0', '=', '1.0.0', true],
    ['1', '^', '1.5.0', true],
    ['1.0.0+other', '=', '1.0.0+build', true],
    [1.2, '>', '1.1', true],
    [1.1, '>', '1.1', false],
    [2, '>', '1.1', true],
  ])('%s %s %s is %s', (left, operator, right, expected) => {
    expect(semVer([left, operator, right])).toBe(expected);
  });

  it.each([
    ['not a version', ['not-a-version', '=', '1.0.0']],
    ['four parts', ['2.0.0.0', '=', '2.0.0']],
    ['an unknown operator', ['1.0.0', '===', '1.0.0']],
    ['two arguments', ['1.0.0', '=']],
    ['four arguments', ['1.0.0', '=', '1.0.0', '1.0.0']],
    ['a missing context value', [null, '=', '1.0.0']],
    ['a negative number', [-1, '<', '1.0.0']],
    ['an object', [{ major: 1 }, '=', '1.0.0']],
  ])('is null for %s', (_what, args) => {
    expect(semVer(args)).toBeNull();
  });
});
