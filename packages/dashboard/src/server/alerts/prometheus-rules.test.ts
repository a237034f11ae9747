import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prometheusAlerts, prometheusRulesYaml } from './prometheus-rules';
import { type AlertRule, type AlertRuleInput, parseAlertRule } from './rule';

/** Debian's package; CI installs it from .ci/debian-packages. */
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

const rule = (id: string, input: Omit<AlertRuleInput, 'name'> & { name?: string }, kind: AlertRule['kind'] = 'flag'): AlertRule => ({
  id,
  environment: 'production',
  kind,
  version: 1,
  definition: parseAlertRule({ name: `rule ${id}`, ...input }),
  updatedAt: '2025-01-01T00:00:00.000Z',
  updatedBy: 'test',
});

const target = { flag: 'ai-model', environment: 'production', control: 'control' };

/** A rule on `ai-model` that compares `figure` as `comparison`. */
const onModel = (
  id: string,
  figure: AlertRuleInput['figure'],
  comparison: AlertRuleInput['comparison'],
  more: Partial<AlertRuleInput> = {},
): AlertRule => rule(id, { flag: 'ai-model', figure, comparison, ...more });

/** One rule of every kind the model has: every figure, both comparisons, every relative unit, a guardrail and slices. */
const EVERY_KIND: AlertRule[] = [
  onModel(
    'p95_relative',
    { kind: 'latency', quantile: 'p95' },
    { type: 'relative', op: 'above', by: 20, unit: 'percent' },
    { window: '15m', minSamples: 200, for: '2m', severity: 'critical', action: 'rollback' },
  ),
  onModel('p99_absolute', { kind: 'latency', quantile: 'p99' }, { type: 'absolute', op: 'above', threshold: 1.5 }),
  onModel('accuracy_points', { kind: 'accuracy' }, { type: 'relative', op: 'below', by: 2, unit: 'points' }, { action: 'hold' }),
  rule(
    'errors_guardrail',
    { figure: { kind: 'errorRate' }, comparison: { type: 'relative', op: 'above', by: 1, unit: 'points' } },
    'guardrail',
  ),
  onModel(
    'mae_difference',
    { kind: 'meanAbsoluteError' },
    { type: 'relative', op: 'above', by: 0.5, unit: 'difference', significant: false },
  ),
  onModel('checkout_rate', { kind: 'eventRate', event: 'checkout' }, { type: 'absolute', op: 'below', threshold: 0.05 }),
  onModel(
    'slice_errors',
    { kind: 'errorRate' },
    { type: 'relative', op: 'above', by: 50, unit: 'percent' },
    { scope: 'slices', sliceAttribute: 'region' },
  ),
  onModel('drift_ks', { kind: 'drift', measure: 'ks' }, { type: 'absolute', op: 'above', threshold: 0.2 }),
  onModel('drift_psi', { kind: 'drift', measure: 'psi' }, { type: 'absolute', op: 'above', threshold: 0.25 }),
  onModel('srm', { kind: 'srm' }, { type: 'absolute', op: 'below', threshold: 0.001 }),
  onModel('f1', { kind: 'macroF1' }, { type: 'absolute', op: 'below', threshold: 0.8 }),
];

const alertOf = (id: string) => {
  const found = prometheusAlerts(EVERY_KIND, target).alerts.find((a) => a.labels.flaglens_rule === id);
  if (!found) throw new Error(`no alert for ${id}`);
  return found;
};

describe('Prometheus alerting rules from flaglens rules', () => {
  it('compares the candidates’ p95 with control’s, in percent, where both sides have the minimum samples', () => {
    const a = alertOf('p95_relative');
    const bucket = (variant: string) =>
      `histogram_quantile(0.95, sum by (variant, le) (increase(flaglens_inference_duration_seconds_bucket{flag="ai-model", ${variant}, mode!="shadow"}[15m])))`;
    const count = (variant: string) =>
      `sum by (variant) (increase(flaglens_inference_duration_seconds_count{flag="ai-model", ${variant}, mode!="shadow"}[15m]))`;
    const judged = bucket('variant!~"control|"');
    const control = bucket('variant="control"');
    expect(a.expr).toBe(
      `(((${judged}) - ignoring (variant) group_left () (${control})) / ignoring (variant) group_left () ((${control}) != 0) * 100) > 20` +
        ` and on (variant) (${count('variant!~"control|"')} >= 200) and ignoring (variant) (${count('variant="control"')} >= 200)`,
    );
    expect(a).toMatchObject({
      for: '2m',
      labels: { severity: 'critical', flag: 'ai-model', flaglens_rule: 'p95_relative', flaglens_action: 'rollback' },
      annotations: { flag: 'ai-model', variant: '{{ $labels.variant }}', rule: 'rule p95_relative' },
    });
    expect(a.annotations.summary).toBe('ai-model: latency p95 of {{ $labels.variant }} is more than 20% above control');
    expect(a.annotations.description).toContain('flaglens also requires the difference to be significant');
  });

  it('writes "points" as the difference of proportions times 100, and "below" as a negative threshold', () => {
    const a = alertOf('accuracy_points');
    expect(a.expr).toMatch(/\) \* 100\) < -2 and on \(variant\)/);
    expect(a.expr).toContain('flaglens_outcomes_total{flag="ai-model", variant!~"control|", mode!="shadow", outcome="correct"}[10m]');
    // Nothing correct yet reads as 0, not as no result.
    expect(a.expr).toContain(
      ' or sum by (variant) (increase(flaglens_outcomes_total{flag="ai-model", variant!~"control|", mode!="shadow"}[10m])) * 0',
    );
  });

  it('compares an absolute threshold directly and keeps the rule’s window and for', () => {
    const a = alertOf('p99_absolute');
    expect(a.expr).toMatch(/^\(histogram_quantile\(0\.99, .*\[10m\]\)\)\)\) > 1\.5 and on \(variant\) \(sum by \(variant\) .* >= 100\)$/);
    expect(a.for).toBe('2m');
    expect(a.keep_firing_for).toBe('2m');
    expect(alertOf('checkout_rate').expr).toContain(
      'flaglens_business_events_total{flag="ai-model", variant!~"control|", event="checkout"}',
    );
  });

  it('applies a guardrail to the exported flag and marks it', () => {
    const a = alertOf('errors_guardrail');
    expect(a.labels).toMatchObject({ flag: 'ai-model', flaglens_guardrail: 'true' });
    expect(a.expr).toContain('flaglens_inference_errors_total{flag="ai-model", variant!~"control|", mode!="shadow"}');
  });

  it('keeps slices apart, compares each with control in the same slice, and says a slice fired', () => {
    const a = alertOf('slice_errors');
    expect(a.expr).toContain('sum by (variant, region) (increase(flaglens_inference_errors_total');
    expect(a.expr).toContain('and on (variant, region)');
    expect(a.annotations.summary).toContain('in the slice region={{ $labels.region }} (a slice fired, not the whole variant)');
    expect(a.annotations.description).toContain('Holm–Bonferroni');
  });

  it('names every rule PromQL cannot express instead of dropping it silently', () => {
    const exported = prometheusAlerts(EVERY_KIND, target);
    expect(exported.notExported.map((n) => [n.rule, n.kind])).toEqual([
      ['drift_ks', 'drift'],
      ['drift_psi', 'drift'],
      ['srm', 'srm'],
      ['f1', 'macroF1'],
    ]);
    const yaml = prometheusRulesYaml(exported, new Date(0));
    expect(yaml).toContain(
      '#   srm "rule srm" (sample-ratio-mismatch p-value): the sample-ratio-mismatch p-value needs the chi-square distribution',
    );
    expect(yaml).toContain('#   drift_ks "rule drift_ks" (drift ks of score vs control)');
  });

  it('judges only the listed variants when a rule lists them, escaping regex characters', () => {
    const only = rule('listed', {
      flag: 'ai-model',
      variants: ['v2.1', 'v3'],
      figure: { kind: 'errorRate' },
      comparison: { type: 'absolute', op: 'above', threshold: 0.1 },
    });
    expect(prometheusAlerts([only], target).alerts[0]?.expr).toContain('variant=~"v2\\\\.1|v3"');
  });

  it.skipIf(!existsSync(PROMTOOL))('gives a rule file `promtool check rules` accepts, with one rule of every kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flaglens-rules-'));
    try {
      const file = join(dir, 'flaglens.rules.yml');
      // A name with quotes, a newline and non-ASCII must not break the YAML.
      const odd = rule('odd', {
        name: 'p50 "fast"\npath — ünïcode',
        flag: 'ai-model',
        figure: { kind: 'latency', quantile: 'p50' },
        comparison: { type: 'absolute', op: 'above', threshold: 0.3 },
      });
      writeFileSync(file, prometheusRulesYaml(prometheusAlerts([...EVERY_KIND, odd], target), new Date()));
      const output = execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8', timeout: 20_000 });
      expect(output).toContain('SUCCESS: 8 rules found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!existsSync(PROMTOOL))(
    'fires in Prometheus on a label value with quotes and backslashes, printing "{{" in names as text',
    () => {
      const event = 'sign-up "{{ x }}" \\ done';
      const odd = rule('braces', {
        name: 'rate {{ $value }} low',
        flag: 'ai-model',
        figure: { kind: 'eventRate', event },
        comparison: { type: 'absolute', op: 'below', threshold: 0.05 },
      });
      const [alert] = prometheusAlerts([odd], target).alerts;
      const dir = mkdtempSync(join(tmpdir(), 'flaglens-rules-'));
      try {
        writeFileSync(join(dir, 'rules.yml'), prometheusRulesYaml(prometheusAlerts([odd], target), new Date(0)));
        const q = JSON.stringify;
        const selector = (metric: string, labels: string) => q(`${metric}{flag="ai-model", variant="v2", ${labels}}`);
        // 100 served requests and 1 sign-up a minute: a rate of 0.01, below 0.05.
        const unitTest = [
          'rule_files: [rules.yml]',
          'tests:',
          '  - interval: 1m',
          '    input_series:',
          `      - series: ${selector('flaglens_inference_duration_seconds_count', 'mode="served"')}`,
          "        values: '0+100x30'",
          `      - series: ${selector('flaglens_business_events_total', `event=${q(event)}`)}`,
          "        values: '0+1x30'",
          '    alert_rule_test:',
          '      - eval_time: 20m',
          `        alertname: ${q(alert?.alert)}`,
          '        exp_alerts:',
          `          - exp_labels: ${q({ ...alert?.labels, variant: 'v2' })}`,
          `            exp_annotations: ${q({
            summary: `ai-model: rate of ${event} of v2 is below 0.05`,
            description:
              `Rule "rate {{ $value }} low" (flag, action notify) on flag ai-model: rate of ${event} of v2 is 0.01, below 0.05,` +
              ' over 10m with at least 100 samples.',
            flag: 'ai-model',
            variant: 'v2',
            rule: 'rate {{ $value }} low',
          })}`,
        ];
        writeFileSync(join(dir, 'test.yml'), `${unitTest.join('\n')}\n`);
        const output = execFileSync(PROMTOOL, ['test', 'rules', join(dir, 'test.yml')], { encoding: 'utf8', timeout: 20_000 });
        expect(output).toContain('SUCCESS');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!existsSync(PROMTOOL))('gives a valid, empty rule group for a flag without rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flaglens-rules-'));
    try {
      const file = join(dir, 'empty.rules.yml');
      writeFileSync(file, prometheusRulesYaml(prometheusAlerts([], target), new Date()));
      expect(execFileSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8', timeout: 20_000 })).toContain('SUCCESS: 0 rules found');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
