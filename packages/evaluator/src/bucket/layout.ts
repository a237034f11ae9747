import { FlagValidationError } from '../model/errors.js';
import { type SlotRange, type Split, type SplitArm, TOTAL_SLOTS } from '../model/schema.js';

/** flagd's cumulative layout: arm i owns [w0 + … + w(i-1), w0 + … + wi). Zero-weight arms own nothing. */
export function cumulativeLayout(arms: readonly SplitArm[]): SlotRange[] {
  const layout: SlotRange[] = [];
  let from = 0;
  for (const arm of arms) {
    if (arm.weight === 0) continue;
    layout.push({ variant: arm.variant, from, to: from + arm.weight });
    from += arm.weight;
  }
  return layout;
}

/** The layout a split serves: its stored one, or the cumulative layout of its arms. */
export function layoutOf(split: Split): SlotRange[] {
  return split.layout ?? cumulativeLayout(split.arms);
}

/** Problems with a split's arms (duplicates, weights that do not add up to 10,000). */
export function armProblems(arms: readonly SplitArm[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  let total = 0;
  for (const arm of arms) {
    if (seen.has(arm.variant)) problems.push(`variant "${arm.variant}" appears twice in the split`);
    if (!Number.isInteger(arm.weight) || arm.weight < 0) problems.push(`weight of "${arm.variant}" must be a whole number ≥ 0`);
    seen.add(arm.variant);
    total += arm.weight;
  }
  if (total !== TOTAL_SLOTS) problems.push(`weights must add up to ${TOTAL_SLOTS} basis points, they add up to ${total}`);
  return problems;
}

/** Problems with a layout against its arms, as readable sentences; empty when it is sound. */
export function layoutProblems(arms: readonly SplitArm[], layout: readonly SlotRange[]): string[] {
  const problems: string[] = [];
  const owned = new Map<string, number>();
  let expectedFrom = 0;
  for (const range of layout) {
    if (range.from !== expectedFrom) {
      problems.push(`slot ranges must be sorted and contiguous: expected a range from ${expectedFrom}, found ${range.from}`);
      break;
    }
    if (range.to <= range.from) {
      problems.push(`slot range [${range.from}, ${range.to}) is empty`);
      break;
    }
    owned.set(range.variant, (owned.get(range.variant) ?? 0) + range.to - range.from);
    expectedFrom = range.to;
  }
  if (problems.length === 0 && expectedFrom !== TOTAL_SLOTS) {
    problems.push(`slot ranges must cover [0, ${TOTAL_SLOTS}), they end at ${expectedFrom}`);
  }
  for (const arm of arms) {
    const slots = owned.get(arm.variant) ?? 0;
    if (slots !== arm.weight) problems.push(`variant "${arm.variant}" owns ${slots} slots but its weight is ${arm.weight}`);
    owned.delete(arm.variant);
  }
  for (const variant of owned.keys()) problems.push(`slot ranges name "${variant}", which is not an arm of the split`);
  return problems;
}

function slotOwners(layout: readonly SlotRange[], variants: readonly string[]): Int16Array {
  const owners = new Int16Array(TOTAL_SLOTS).fill(-1);
  for (const range of layout) owners.fill(variants.indexOf(range.variant), range.from, range.to);
  return owners;
}

function rangesOf(owners: Int16Array, variants: readonly string[]): SlotRange[] {
  const layout: SlotRange[] = [];
  let from = 0;
  for (let slot = 1; slot <= TOTAL_SLOTS; slot++) {
    if (slot === TOTAL_SLOTS || owners[slot] !== owners[from]) {
      layout.push({ variant: variants[owners[from] as number] as string, from, to: slot });
      from = slot;
    }
  }
  return layout;
}

/**
 * Changes a split's weights without reshuffling users: only slots of arms that shrink are
 * released (their highest slots first) and only arms that grow take them (lowest free slots
 * first, in arm order). A user in an arm whose weight did not change never moves, and the
 * users of a growing arm stay in it. The seed is kept.
 */
export function reweightSplit(split: Split, arms: readonly SplitArm[]): Split {
  const problems = armProblems(arms);
  if (problems.length > 0) throw new FlagValidationError(problems.map((problem) => ({ path: 'arms', problem })));
  const before = new Map(split.arms.map((arm) => [arm.variant, arm.weight]));
  const variants = [...new Set([...split.arms.map((arm) => arm.variant), ...arms.map((arm) => arm.variant)])];
  const owners = slotOwners(layoutOf(split), variants);
  const target = new Map(arms.map((arm) => [arm.variant, arm.weight]));

  for (const [index, variant] of variants.entries()) {
    let release = (before.get(variant) ?? 0) - (target.get(variant) ?? 0);
    for (let slot = TOTAL_SLOTS - 1; slot >= 0 && release > 0; slot--) {
      if (owners[slot] === index) {
        owners[slot] = -1;
        release--;
      }
    }
  }
  let free = 0;
  for (const arm of arms) {
    let take = arm.weight - (before.get(arm.variant) ?? 0);
    const index = variants.indexOf(arm.variant);
    for (; take > 0 && free < TOTAL_SLOTS; free++) {
      if (owners[free] === -1) {
        owners[free] = index;
        take--;
      }
    }
  }
  const next: Split = { arms: arms.map((arm) => ({ ...arm })), layout: rangesOf(owners, variants) };
  if (split.seed !== undefined) next.seed = split.seed;
  return next;
}
