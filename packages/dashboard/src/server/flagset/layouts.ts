import { type Flag, FlagValidationError, type Rule, reweightSplit, type Serve, type Split } from '@flaglens/evaluator';
import { diffJson } from '../audit/diff';

// Key order does not count: jsonb hands objects back with their keys reordered.
const sameJson = (a: unknown, b: unknown) => diffJson(a, b).length === 0;

function withLayout(split: Split, layout: Split['layout']): Split {
  const { layout: _dropped, ...rest } = split;
  return layout === undefined ? rest : { ...rest, layout };
}

/**
 * The split a file asks for, laid out from the stored one: a file that leaves `layout` out, or keeps the
 * exported layout while changing weights, gets `reweightSplit`'s layout, so nobody in an arm whose weight
 * did not change moves. A file that writes a different layout (or seed) on purpose keeps it.
 */
function carryServe(before: Serve | undefined, after: Serve): Serve {
  if (!before?.split || !after.split || before.split.seed !== after.split.seed) return after;
  if (after.split.layout !== undefined && !sameJson(after.split.layout, before.split.layout)) return after;
  if (sameJson(before.split.arms, after.split.arms)) return { ...after, split: withLayout(after.split, before.split.layout) };
  try {
    return { ...after, split: reweightSplit(before.split, after.split.arms) };
  } catch (error) {
    // Arms that cannot be laid out are reported, with their path, when the flag set is compiled.
    if (error instanceof FlagValidationError) return after;
    throw error;
  }
}

// A rule with an id is the same rule wherever it moved; one without is matched by position.
function storedRule(stored: Flag, rule: Rule, index: number): Rule | undefined {
  if (rule.id !== undefined) return stored.rules.find((candidate) => candidate.id === rule.id);
  const candidate = stored.rules[index];
  return candidate?.id === undefined ? candidate : undefined;
}

/** `next` with the slot layouts of its splits derived from `stored`'s, where the file did not set them itself. */
export function carryLayouts(stored: Flag | undefined, next: Flag): Flag {
  if (!stored) return next;
  const rules = next.rules.map((rule, index) => ({ ...rule, serve: carryServe(storedRule(stored, rule, index)?.serve, rule.serve) }));
  return next.fallthrough ? { ...next, rules, fallthrough: carryServe(stored.fallthrough, next.fallthrough) } : { ...next, rules };
}
