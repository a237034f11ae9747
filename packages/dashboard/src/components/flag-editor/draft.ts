import type { Condition, Flag, FlagType, JsonValue, Operator, Rule, Serve, Split } from '@flaglens/evaluator';

/**
 * The editor's working copy of a flag: values as the person typed them (text), so half-typed JSON or
 * numbers survive until they are fixed. `toFlagInput` turns it back into a flag.
 */
export interface FlagDraft {
  key: string;
  type: FlagType;
  description: string;
  enabled: boolean;
  offVariant: string;
  variants: VariantDraft[];
  rules: RuleDraft[];
  fallthrough: ServeDraft;
  /** Fields the editor does not show, carried through a save unchanged. */
  kept: Pick<Flag, 'bucketBy' | 'targeting' | 'metadata'>;
}

export interface VariantDraft {
  uid: string;
  name: string;
  text: string;
}

export interface ConditionDraft {
  uid: string;
  attribute: string;
  op: Operator;
  value: string;
  /** The stored value and its text: kept as it was (a boolean stays a boolean) while the text is untouched. */
  original?: JsonValue;
  originalText?: string;
}

export interface RuleDraft {
  uid: string;
  id: string;
  description: string;
  when: ConditionDraft[];
  serve: ServeDraft;
}

export interface ArmDraft {
  uid: string;
  variant: string;
  /** Percent as typed, e.g. "12.5"; stored as basis points. */
  percent: string;
}

/**
 * What a rule or the fallthrough serves. A split keeps the stored split it started from (`base`),
 * so saving new weights moves only the slots that must move (`reweightSplit`).
 */
export interface ServeDraft {
  kind: 'none' | 'variant' | 'split';
  variant: string;
  arms: ArmDraft[];
  base: Split | null;
}

let counter = 0;
// Drafts made on the server arrive with their keys; a per-process prefix keeps the browser's new rows from reusing them.
const origin = Math.random().toString(36).slice(2, 8);
/** A React key for rows that can be added, removed and reordered. */
export const uid = () => `${origin}-${++counter}`;

/** Operators whose value is a list, entered comma-separated. */
export const LIST_OPERATORS: readonly Operator[] = ['in', 'notIn'];
export const NUMBER_OPERATORS: readonly Operator[] = ['lt', 'lte', 'gt', 'gte'];
export const SEGMENT_OPERATORS: readonly Operator[] = ['inSegment', 'notInSegment'];

export const percentOf = (basisPoints: number) => String(basisPoints / 100);

export function valueText(type: FlagType, value: JsonValue): string {
  if (type === 'object') return JSON.stringify(value, null, 2);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function conditionText(condition: Condition): string {
  const { value } = condition;
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function serveDraft(serve: Serve | undefined, fallbackVariant: string): ServeDraft {
  if (serve?.split) {
    const arms = serve.split.arms.map((arm) => ({ uid: uid(), variant: arm.variant, percent: percentOf(arm.weight) }));
    return { kind: 'split', variant: fallbackVariant, arms, base: serve.split };
  }
  if (serve?.variant !== undefined) return { kind: 'variant', variant: serve.variant, arms: [], base: null };
  return { kind: 'none', variant: fallbackVariant, arms: [], base: null };
}

/** A stored condition as the editor's row shows it (a rule's, or a segment's). */
export function conditionDraft(condition: Condition): ConditionDraft {
  const text = conditionText(condition);
  return { uid: uid(), attribute: condition.attribute ?? '', op: condition.op, value: text, original: condition.value, originalText: text };
}

function ruleDraft(rule: Rule, fallbackVariant: string): RuleDraft {
  return {
    uid: uid(),
    id: rule.id ?? '',
    description: rule.description ?? '',
    when: rule.when.map(conditionDraft),
    serve: serveDraft(rule.serve, fallbackVariant),
  };
}

export function draftOf(key: string, flag: Flag): FlagDraft {
  const first = Object.keys(flag.variants)[0] ?? '';
  return {
    key,
    type: flag.type,
    description: flag.description ?? '',
    enabled: flag.enabled,
    offVariant: flag.offVariant ?? '',
    variants: Object.entries(flag.variants).map(([name, value]) => ({ uid: uid(), name, text: valueText(flag.type, value) })),
    rules: flag.rules.map((rule) => ruleDraft(rule, first)),
    fallthrough: serveDraft(flag.fallthrough, first),
    kept: { bucketBy: flag.bucketBy, targeting: flag.targeting, metadata: flag.metadata },
  };
}

/** What the create page starts from: an object flag (a model config) serving its one variant. */
export function newFlagDraft(): FlagDraft {
  return {
    key: '',
    type: 'object',
    description: '',
    enabled: true,
    offVariant: 'control',
    variants: [{ uid: uid(), name: 'control', text: '{\n  "model": ""\n}' }],
    rules: [],
    fallthrough: { kind: 'variant', variant: 'control', arms: [], base: null },
    kept: { bucketBy: 'targetingKey', targeting: undefined, metadata: undefined },
  };
}

export const newCondition = (): ConditionDraft => ({ uid: uid(), attribute: '', op: 'equals', value: '' });

export const newRule = (variant: string): RuleDraft => ({
  uid: uid(),
  id: '',
  description: '',
  when: [newCondition()],
  serve: { kind: 'variant', variant, arms: [], base: null },
});
