import { compileFlagSet, parseFlagSet } from '../compile/flag-set.js';
import { FlagValidationError, IssueCollector } from '../model/errors.js';
import type { Flag, FlagSet, FlagSetInput } from '../model/schema.js';

/** Flag key → the variant everyone should get. */
export type Pins = Readonly<Record<string, string>>;

function variantNames(flag: Flag): string {
  return Object.keys(flag.variants)
    .map((name) => JSON.stringify(name))
    .join(', ');
}

/**
 * Returns a new, validated flag set in which each pinned flag serves its pinned variant to
 * everyone (enabled, no targeting, reason STATIC); other flags are unchanged.
 * Throws FlagValidationError naming every unknown flag or variant.
 *
 * @example
 * const evaluator = new FlagEvaluator(pinVariants(flagSet, { 'ai-model': 'v2' }));
 */
export function pinVariants(flagSet: FlagSetInput | FlagSet, pins: Pins): FlagSet {
  const definition = parseFlagSet(flagSet);
  const issues = new IssueCollector();
  const flags = { ...definition.flags };
  for (const [key, variant] of Object.entries(pins)) {
    const flag = definition.flags[key];
    if (!flag) issues.add(['flags', key], `cannot pin an unknown flag; flags are ${Object.keys(definition.flags).join(', ')}`);
    // hasOwn, not `in`: a variant named "toString" must not match Object.prototype.
    else if (!Object.hasOwn(flag.variants, variant))
      issues.add(['flags', key, 'variants'], `cannot pin unknown variant ${JSON.stringify(variant)}; variants are ${variantNames(flag)}`);
    else flags[key] = { ...flag, enabled: true, rules: [], targeting: undefined, fallthrough: { variant } };
  }
  issues.throwIfAny();
  return compileFlagSet({ ...definition, flags }).definition;
}

/**
 * The variant names of one flag, in definition order: the table for `it.each`.
 *
 * @example
 * it.each(variantsOf(flagSet, 'ai-model'))('answers with model variant %s', async (variant) => { ... });
 */
export function variantsOf(flagSet: FlagSetInput | FlagSet, flagKey: string): string[] {
  const flag = parseFlagSet(flagSet).flags[flagKey];
  if (!flag) throw new FlagValidationError([{ path: `flags[${JSON.stringify(flagKey)}]`, problem: 'no such flag' }]);
  return Object.keys(flag.variants);
}
