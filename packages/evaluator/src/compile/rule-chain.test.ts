import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Context } from '../operators/attribute.js';
import { outcome, Reason } from './details.js';
import { type CompiledRule, chainRules } from './rule-chain.js';

/** Rules whose conditions read boolean attributes `c0`…`c3`; each serves an outcome naming its index. */
const rulesArb = fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }), { maxLength: 6 }).map((rules) =>
  rules.map(
    (attributes, index): CompiledRule => ({
      when: attributes.map((attribute) => (context: Context) => context[`c${attribute}`] === true),
      serve: () => outcome({ reason: Reason.TARGETING_MATCH, variant: `rule-${index}` }),
    }),
  ),
);
const contextArb = fc.record({ c0: fc.boolean(), c1: fc.boolean(), c2: fc.boolean(), c3: fc.boolean() });
const fallthrough = () => outcome({ reason: Reason.DEFAULT, variant: 'fallthrough' });

/** What the rules should serve: the first rule whose conditions all hold. */
function expected(rules: readonly CompiledRule[], context: Context): string | undefined {
  const match = rules.find((rule) => rule.when.every((predicate) => predicate(context)));
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
    const chain = chainRules([{ when: [() => false, later], serve: fallthrough }], fallthrough);
    chain({});
    expect(later).not.toHaveBeenCalled();
  });
});
