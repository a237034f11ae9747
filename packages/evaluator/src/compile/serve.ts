import { armProblems, layoutOf, layoutProblems } from '../bucket/layout.js';
import { murmur3Continue, murmur3Prefix } from '../bucket/murmur3.js';
import { slotOfHash } from '../bucket/slot.js';
import type { JsonValue, Serve, Split } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';
import { attributeReader } from '../operators/attribute.js';
import type { ReportProblem } from '../operators/condition.js';
import { ErrorCode, errorOutcome, type Outcome, outcome, Reason } from './details.js';

/** Picks an outcome for a context once a rule (or the fallthrough) has been reached. */
export type Server = (context: Context) => Outcome;

/** Where a serve sits in the flag, for reasons and problem paths. */
export interface ServeSite {
  readonly ruleIndex?: number;
  readonly ruleId?: string;
  /** Reason when a fixed variant is served here. */
  readonly variantReason: Reason;
}

export interface FlagShape {
  readonly key: string;
  readonly variants: Readonly<Record<string, JsonValue>>;
  readonly bucketBy: string;
}

/** The outcome serving `variant` at `site`, built once when the flag compiles. */
const servedAt = (flag: FlagShape, variant: string, reason: Reason, site: ServeSite): Outcome =>
  outcome({ variant, value: flag.variants[variant], reason, ruleIndex: site.ruleIndex, ruleId: site.ruleId });

function splitServer(flag: FlagShape, split: Split, site: ServeSite, report: ReportProblem): Server | undefined {
  let sound = true;
  for (const problem of armProblems(split.arms)) {
    report(['split', 'arms'], problem);
    sound = false;
  }
  for (const [index, arm] of split.arms.entries()) {
    if (!Object.hasOwn(flag.variants, arm.variant)) {
      report(['split', 'arms', index, 'variant'], `unknown variant ${JSON.stringify(arm.variant)}`);
      sound = false;
    }
  }
  if (split.layout) {
    for (const problem of layoutProblems(split.arms, split.layout)) {
      report(['split', 'layout'], problem);
      sound = false;
    }
  }
  if (!sound) return undefined;

  const layout = layoutOf(split);
  // Each range's end then the outcome it serves, in one array scanned in order: a layout rarely has
  // more than a few ranges, and one object per split keeps a flag's state in few cache lines.
  const ranges: (number | Outcome)[] = [];
  for (const range of layout) ranges.push(range.to, servedAt(flag, range.variant, Reason.SPLIT, site));
  const prefix = murmur3Prefix(split.seed ?? flag.key);
  const name = flag.bucketBy;
  // A plain name is read in place; only dotted paths need a reader of their own.
  const read = name.includes('.') ? attributeReader(name) : undefined;
  const missing = errorOutcome(ErrorCode.TARGETING_KEY_MISSING, `the split needs a string "${name}" in the evaluation context`);
  return (context) => {
    const value = read === undefined ? context[name] : read(context);
    const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
    if (text === undefined || text === '') return missing;
    const slot = slotOfHash(murmur3Continue(prefix, text));
    let index = 0;
    while (slot >= (ranges[index] as number)) index += 2;
    return ranges[index + 1] as Outcome;
  };
}

/** Compiles what a rule or the fallthrough serves. */
export function compileServe(flag: FlagShape, serve: Serve, site: ServeSite, report: ReportProblem): Server | undefined {
  if (serve.split) return splitServer(flag, serve.split, site, report);
  if (serve.variant === undefined || !Object.hasOwn(flag.variants, serve.variant)) {
    report(['variant'], `unknown variant ${JSON.stringify(serve.variant)}`);
    return undefined;
  }
  const fixed = servedAt(flag, serve.variant, site.variantReason, site);
  return () => fixed;
}
