import type { Condition, FlagInput, JsonValue, Serve, Split, SplitArm } from '@flaglens/evaluator';
import type { Issue } from '../api';
import { type ConditionDraft, type FlagDraft, LIST_OPERATORS, NUMBER_OPERATORS, SEGMENT_OPERATORS, type ServeDraft } from './draft';
import { pathOf } from './issues';

/**
 * A split whose weights changed: `serve.split` holds the bare arms until the new layout, derived from
 * `base` with the evaluator's `reweightSplit`, is put in its place.
 */
export interface PendingReweight {
  path: string;
  base: Split;
  arms: SplitArm[];
  serve: Serve;
}

/** A flag as the API takes it, or the problems that stop it from being one (paths as the server names them). */
export type Conversion = { ok: true; flag: FlagInput; reweights: PendingReweight[] } | { ok: false; issues: Issue[] };

interface Context {
  issues: Issue[];
  reweights: PendingReweight[];
  totalSlots: number;
}

function parseVariant(draft: FlagDraft, text: string): JsonValue | string {
  switch (draft.type) {
    case 'string':
      return text;
    case 'boolean':
      if (text === 'true' || text === 'false') return text === 'true';
      throw new Error('choose true or false');
    case 'number': {
      const value = Number(text);
      if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`"${text}" is not a number`);
      return value;
    }
    case 'object': {
      let value: JsonValue;
      try {
        value = JSON.parse(text) as JsonValue;
      } catch (error) {
        throw new Error(`not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (typeof value !== 'object' || value === null) throw new Error('must be a JSON object, e.g. { "model": "gbdt-2026" }');
      return value;
    }
  }
}

function conditionValue(condition: ConditionDraft): JsonValue {
  if (condition.original !== undefined && condition.value === condition.originalText) return condition.original;
  if (LIST_OPERATORS.includes(condition.op)) {
    return condition.value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  // A value that is not a number goes as typed, so the server's message names exactly what was wrong.
  if (NUMBER_OPERATORS.includes(condition.op) && condition.value.trim() !== '' && Number.isFinite(Number(condition.value))) {
    return Number(condition.value);
  }
  return condition.value;
}

/** A condition row back as a condition (a rule's, or a segment's). */
export function conditionOf(condition: ConditionDraft): Condition {
  return {
    ...(SEGMENT_OPERATORS.includes(condition.op) ? {} : { attribute: condition.attribute.trim() }),
    op: condition.op,
    value: conditionValue(condition),
  };
}

function serveOf(serve: ServeDraft, path: string, { issues, reweights, totalSlots }: Context): Serve | undefined {
  if (serve.kind === 'none') return undefined;
  if (serve.kind === 'variant') return { variant: serve.variant };
  const arms: SplitArm[] = [];
  serve.arms.forEach((arm, index) => {
    const percent = Number(arm.percent);
    if (arm.percent.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      issues.push({ path: `${path}.split.arms[${index}].weight`, problem: `"${arm.percent}" is not a percentage between 0 and 100` });
    }
    arms.push({ variant: arm.variant, weight: Math.round(percent * 100) });
  });
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  if (arms.every((arm) => Number.isFinite(arm.weight)) && total !== totalSlots) {
    issues.push({ path: `${path}.split.arms`, problem: `the weights add up to ${total / 100}%; they must add up to 100%` });
  }
  if (issues.some((issue) => issue.path.startsWith(`${path}.split`))) return undefined;
  const base = serve.base;
  if (!base) return { split: { arms } };
  const unchanged =
    base.arms.length === arms.length && base.arms.every((arm, i) => arm.variant === arms[i]?.variant && arm.weight === arms[i]?.weight);
  if (unchanged) return { split: base };
  const pending: Serve = { split: { arms } };
  reweights.push({ path: `${path}.split.arms`, base, arms, serve: pending });
  return pending;
}

/** Checks what the browser can check (JSON, numbers, weights) and builds the flag the API validates in full. */
export function toFlagInput(draft: FlagDraft, totalSlots: number): Conversion {
  const context: Context = { issues: [], reweights: [], totalSlots };
  const { issues } = context;
  const variants: Record<string, JsonValue> = {};
  for (const variant of draft.variants) {
    const path = pathOf('variants', variant.name);
    if (variant.name.trim() === '') issues.push({ path: 'variants', problem: 'every variant needs a name' });
    else if (variant.name in variants) issues.push({ path, problem: `there are two variants called "${variant.name}"` });
    try {
      variants[variant.name] = parseVariant(draft, variant.text);
    } catch (error) {
      issues.push({ path, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  const rules = draft.rules.map((rule, index) => ({
    ...(rule.id.trim() ? { id: rule.id.trim() } : {}),
    ...(rule.description.trim() ? { description: rule.description.trim() } : {}),
    when: rule.when.map(conditionOf),
    serve: serveOf(rule.serve, `rules[${index}].serve`, context) ?? { variant: rule.serve.variant },
  }));
  const fallthrough = serveOf(draft.fallthrough, 'fallthrough', context);
  if (issues.length > 0) return { ok: false, issues };
  const flag: FlagInput = {
    type: draft.type,
    variants,
    enabled: draft.enabled,
    rules,
    bucketBy: draft.kept.bucketBy,
  };
  if (draft.description.trim()) flag.description = draft.description.trim();
  if (draft.offVariant) flag.offVariant = draft.offVariant;
  if (fallthrough) flag.fallthrough = fallthrough;
  if (draft.kept.targeting) flag.targeting = draft.kept.targeting;
  if (draft.kept.metadata) flag.metadata = draft.kept.metadata;
  return { ok: true, flag, reweights: context.reweights };
}
