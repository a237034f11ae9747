import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attributeReader, type Context } from '../operators/attribute.js';
import type { CompiledCondition } from '../operators/condition.js';
import { outcome, Reason } from './details.js';
import { type CompiledRule, chainRules } from './rule-chain.js';

const isTrue = (value: unknown) => value === true;

/** A condition on boolean `c0`…`c3`: read as a plain attribute, a dotted one, or (like a segment) from the whole context. */
const conditionArb = fc
  .tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('plain', 'dotted', 'context'))
  .map(([n, kind]): CompiledCondition => {
    if (kind === 'plain') return { attribute: `c${n}`, test: isTrue };
    if (kind === 'dotted') return { attribute: `user.c${n}`, test: isTrue };
    return { test: (context: Context) => context[`c${n}`] === true };
  });

/** Rules of those conditions; each serves an outcome naming its index. */
const rulesArb = fc.array(fc.array(conditionArb, { maxLength: 3 }), { maxLength: 6 }).map((rules) =>
  rules.map(
    (when, index): CompiledRule => ({
      when,
      serve: () => outcome({ reason: Reason.TARGETING_MATCH, variant: `rule-${index}` }),
    }),
  ),
);
const contextArb = fc
  .record({ c0: fc.boolean(), c1: fc.boolean(), c2: fc.boolean(), c3: fc.boolean() })
  .map((flags) => ({ ...flags, user: { ...flags } }));

function holds(condition: CompiledCondition, context: Context): boolean {
  if (condition.attribute === undefined) return condition.test(context);
  return condition.test(attributeReader(condition.attribute)(context));
}
const fallthrough = () => outcome({ reason: Reason.DEFAULT, variant: 'fallthrough' });

/** What the rules should serve: the first rule whose conditions all hold. */
function expected(rules: readonly CompiledRule[], context: Context): string | undefined {
  const match = rules.find((rule) => rule.when.every((condition) => holds(condition, context)));
  return match ? match.serve(context).variant : 'fallthrough';
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('chainRules', () => {
  it('serves the first rule whose conditions all hold, else the fallthrough', () => {
    fc.assert(
      fc.property(rulesArb, contextArb, (rules, context) => {
        expect(chainRules(rules, fallthrough)(context).variant).toBe(expected(rules, context));
      }),
    );
  });

  it('gives the same answers where generated code is forbidden (strict CSP)', () => {
    vi.stubGlobal('Function', () => {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    fc.assert(
      fc.property(rulesArb, contextArb, (rules, context) => {
        expect(chainRules(rules, fallthrough)(context).variant).toBe(expected(rules, context));
      }),
    );
  });

  it('stops at the first condition that fails', () => {
    const later = vi.fn(() => true);
    const chain = chainRules([{ when: [{ test: () => false }, { test: later }], serve: fallthrough }], fallthrough);
    chain({});
    expect(later).not.toHaveBeenCalled();
  });
});
