import { DEFAULT_SLICE_LABELS } from '../ingest/admit';
import { comparisonWords, figureLabel } from './figures';
import { alertExpression, NOT_EXPRESSIBLE } from './promql';
import type { AlertRule, FigureSpec } from './rule';

/** One Prometheus alerting rule, as it goes into a rule group. */
export interface PrometheusAlert {
  alert: string;
  expr: string;
  for: string;
  /** The rule's `keepFiringFor` (default its `for`); Prometheus 2.42 and later. */
  keep_firing_for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** A flaglens rule the export leaves out, and why. */
export interface NotExported {
  rule: string;
  name: string;
  kind: FigureSpec['kind'];
  figure: string;
  reason: string;
}

export interface PrometheusExport {
  flag: string;
  environment: string;
  control: string;
  alerts: PrometheusAlert[];
  notExported: NotExported[];
}

/** Text of ours shown as it is in an annotation, which Prometheus expands as a Go template: `{{` printed, not opened. */
const literal = (text: string) => text.replaceAll('{{', '{{ "{{" }}');

/** A valid alert (metric) name from a rule's name: `Flaglens` + its words in CamelCase, made unique by the rule id. */
function alertName(rule: AlertRule, slice?: string): string {
  const words = rule.definition.name.match(/[A-Za-z0-9]+/g) ?? [];
  const camel = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('');
  const suffix = slice ? `_${slice}` : '';
  return `Flaglens${camel.slice(0, 80)}_${rule.id.replace(/\W/g, '_')}${suffix}`;
}

/**
 * A flag's rules (its own and the guardrails that apply to it) as Prometheus alerting rules over the metric
 * names the instrumentation exposes, a slice rule without its attribute once per slice label (`sliceLabels`, the
 * plane's `FLAGLENS_SLICE_LABELS`). Pure. Figures PromQL cannot express are listed in `notExported`. What
 * PromQL cannot do for the rest — the significance test on a relative breach, and the Holm correction across
 * slices — is said in each alert's description: Prometheus compares the values only.
 */
export function prometheusAlerts(
  rules: readonly AlertRule[],
  target: { flag: string; environment: string; control: string },
  sliceLabels: readonly string[] = DEFAULT_SLICE_LABELS,
): PrometheusExport {
  const result: PrometheusExport = { ...target, alerts: [], notExported: [] };
  for (const rule of rules) {
    const d = rule.definition;
    const figure = figureLabel(d.figure);
    const slices = d.scope === 'slices' ? (d.sliceAttribute ? [d.sliceAttribute] : sliceLabels) : [undefined];
    const reason = NOT_EXPRESSIBLE[d.figure.kind];
    if (reason) {
      result.notExported.push({ rule: rule.id, name: d.name, kind: d.figure.kind, figure, reason });
      continue;
    }
    for (const slice of slices) {
      const expr = alertExpression(d, target.flag, target.control, slice);
      if (!expr) continue;
      const where = slice
        ? `{{ $labels.variant }} in the slice ${slice}={{ $labels.${slice} }} (a slice fired, not the whole variant)`
        : '{{ $labels.variant }}';
      const caveats = [
        d.comparison.type === 'relative' && d.comparison.significant ? 'flaglens also requires the difference to be significant' : '',
        slice ? 'flaglens corrects slice p-values with Holm–Bonferroni' : '',
      ].filter(Boolean);
      result.alerts.push({
        alert: alertName(rule, slice),
        expr,
        for: d.for,
        keep_firing_for: d.keepFiringFor ?? d.for,
        labels: {
          severity: d.severity,
          flag: target.flag,
          flaglens_rule: rule.id,
          flaglens_action: d.action,
          ...(rule.kind === 'guardrail' ? { flaglens_guardrail: 'true' } : {}),
        },
        // `humanize` would print a rate of 0.01 as "10m" (milli): plain significant digits instead.
        annotations: {
          summary: `${target.flag}: ${literal(figure)} of ${where} is ${comparisonWords(d.comparison)}`,
          description:
            `Rule "${literal(d.name)}" (${rule.kind}, action ${d.action}) on flag ${target.flag}: ${literal(figure)} of ${where} ` +
            `${d.comparison.type === 'absolute' ? 'is' : 'differs from control by'} {{ printf "%.4g" $value }}, ` +
            `${comparisonWords(d.comparison)}, over ${d.window} with at least ${d.minSamples} samples.` +
            (caveats.length > 0 ? ` Prometheus compares the values only; ${caveats.join(', and ')}.` : ''),
          flag: target.flag,
          variant: '{{ $labels.variant }}',
          rule: literal(d.name),
        },
      });
    }
  }
  return result;
}

// JSON strings are YAML double-quoted scalars, so every value is written with JSON.stringify: no escaping of our own.
const scalar = (value: string) => JSON.stringify(value);
const map = (indent: string, entries: Record<string, string>) =>
  Object.entries(entries).map(([key, value]) => `${indent}${key}: ${scalar(value)}`);
/** A YAML comment line; a line break in a name must not end the comment. */
const comment = (text: string) => `# ${text.replace(/[\r\n]+/g, ' ')}`;

/** The export as a Prometheus rule file: one group per flag, with what was left out (and why) in comments on top. */
export function prometheusRulesYaml(exported: PrometheusExport, generatedAt: Date): string {
  const lines = [
    comment(
      `flaglens alerting rules for flag ${exported.flag} (environment ${exported.environment}), generated ${generatedAt.toISOString()}.`,
    ),
    comment(`Control variant: ${exported.control}. Load with rule_files; check with promtool check rules.`),
  ];
  if (exported.notExported.length > 0) {
    lines.push(comment('Not exported, because PromQL cannot express the figure (flaglens itself still evaluates these):'));
    for (const n of exported.notExported) lines.push(comment(`  ${n.rule} "${n.name}" (${n.figure}): ${n.reason}`));
  }
  lines.push('groups:', `  - name: ${scalar(`flaglens:${exported.flag}`)}`);
  if (exported.alerts.length === 0) {
    lines.push('    rules: []');
    return `${lines.join('\n')}\n`;
  }
  lines.push('    rules:');
  for (const a of exported.alerts) {
    lines.push(
      `      - alert: ${scalar(a.alert)}`,
      `        expr: ${scalar(a.expr)}`,
      `        for: ${scalar(a.for)}`,
      `        keep_firing_for: ${scalar(a.keep_firing_for)}`,
    );
    lines.push('        labels:', ...map('          ', a.labels), '        annotations:', ...map('          ', a.annotations));
  }
  return `${lines.join('\n')}\n`;
}
