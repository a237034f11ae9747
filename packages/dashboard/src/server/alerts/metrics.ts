import type { Flag } from '@flaglens/evaluator';
import { Counter, Gauge, Registry } from 'prom-client';
import type { Queryable } from '../db/database';
import type { Evidence } from './decide';

/** Each variant's share of the fallthrough traffic (0–1): the split's weights, or 1 for a single variant; off serves `offVariant`. */
export function rolloutWeights(flag: Flag): Record<string, number> {
  const weights: Record<string, number> = Object.fromEntries(Object.keys(flag.variants).map((v) => [v, 0]));
  const serving = flag.enabled ? flag.fallthrough : flag.offVariant ? { variant: flag.offVariant } : undefined;
  if (serving?.variant !== undefined) weights[serving.variant] = 1;
  const arms = serving?.split?.arms ?? [];
  const total = arms.reduce((sum, arm) => sum + arm.weight, 0);
  for (const arm of arms) weights[arm.variant] = total > 0 ? arm.weight / total : 0;
  return weights;
}

/**
 * The control plane's own metrics, read from the store on each scrape into a registry of its own — so any
 * replica answers the same, not only the leader — for charting the rollout weight next to the gate's line:
 * each rule's last measured value and threshold per flag and subject, decision counts, and rollout weights.
 */
export async function planeMetrics(db: Queryable): Promise<Registry> {
  const registry = new Registry();
  const options = <T extends string>(name: string, help: string, labelNames: readonly T[]) => ({
    name,
    help,
    labelNames,
    registers: [registry],
  });
  const value = new Gauge(
    options('flaglens_alert_rule_value', 'Last value an alert rule judged (in its comparison unit)', ['rule', 'name', 'flag', 'subject']),
  );
  const threshold = new Gauge(
    options('flaglens_alert_rule_threshold', 'Threshold of an alert rule (in its comparison unit)', ['rule', 'name', 'flag']),
  );
  const firing = new Gauge(
    options('flaglens_alert_rule_firing', '1 while the rule is firing on the flag, else 0', ['rule', 'name', 'flag', 'state']),
  );
  const decisions = new Counter(
    options('flaglens_alert_decisions_total', 'Evaluations of an alert rule by decision', ['rule', 'name', 'flag', 'decision']),
  );
  const weight = new Gauge(
    options('flaglens_rollout_weight', 'Share of fallthrough traffic each variant is configured to get (0-1)', [
      'environment',
      'flag',
      'variant',
    ]),
  );

  const states = await db.query<{
    rule_id: string;
    name: string;
    flag: string;
    status: string;
    evidence: Evidence;
    decisions: Record<string, number>;
  }>(
    `select s.rule_id, r.definition->>'name' as name, s.flag, s.status, s.evidence, s.decisions from alert_states s join alert_rules r on r.id = s.rule_id`,
  );
  for (const s of states) {
    const labels = { rule: s.rule_id, name: s.name, flag: s.flag };
    threshold.set(labels, s.evidence.threshold);
    firing.set({ ...labels, state: s.status }, s.status === 'firing' ? 1 : 0);
    for (const m of s.evidence.measurements) if (m.observed !== null) value.set({ ...labels, subject: m.subject }, m.observed);
    for (const [decision, count] of Object.entries(s.decisions)) decisions.inc({ ...labels, decision }, Number(count));
  }
  const flags = await db.query<{ environment: string; key: string; definition: Flag }>('select environment, key, definition from flags');
  for (const f of flags) {
    for (const [variant, share] of Object.entries(rolloutWeights(f.definition)))
      weight.set({ environment: f.environment, flag: f.key, variant }, share);
  }
  return registry;
}
