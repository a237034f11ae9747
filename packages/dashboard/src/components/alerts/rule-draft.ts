import type { AlertRuleDefinition } from '@/src/server/alerts/rule';
import type { Issue } from '../api';

/** The rule form's state: every field as the inputs hold it (numbers as typed text). */
export interface RuleDraft {
  name: string;
  /** False: a guardrail on every flag of the environment. */
  ownFlag: boolean;
  scope: 'variant' | 'slices';
  sliceAttribute: string;
  kind: AlertRuleDefinition['figure']['kind'];
  quantile: string;
  measure: 'psi' | 'ks' | 'js';
  against: 'control' | 'baseline';
  of: 'score' | 'classes';
  event: string;
  comparison: 'absolute' | 'relative';
  op: 'above' | 'below';
  threshold: string;
  by: string;
  unit: 'percent' | 'points' | 'difference';
  significant: boolean;
  /** Comma-separated; empty judges every variant except control. */
  variants: string;
  window: string;
  minSamples: string;
  for: string;
  /** Empty: the same as `for`. */
  keepFiringFor: string;
  severity: AlertRuleDefinition['severity'];
  channels: string[];
  action: AlertRuleDefinition['action'];
}

/** A new rule's starting point: the API's defaults, a p95 latency rule against control. */
export const NEW_RULE: RuleDraft = {
  name: '',
  ownFlag: true,
  scope: 'variant',
  sliceAttribute: '',
  kind: 'latency',
  quantile: 'p95',
  measure: 'psi',
  against: 'control',
  of: 'score',
  event: '',
  comparison: 'relative',
  op: 'above',
  threshold: '',
  by: '20',
  unit: 'percent',
  significant: true,
  variants: '',
  window: '10m',
  minSamples: '100',
  for: '2m',
  keepFiringFor: '',
  severity: 'warning',
  channels: [],
  action: 'notify',
};

/** The form's state for an existing rule. */
export function draftOfRule(d: AlertRuleDefinition): RuleDraft {
  const f = d.figure;
  const c = d.comparison;
  return {
    ...NEW_RULE,
    name: d.name,
    ownFlag: d.flag !== undefined,
    scope: d.scope,
    sliceAttribute: d.sliceAttribute ?? '',
    kind: f.kind,
    quantile: f.kind === 'latency' ? f.quantile : NEW_RULE.quantile,
    ...(f.kind === 'drift' ? { measure: f.measure, against: f.against, of: f.of } : {}),
    event: f.kind === 'eventRate' ? f.event : '',
    comparison: c.type,
    op: c.op,
    threshold: c.type === 'absolute' ? String(c.threshold) : '',
    ...(c.type === 'relative' ? { by: String(c.by), unit: c.unit, significant: c.significant } : {}),
    variants: d.variants?.join(', ') ?? '',
    window: d.window,
    minSamples: String(d.minSamples),
    for: d.for,
    keepFiringFor: d.keepFiringFor ?? '',
    severity: d.severity,
    channels: [...d.channels],
    action: d.action,
  };
}

/** Typed text as a number; empty or malformed text becomes NaN, which JSON sends as null and the API names. */
const numberOf = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

function figureOf(d: RuleDraft): AlertRuleDefinition['figure'] {
  switch (d.kind) {
    case 'latency':
      return { kind: 'latency', quantile: d.quantile };
    case 'drift':
      return { kind: 'drift', measure: d.measure, against: d.against, of: d.of };
    case 'eventRate':
      return { kind: 'eventRate', event: d.event.trim() };
    default:
      return { kind: d.kind };
  }
}

/** The request body for `POST /alert-rules` or `PUT /alert-rules/{id}`; the API validates it and names each problem. */
export function ruleInputOf(d: RuleDraft, flag: string): Record<string, unknown> {
  const input: Record<string, unknown> = {
    name: d.name,
    scope: d.scope,
    figure: figureOf(d),
    comparison:
      d.comparison === 'absolute'
        ? { type: 'absolute', op: d.op, threshold: numberOf(d.threshold) }
        : { type: 'relative', op: d.op, by: numberOf(d.by), unit: d.unit, significant: d.significant },
    window: d.window.trim(),
    minSamples: numberOf(d.minSamples),
    for: d.for.trim(),
    severity: d.severity,
    channels: d.channels,
    action: d.action,
  };
  if (d.ownFlag) input.flag = flag;
  if (d.keepFiringFor.trim()) input.keepFiringFor = d.keepFiringFor.trim();
  if (d.scope === 'slices' && d.sliceAttribute.trim()) input.sliceAttribute = d.sliceAttribute.trim();
  const variants = d.variants
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  if (variants.length > 0) input.variants = variants;
  return input;
}

/** The form fields, each with the issue paths shown beside it (a path names its field or something inside it). */
export const RULE_FIELDS = {
  name: ['name'],
  flag: ['flag'],
  scope: ['scope'],
  sliceAttribute: ['sliceAttribute'],
  kind: ['figure.kind', 'figure'],
  quantile: ['figure.quantile'],
  measure: ['figure.measure'],
  against: ['figure.against'],
  of: ['figure.of'],
  event: ['figure.event'],
  comparison: ['comparison.type', 'comparison'],
  op: ['comparison.op'],
  threshold: ['comparison.threshold'],
  by: ['comparison.by', 'comparison.unit', 'comparison.significant'],
  variants: ['variants'],
  window: ['window'],
  minSamples: ['minSamples'],
  for: ['for'],
  keepFiringFor: ['keepFiringFor'],
  severity: ['severity'],
  channels: ['channels'],
  action: ['action'],
} as const;

export type RuleField = keyof typeof RULE_FIELDS;

const claims = (field: RuleField, path: string) =>
  (RULE_FIELDS[field] as readonly string[]).some((p) => path === p || (p !== 'figure' && p !== 'comparison' && path.startsWith(`${p}.`)));

/** The issues shown beside one field. */
export const issuesOfField = (issues: readonly Issue[], field: RuleField) => issues.filter((i) => claims(field, i.path));

/** Issues no field claims, shown above the form so none goes unseen. */
export const unclaimedIssues = (issues: readonly Issue[]) =>
  issues.filter((i) => !(Object.keys(RULE_FIELDS) as RuleField[]).some((field) => claims(field, i.path)));
