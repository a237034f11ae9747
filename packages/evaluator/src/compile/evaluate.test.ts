import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlagEvaluator } from '../evaluator.js';
import { FlagValidationError } from '../model/errors.js';
import type { FlagSetInput } from '../model/schema.js';

const definition: FlagSetInput = {
  segments: {
    beta: { include: ['vip-1'], exclude: ['banned-1'], when: [{ attribute: 'plan', op: 'equals', value: 'beta' }] },
  },
  flags: {
    'ai-model': {
      type: 'object',
      variants: { v1: { model: 'logreg', threshold: 0.5 }, v2: { model: 'gbdt', threshold: 0.4 } },
      offVariant: 'v1',
      rules: [
        { id: 'beta-users', when: [{ op: 'inSegment', value: 'beta' }], serve: { variant: 'v2' } },
        {
          when: [{ attribute: 'country', op: 'in', value: ['US', 'CA'] }],
          serve: {
            split: {
              arms: [
                { variant: 'v1', weight: 5000 },
                { variant: 'v2', weight: 5000 },
              ],
            },
          },
        },
      ],
      fallthrough: { variant: 'v1' },
      version: 7,
      metadata: { owner: 'ml-platform' },
    },
    'static-flag': { type: 'boolean', variants: { on: true, off: false }, fallthrough: { variant: 'on' } },
    'no-fallthrough': {
      type: 'string',
      variants: { a: 'a' },
      rules: [{ when: [{ attribute: 'x', op: 'equals', value: 1 }], serve: { variant: 'a' } }],
    },
    killed: { type: 'string', variants: { a: 'a', b: 'b' }, enabled: false, offVariant: 'a', fallthrough: { variant: 'b' } },
    'killed-no-off': { type: 'number', variants: { one: 1 }, enabled: false, fallthrough: { variant: 'one' } },
  },
};

const flags = new FlagEvaluator(definition);

describe('evaluate', () => {
  it('serves a rule’s variant with TARGETING_MATCH and names the rule', () => {
    const details = flags.evaluate('ai-model', { targetingKey: 'u', plan: 'beta' }, {});
    expect(details).toMatchObject({
      variant: 'v2',
      reason: 'TARGETING_MATCH',
      ruleIndex: 0,
      ruleId: 'beta-users',
      version: 7,
      flagMetadata: { owner: 'ml-platform' },
    });
    expect(details.value).toEqual({ model: 'gbdt', threshold: 0.4 });
  });

  it('segments honour include and exclude lists before their conditions', () => {
    expect(flags.evaluate('ai-model', { targetingKey: 'vip-1' }, {}).variant).toBe('v2');
    expect(flags.evaluate('ai-model', { targetingKey: 'banned-1', plan: 'beta' }, {}).ruleIndex).toBeUndefined();
  });

  it('a rule serving a split reports SPLIT with its rule index', () => {
    expect(flags.evaluate('ai-model', { targetingKey: 'u', country: 'CA' }, {})).toMatchObject({ reason: 'SPLIT', ruleIndex: 1 });
  });

  it('fallthrough is DEFAULT when the flag has rules, STATIC when it has none', () => {
    expect(flags.evaluate('ai-model', { targetingKey: 'u' }, {})).toMatchObject({ variant: 'v1', reason: 'DEFAULT', ruleIndex: undefined });
    expect(flags.evaluate('static-flag', {}, false)).toMatchObject({ value: true, variant: 'on', reason: 'STATIC' });
  });

  it('without a fallthrough, an unmatched context gets the caller’s default', () => {
    expect(flags.evaluate('no-fallthrough', {}, 'mine')).toMatchObject({ value: 'mine', variant: undefined, reason: 'DEFAULT' });
  });

  it('the kill switch serves the off variant, or the caller’s default without one', () => {
    expect(flags.evaluate('killed', {}, 'z')).toMatchObject({ value: 'a', variant: 'a', reason: 'DISABLED' });
    expect(flags.evaluate('killed-no-off', {}, 99)).toMatchObject({ value: 99, variant: undefined, reason: 'DISABLED' });
  });

  it('returns the default with an error code for a missing flag, a type mismatch or a bad context', () => {
    expect(flags.evaluate('nope', {}, 'd')).toMatchObject({ value: 'd', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
    expect(flags.evaluate('static-flag', {}, 'd')).toMatchObject({ value: 'd', reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
    expect(flags.evaluate('static-flag', 'oops' as never, false)).toMatchObject({
      value: false,
      reason: 'ERROR',
      errorCode: 'INVALID_CONTEXT',
    });
    expect(new FlagEvaluator().evaluate('static-flag', {}, false)).toMatchObject({ reason: 'ERROR', errorCode: 'PROVIDER_NOT_READY' });
  });

  it('an attribute that throws when read becomes a GENERAL error, not an exception', () => {
    const context = Object.defineProperty({}, 'country', {
      get() {
        throw new Error('boom');
      },
    });
    expect(flags.evaluate('ai-model', context, {})).toMatchObject({
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: 'evaluation failed: boom',
    });
  });

  it('never throws, whatever the key, context and default', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('ai-model', 'static-flag', 'killed', 'missing'),
        fc.anything(),
        fc.anything(),
        (key, context, fallback) => {
          const details = flags.evaluate(key, context as never, fallback);
          expect(['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT', 'DISABLED', 'ERROR']).toContain(details.reason);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('served objects are frozen so one caller cannot change another’s model config', () => {
    const value = flags.evaluate('ai-model', { targetingKey: 'u' }, {}).value as Record<string, unknown>;
    expect(Object.isFrozen(value)).toBe(true);
  });
});

describe('FlagEvaluator.load', () => {
  it('replaces the whole set and reports the changed keys', () => {
    const evaluator = new FlagEvaluator(definition);
    const seen: string[][] = [];
    evaluator.onChange((keys) => seen.push(keys));
    const next = structuredClone(definition);
    (next.flags['static-flag'] as { fallthrough: unknown }).fallthrough = { variant: 'off' };
    expect(evaluator.load(next)).toEqual(['static-flag']);
    expect(seen).toEqual([['static-flag']]);
    expect(evaluator.evaluate('static-flag', {}, true).value).toBe(false);
  });

  it('rejects an invalid set whole and keeps serving the previous one', () => {
    const evaluator = new FlagEvaluator(definition);
    const broken = structuredClone(definition);
    (broken.flags['static-flag'] as { fallthrough: unknown }).fallthrough = { variant: 'missing' };
    expect(() => evaluator.load(broken)).toThrow(FlagValidationError);
    expect(evaluator.evaluate('static-flag', {}, false).value).toBe(true);
    expect(evaluator.evaluate('ai-model', { plan: 'beta', targetingKey: 'u' }, {}).variant).toBe('v2');
  });
});
