import type { Flag, Serve } from '@flaglens/evaluator';

/**
 * What a flag serves when it serves the same thing to every caller: one variant (null: every caller
 * gets its own default value), and whether that is because the flag is off.
 */
export interface ServedToEveryone {
  variant: string | null;
  off: boolean;
}

// A split with a single arm of positive weight serves that arm to everyone; `undefined` means "depends on the caller".
function servedBy(serve: Serve | undefined): string | null | undefined {
  if (serve === undefined) return null;
  if (serve.variant !== undefined) return serve.variant;
  const arms = (serve.split?.arms ?? []).filter((arm) => arm.weight > 0);
  return arms.length === 1 ? (arms[0]?.variant ?? undefined) : undefined;
}

/**
 * The single outcome of a flag that serves every caller alike — off, or every rule and the fallthrough
 * serving the same variant with no real split — else null. Reads only the definition, never traffic;
 * JsonLogic targeting counts as depending on the caller.
 */
export function servedToEveryone(flag: Flag): ServedToEveryone | null {
  if (!flag.enabled) return { variant: flag.offVariant ?? null, off: true };
  if (flag.targeting) return null;
  const outcomes = [...flag.rules.map((rule) => servedBy(rule.serve)), servedBy(flag.fallthrough)];
  const [first] = outcomes;
  if (first === undefined || outcomes.some((outcome) => outcome !== first)) return null;
  return { variant: first, off: false };
}
