import { describe, expect, it } from 'vitest';
import { parseAlertRule } from '@/src/server/alerts/rule';
import { draftOfRule, issuesOfField, NEW_RULE, ruleInputOf, unclaimedIssues } from './rule-draft';

describe('the alert rule form’s draft', () => {
  it('gives back every field of a rule it was made from', () => {
    const rule = parseAlertRule({
      name: 'slices of region',
      flag: 'chat-model',
      scope: 'slices',
      sliceAttribute: 'region',
      figure: { kind: 'errorRate' },
      comparison: { type: 'relative', op: 'above', by: 2, unit: 'points', significant: true },
      variants: ['v2', 'v3'],
      window: '15m',
      minSamples: 300,
      for: '5m',
      keepFiringFor: '10m',
      severity: 'critical',
      channels: ['wh_1'],
      action: 'hold',
    });
    expect(parseAlertRule(ruleInputOf(draftOfRule(rule), 'chat-model'))).toEqual(rule);
  });

  it('makes a guardrail (no flag) and keeps a drift figure’s options', () => {
    const drift = parseAlertRule({
      name: 'drift',
      figure: { kind: 'drift', measure: 'js', against: 'baseline', of: 'classes' },
      comparison: { type: 'absolute', op: 'above', threshold: 0.1 },
    });
    const input = ruleInputOf(draftOfRule(drift), 'any-flag');
    expect(input.flag).toBeUndefined();
    // Left empty, the hold before resolving is the rule's `for`.
    expect(input.keepFiringFor).toBeUndefined();
    expect(parseAlertRule(input)).toEqual(drift);
  });

  it('sends unparseable numbers as null, so the API names the field', () => {
    const input = ruleInputOf({ ...NEW_RULE, name: 'x', comparison: 'absolute', threshold: 'lots', minSamples: '' }, 'f');
    expect(JSON.parse(JSON.stringify(input))).toMatchObject({ comparison: { threshold: null }, minSamples: null });
  });

  it('puts each problem beside its field and the rest above the form', () => {
    const issues = [
      { path: 'figure.quantile', problem: 'a quantile key such as "p95"' },
      { path: 'comparison', problem: 'slice rules compare with control and require significance' },
      { path: 'channels.1', problem: 'no webhook channel "wh_x"' },
      { path: '(root)', problem: 'expected an object' },
    ];
    expect(issuesOfField(issues, 'quantile').map((i) => i.path)).toEqual(['figure.quantile']);
    expect(issuesOfField(issues, 'comparison').map((i) => i.path)).toEqual(['comparison']);
    expect(issuesOfField(issues, 'channels').map((i) => i.path)).toEqual(['channels.1']);
    expect(unclaimedIssues(issues).map((i) => i.path)).toEqual(['(root)']);
  });
});
