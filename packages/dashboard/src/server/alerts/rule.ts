import { z } from 'zod';
import { ApiError } from '../http/errors';

const DURATION = /^(\d{1,7})(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a Prometheus-style duration (`90s`, `5m`, `1h`); the schema has already checked the form. */
export function durationMs(duration: string): number {
  const match = DURATION.exec(duration);
  if (!match?.[1] || !match[2]) throw new RangeError(`not a duration: ${duration}`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

const duration = (max: string) =>
  z
    .string()
    .regex(DURATION, 'a duration such as "30s", "5m" or "1h"')
    // zod runs this even when the regex failed, so it must not assume the form.
    .refine((value) => !DURATION.test(value) || durationMs(value) <= durationMs(max), `at most ${max}`);

const figureSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('latency'), quantile: z.string().regex(/^p\d{1,2}(\.\d+)?$/, 'a quantile key such as "p95"') }),
  z.strictObject({ kind: z.literal('errorRate') }),
  z.strictObject({ kind: z.literal('accuracy') }),
  z.strictObject({ kind: z.literal('macroF1') }),
  z.strictObject({ kind: z.literal('meanAbsoluteError') }),
  z.strictObject({
    kind: z.literal('drift'),
    measure: z.enum(['psi', 'ks', 'js']),
    against: z.enum(['control', 'baseline']).default('control'),
    of: z.enum(['score', 'classes']).default('score'),
  }),
  z.strictObject({ kind: z.literal('eventRate'), event: z.string().min(1).max(128) }),
  // The sample-ratio-mismatch chi-square p-value of the whole split: one value per flag, not per variant.
  z.strictObject({ kind: z.literal('srm') }),
]);

const comparisonSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('absolute'), op: z.enum(['above', 'below']), threshold: z.number().finite() }),
  z.strictObject({
    type: z.literal('relative'),
    op: z.enum(['above', 'below']),
    /** How far from control: 20 with `percent` is "20% above control"; 2 with `points` is "2 percentage points". */
    by: z.number().finite().nonnegative(),
    unit: z.enum(['percent', 'points', 'difference']),
    /** Also require the delta to be significant (Holm-adjusted for slices), so noise never pages. */
    significant: z.boolean().default(true),
  }),
]);

const PROPORTIONS = new Set(['errorRate', 'accuracy', 'macroF1', 'eventRate']);

/** An alert rule as written by a person; defaults applied. Without `flag` it is a guardrail on every flag. */
export const alertRuleSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    flag: z.string().min(1).max(256).optional(),
    scope: z.enum(['variant', 'slices']).default('variant'),
    /** Slice rules only: one slice attribute (e.g. "region"); absent means every attribute. */
    sliceAttribute: z
      .string()
      // Slices are metric labels; any other name matches no slice and breaks the exported PromQL.
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'a metric label name such as "region": letters, digits and "_", not starting with a digit')
      .optional(),
    figure: figureSchema,
    comparison: comparisonSchema,
    /** Variants judged; default every variant except control. */
    variants: z.array(z.string().min(1).max(128)).max(50).optional(),
    window: duration('7d').default('10m'),
    minSamples: z.number().int().min(1).max(100_000_000).default(100),
    for: duration('1d').default('2m'),
    /** How long the condition must stay clear before a firing alert resolves (Prometheus' `keep_firing_for`); default `for`. */
    keepFiringFor: duration('1d').optional(),
    severity: z.enum(['critical', 'error', 'warning', 'info']).default('warning'),
    channels: z.array(z.string().min(1).max(64)).max(20).default([]),
    action: z.enum(['notify', 'rollback', 'hold']).default('notify'),
  })
  .superRefine((rule, ctx) => {
    const kind = rule.figure.kind;
    const relative = rule.comparison.type === 'relative';
    if ((kind === 'drift' || kind === 'srm') && relative) {
      ctx.addIssue({
        code: 'custom',
        path: ['comparison', 'type'],
        message: `${kind} is already measured against a reference; use "absolute"`,
      });
    }
    if (rule.comparison.type === 'relative' && rule.comparison.unit === 'points' && !PROPORTIONS.has(kind)) {
      ctx.addIssue({ code: 'custom', path: ['comparison', 'unit'], message: `"points" applies to proportions only, not ${kind}` });
    }
    if (rule.scope === 'slices') {
      if (kind !== 'errorRate' && kind !== 'accuracy') {
        ctx.addIssue({ code: 'custom', path: ['figure', 'kind'], message: 'slice rules judge errorRate or accuracy' });
      }
      // Only a relative, significance-tested comparison carries the Holm correction across slices.
      if (!relative || (rule.comparison.type === 'relative' && !rule.comparison.significant)) {
        ctx.addIssue({ code: 'custom', path: ['comparison'], message: 'slice rules compare with control and require significance' });
      }
    } else if (rule.sliceAttribute !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['sliceAttribute'], message: 'only slice rules take a slice attribute' });
    }
  });

export type AlertRuleInput = z.input<typeof alertRuleSchema>;
export type AlertRuleDefinition = z.output<typeof alertRuleSchema>;
export type FigureSpec = AlertRuleDefinition['figure'];
export type ComparisonSpec = AlertRuleDefinition['comparison'];

/** Milliseconds a firing alert's condition must stay clear before it resolves: `keepFiringFor`, else `for`. */
export const keepFiringForMs = (rule: AlertRuleDefinition): number => durationMs(rule.keepFiringFor ?? rule.for);

/** A stored rule: its definition plus identity and bookkeeping. */
export interface AlertRule {
  id: string;
  environment: string;
  kind: 'flag' | 'guardrail';
  version: number;
  definition: AlertRuleDefinition;
  updatedAt: string;
  updatedBy: string;
}

/** A validation problem at a dotted path, the same shape flag validation reports. */
export interface Issue {
  path: string;
  problem: string;
}

export const issuesOf = (error: z.ZodError): Issue[] =>
  error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', problem: issue.message }));

/** Validates a rule or throws the 400 that names every problem by path. */
export function parseAlertRule(input: unknown): AlertRuleDefinition {
  const result = alertRuleSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const [first] = issues;
  throw new ApiError(400, 'invalid_alert_rule', `invalid alert rule: ${first?.path}: ${first?.problem}`, { issues });
}
