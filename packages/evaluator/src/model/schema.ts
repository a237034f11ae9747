import { z } from 'zod';
import { didYouMean } from './suggest.js';

/** Any JSON value: what a variant may serve. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const jsonValue: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);

/** Splits bucket users into this many slots: basis points, so weights move in 0.01% steps. */
export const TOTAL_SLOTS = 10_000;

export const FLAG_TYPES = ['boolean', 'string', 'number', 'object'] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

/** Operators that compare an attribute with a value; `inSegment`/`notInSegment` name a segment instead. */
export const OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'matches',
  'lt',
  'lte',
  'gt',
  'gte',
  'semverEq',
  'semverLt',
  'semverLte',
  'semverGt',
  'semverGte',
  'before',
  'after',
  'inSegment',
  'notInSegment',
] as const;
export type Operator = (typeof OPERATORS)[number];

const name = (what: string) =>
  z
    .string({ error: `expected a ${what} name (string)` })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/, `invalid ${what} name: letters, digits, "_", ".", ":", "-", at most 128`);

export const flagKeySchema = name('flag');

const operator = z
  .string({ error: 'expected an operator (string)' })
  .refine((op): op is Operator => (OPERATORS as readonly string[]).includes(op), {
    error: (issue) => `unknown operator ${JSON.stringify(issue.input)}${didYouMean(String(issue.input), OPERATORS)}`,
  });

export const conditionSchema = z.strictObject({
  /** Context attribute; dotted paths (`user.plan`) reach into nested objects. Not used by segment operators. */
  attribute: z.string().min(1).max(256).optional(),
  op: operator,
  value: jsonValue,
});
export type Condition = { attribute?: string; op: Operator; value: JsonValue };

const weight = z.number().int('weight must be a whole number of basis points').min(0).max(TOTAL_SLOTS);

export const splitArmSchema = z.strictObject({ variant: z.string(), weight });
/** A half-open range of slots [from, to) served by one variant. */
export const slotRangeSchema = z.strictObject({
  variant: z.string(),
  from: z.number().int().min(0).max(TOTAL_SLOTS),
  to: z.number().int().min(0).max(TOTAL_SLOTS),
});

export const splitSchema = z.strictObject({
  /** Arms in order; weights in basis points summing to 10,000. */
  arms: z.array(splitArmSchema).min(1, 'a split needs at least one arm'),
  /** Slot layout, part of the flag's versioned state; absent means flagd's cumulative layout of `arms`. */
  layout: z.array(slotRangeSchema).optional(),
  /** Hash seed; defaults to the flag key (flagd's). Changing it re-randomises every user. */
  seed: z.string().min(1).max(256).optional(),
});

/** What a rule or the fallthrough serves: one variant, or a weighted split. */
export const serveSchema = z
  .strictObject({ variant: z.string().optional(), split: splitSchema.optional() })
  .refine((serve) => (serve.variant === undefined) !== (serve.split === undefined), {
    error: 'serve exactly one of "variant" or "split"',
  });

export const ruleSchema = z.strictObject({
  id: z.string().min(1).max(128).optional(),
  description: z.string().max(1024).optional(),
  when: z.array(conditionSchema).min(1, 'a rule needs at least one condition'),
  serve: serveSchema,
});

export const segmentSchema = z.strictObject({
  description: z.string().max(1024).optional(),
  /** Bucketing-key values that are always members. */
  include: z.array(z.string()).optional(),
  /** Bucketing-key values that are never members, whatever the conditions say. */
  exclude: z.array(z.string()).optional(),
  /** Conditions, ANDed; an empty list matches nobody beyond `include`. */
  when: z.array(conditionSchema).default([]),
});

const metadataValue = z.union([z.string(), z.number(), z.boolean()]);

/** JsonLogic targeting, as imported from flagd; it evaluates to a variant name, or null for the fallthrough. */
export const jsonLogicTargetingSchema = z.strictObject({ jsonLogic: jsonValue });

export const flagSchema = z.strictObject({
  description: z.string().max(4096).optional(),
  type: z.enum(FLAG_TYPES, {
    error: (issue) =>
      issue.input === undefined ? undefined : `unknown flag type ${JSON.stringify(issue.input)}; expected one of ${FLAG_TYPES.join(', ')}`,
  }),
  variants: z.record(name('variant'), jsonValue),
  /** Kill switch: off serves `offVariant`, or the caller's default when there is none. */
  enabled: z.boolean().default(true),
  offVariant: z.string().optional(),
  rules: z.array(ruleSchema).default([]),
  /** Served when no rule matches; absent means the caller's default (reason DEFAULT). */
  fallthrough: serveSchema.optional(),
  /** Context attribute that splits hash; default `targetingKey`. */
  bucketBy: z.string().min(1).max(256).default('targetingKey'),
  /** JsonLogic targeting imported from flagd, used instead of `rules`. */
  targeting: jsonLogicTargetingSchema.optional(),
  version: z.number().int().min(0).default(1),
  metadata: z.record(z.string(), metadataValue).optional(),
});

export const flagSetSchema = z.strictObject({
  flags: z.record(z.string(), flagSchema),
  segments: z.record(name('segment'), segmentSchema).default({}),
});

export type SplitArm = z.infer<typeof splitArmSchema>;
export type SlotRange = z.infer<typeof slotRangeSchema>;
export type Split = z.infer<typeof splitSchema>;
export type Serve = z.infer<typeof serveSchema>;
export type Rule = Omit<z.infer<typeof ruleSchema>, 'when'> & { when: Condition[] };
export type Segment = Omit<z.output<typeof segmentSchema>, 'when'> & { when: Condition[] };
/** A validated flag: defaults applied. */
export type Flag = Omit<z.output<typeof flagSchema>, 'rules'> & { rules: Rule[] };
/** A flag as written by people: optional fields may be left out. */
export type FlagInput = z.input<typeof flagSchema>;
/** A validated flag set. */
export type FlagSet = { flags: Record<string, Flag>; segments: Record<string, Segment> };
export type FlagSetInput = z.input<typeof flagSetSchema>;
