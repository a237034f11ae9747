import { FlagEvaluator, reweightSplit } from '@flaglens/evaluator';
import { loadFlagd } from '@flaglens/evaluator/flagd';
import { describe, expect, it } from 'vitest';
import { CliError } from '../exit.js';
import { fromFlagd, toFlagd } from './flagd.js';
import type { FlagsetFile } from './types.js';

const split = (v1: number) => ({
  split: {
    arms: [
      { variant: 'v1', weight: v1 },
      { variant: 'v2', weight: 10_000 - v1 },
    ],
  },
});

/** Flags using every setting that maps to flagd. */
const file: FlagsetFile = {
  environment: 'staging',
  flags: {
    'ai-model': {
      description: 'which model scores',
      owner: 'ml-platform',
      tags: ['risk', 'scoring'],
      kind: 'temporary',
      type: 'string',
      variants: { v1: 'logreg', v2: 'forest' },
      offVariant: 'v1',
      rules: [
        { when: [{ attribute: 'plan', op: 'equals', value: 'beta' }], serve: { variant: 'v2' } },
        {
          when: [
            { attribute: 'country', op: 'in', value: ['DE', 'FR'] },
            { attribute: 'email', op: 'endsWith', value: '@example.com' },
          ],
          serve: split(5000),
        },
        { when: [{ attribute: 'app.version', op: 'semverGte', value: '2.1.0' }], serve: { variant: 'v2' } },
        { when: [{ attribute: 'age', op: 'lt', value: 18 }], serve: { variant: 'v1' } },
        { when: [{ attribute: 'tier', op: 'notEquals', value: 'gold' }], serve: { variant: 'v1' } },
      ],
      fallthrough: split(9000),
    },
    'by-account': {
      type: 'boolean',
      variants: { on: true, off: false },
      bucketBy: 'account',
      fallthrough: {
        split: {
          arms: [
            { variant: 'on', weight: 3000 },
            { variant: 'off', weight: 7000 },
          ],
        },
      },
    },
    static: { type: 'number', variants: { low: 1, high: 2 }, fallthrough: { variant: 'high' } },
    'no-fallthrough': {
      type: 'boolean',
      variants: { on: true },
      rules: [{ when: [{ attribute: 'name', op: 'contains', value: 'ada' }], serve: { variant: 'on' } }],
    },
    dark: { type: 'boolean', variants: { on: true }, enabled: false, fallthrough: { variant: 'on' } },
    // A list attribute is "in" when any element is, and "not in" when none is.
    groups: {
      type: 'string',
      variants: { staff: 's', open: 'o', other: 'x' },
      rules: [
        { when: [{ attribute: 'groups', op: 'in', value: ['staff', 'admin'] }], serve: { variant: 'staff' } },
        { when: [{ attribute: 'groups', op: 'notIn', value: ['banned'] }], serve: { variant: 'open' } },
      ],
      fallthrough: { variant: 'other' },
    },
  },
  versions: { 'ai-model': 7, static: 2 },
};

const contexts = Array.from({ length: 400 }, (_, i) => ({
  targetingKey: `user-${i}`,
  account: `acct-${i % 37}`,
  ...(i % 3 === 0 && { plan: i % 2 ? 'beta' : 'free' }),
  ...(i % 5 === 0 && { country: ['DE', 'FR', 'US'][i % 3], email: i % 2 ? `u${i}@example.com` : `u${i}@other.org` }),
  ...(i % 7 === 0 && { app: { version: ['1.9.0', '2.1.0', '3.0.0'][i % 3] } }),
  ...(i % 4 === 0 && { age: i % 30 }),
  ...(i % 6 === 0 && { tier: i % 12 ? 'gold' : 'silver' }),
  // Present but falsy: JsonLogic's loose != would call these absent.
  ...(i % 13 === 5 && { tier: i % 2 ? 0 : false }),
  ...(i % 2 === 0 && { name: i % 4 ? 'adam' : 'grace' }),
  ...(i % 3 === 1 && { groups: [[], ['staff'], ['banned'], ['x', 'admin'], 'staff', 'banned', ['banned', 'x'], 7][i % 8] }),
}));

function problems(candidate: FlagsetFile): string[] {
  try {
    toFlagd(candidate);
  } catch (error) {
    if (error instanceof CliError) return [...error.lines];
    throw error;
  }
  return [];
}

describe('flagd export', () => {
  it('serves every context the same variant and value as the native flags', () => {
    const { owner: _owner, tags: _tags, kind: _kind, ...model } = file.flags['ai-model'] ?? {};
    const native = new FlagEvaluator({ flags: { ...file.flags, 'ai-model': model } });
    const flagd = loadFlagd(JSON.stringify(toFlagd(file)));
    for (const key of Object.keys(file.flags)) {
      // Asked as the flag's own type: a mismatched default would make both sides answer null alike.
      const type = native.flagSet?.flags[key]?.type;
      for (const context of contexts) {
        const expected = native.evaluate(key, context, undefined, type);
        const actual = flagd.evaluate(key, context, undefined, type);
        expect(expected.errorCode).toBeUndefined();
        expect({ key, context, value: actual.value }).toEqual({ key, context, value: expected.value });
      }
    }
  });

  it('reads back versions, off variants, descriptions, owner, tags and kind from metadata', () => {
    const back = fromFlagd(toFlagd(file), 'flags.flagd.json');
    expect(back.versions).toEqual({ 'ai-model': 7, static: 2 });
    expect(back.flags['ai-model']).toMatchObject({
      description: 'which model scores',
      offVariant: 'v1',
      owner: 'ml-platform',
      tags: ['risk', 'scoring'],
      kind: 'temporary',
    });
    expect(back.flags['ai-model']).not.toHaveProperty('metadata');
    expect(back.flags.static).toEqual({ type: 'number', variants: { low: 1, high: 2 }, enabled: true, fallthrough: { variant: 'high' } });
  });

  it('names each setting flagd cannot express instead of dropping it', () => {
    // v2 shrinking gives up its highest slots, which v1 takes: v1 then owns two ranges.
    const moved = reweightSplit(split(1000).split, [
      { variant: 'v1', weight: 2000 },
      { variant: 'v2', weight: 8000 },
    ]);
    expect(
      problems({
        flags: {
          a: {
            type: 'boolean',
            variants: { on: true },
            rules: [{ when: [{ attribute: 'ua', op: 'matches', value: 'bot' }], serve: { variant: 'on' } }],
          },
          b: { type: 'boolean', variants: { on: true, off: false }, enabled: false, offVariant: 'off' },
          c: { type: 'string', variants: { v1: 'a', v2: 'b' }, fallthrough: { split: moved } },
          d: { type: 'boolean', variants: { on: true }, rules: [{ when: [{ op: 'inSegment', value: 'beta' }], serve: { variant: 'on' } }] },
        },
        segments: { beta: { include: ['u1'] } },
      }),
    ).toEqual([
      'segments.beta: flagd has no segments',
      'flags.a.rules[0].when[0].op: flagd has no counterpart of "matches"',
      'flags.b.enabled: the flag is off and serves offVariant "off"; flagd\'s DISABLED serves the caller\'s default instead',
      'flags.c.fallthrough.split.layout: slots were moved by a reweight; flagd lays arms out cumulatively, so some users would change variant',
      'flags.d.rules[0].when[0].op: flagd has no counterpart of "inSegment"',
    ]);
  });
});
