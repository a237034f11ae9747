import { describe, expect, it } from 'vitest';
import { diffJson } from './diff';

describe('diffJson', () => {
  it('names a changed leaf by its path and gives both values', () => {
    const before = { rules: [{ when: [{ op: 'equals' }, { op: 'in', value: ['a'] }] }] };
    const after = { rules: [{ when: [{ op: 'equals' }, { op: 'notIn', value: ['a'] }] }] };
    expect(diffJson(before, after)).toEqual([{ path: 'rules[0].when[1].op', before: 'in', after: 'notIn' }]);
  });

  it('reports added and removed keys and array items without the missing side', () => {
    expect(diffJson({ a: 1, list: [1, 2] }, { b: 2, list: [1] })).toEqual([
      { path: 'a', before: 1 },
      { path: 'b', after: 2 },
      { path: 'list[1]', before: 2 },
    ]);
  });

  it('quotes keys that are not identifiers, like flag and variant names', () => {
    expect(diffJson({ variants: { 'gpt-4o': 'x' } }, { variants: { 'gpt-4o': 'y' } })).toEqual([
      { path: 'variants["gpt-4o"]', before: 'x', after: 'y' },
    ]);
  });

  it('finds nothing between equal values and one root change between different scalars', () => {
    expect(diffJson({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toEqual([]);
    expect(diffJson(1, 'one')).toEqual([{ path: '', before: 1, after: 'one' }]);
  });
});
