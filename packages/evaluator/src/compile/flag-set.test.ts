import { describe, expect, it } from 'vitest';
import { FlagValidationError, formatIssue } from '../model/errors.js';
import { compileFlagSet } from './flag-set.js';

function issuesOf(input: unknown): string[] {
  try {
    compileFlagSet(input);
  } catch (error) {
    if (error instanceof FlagValidationError) return error.issues.map(formatIssue);
    throw error;
  }
  return [];
}

const base = { type: 'string', variants: { v1: 'a', v2: 'b' }, fallthrough: { variant: 'v1' } };

describe('flag set validation', () => {
  it('names the path and the problem of an unknown operator', () => {
    const input = {
      flags: {
        'ai-model-v2': {
          ...base,
          rules: [
            {
              when: [
                { attribute: 'plan', op: 'equals', value: 'pro' },
                { attribute: 'plan', op: 'equalz', value: 'pro' },
              ],
              serve: { variant: 'v2' },
            },
          ],
        },
      },
    };
    expect(() => compileFlagSet(input)).toThrow(
      'flags["ai-model-v2"].rules[0].when[1].op: unknown operator "equalz" (did you mean "equals"?)',
    );
  });

  it('lists every problem, structural and semantic', () => {
    expect(issuesOf({ flags: { a: { ...base, fallthough: { variant: 'v1' } }, b: { variants: {} } } })).toEqual([
      'flags.a: unknown field "fallthough"',
      'flags.b.type: is required',
    ]);
    expect(
      issuesOf({
        flags: {
          a: { ...base, offVariant: 'v9', rules: [{ when: [{ attribute: 'x', op: 'lt', value: 'ten' }], serve: { variant: 'v3' } }] },
          b: { type: 'boolean', variants: { on: 'yes' }, fallthrough: { split: { arms: [{ variant: 'on', weight: 9000 }] } } },
        },
      }),
    ).toEqual([
      'flags.a.offVariant: unknown variant "v9"',
      'flags.a.rules[0].when[0].value: expected a finite number, got "ten"',
      'flags.a.rules[0].serve.variant: unknown variant "v3"',
      'flags.b.variants.on: a boolean flag cannot serve "yes"',
      'flags.b.fallthrough.split.arms: weights must add up to 10000 basis points, they add up to 9000',
    ]);
  });

  it('does not mistake inherited object properties for variants', () => {
    expect(issuesOf({ flags: { a: { ...base, offVariant: 'toString', fallthrough: { variant: 'constructor' } } } })).toEqual([
      'flags.a.offVariant: unknown variant "toString"',
      'flags.a.fallthrough.variant: unknown variant "constructor"',
    ]);
  });

  it('rejects a serve with both or neither of variant and split', () => {
    expect(issuesOf({ flags: { a: { ...base, fallthrough: {} } } })).toEqual([
      'flags.a.fallthrough: serve exactly one of "variant" or "split"',
    ]);
  });

  it('rejects bad flag keys and unknown segments', () => {
    expect(issuesOf({ flags: { 'bad key!': base } })[0]).toMatch(/^flags\["bad key!"\]: invalid flag name/);
    expect(
      issuesOf({ flags: { a: { ...base, rules: [{ when: [{ op: 'inSegment', value: 'ghosts' }], serve: { variant: 'v1' } }] } } }),
    ).toEqual(['flags.a.rules[0].when[0].value: unknown segment "ghosts"']);
  });

  it('rejects a stored layout that does not match the weights', () => {
    const split = {
      arms: [
        { variant: 'v1', weight: 5000 },
        { variant: 'v2', weight: 5000 },
      ],
      layout: [
        { variant: 'v1', from: 0, to: 4000 },
        { variant: 'v2', from: 4000, to: 10000 },
      ],
    };
    expect(issuesOf({ flags: { a: { ...base, fallthrough: { split } } } })).toEqual([
      'flags.a.fallthrough.split.layout: variant "v1" owns 4000 slots but its weight is 5000',
      'flags.a.fallthrough.split.layout: variant "v2" owns 6000 slots but its weight is 5000',
    ]);
  });

  it('rejects things that are not flag sets at all', () => {
    expect(issuesOf(null)).toEqual(['Invalid input: expected object, received null']);
    expect(issuesOf({ flags: [] })[0]).toMatch(/^flags: /);
  });
});
