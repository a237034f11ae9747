import { chooseControl } from '../compare/control';
import { readFlag } from '../flags/service';
import { sliceLabelsFromEnv } from '../ingest/slices';
import type { ControlPlane } from '../plane';
import { prometheusAlerts, prometheusRulesYaml } from './prometheus-rules';
import { listRules } from './rules';

/**
 * A flag's alert rules (its own and the guardrails) as a Prometheus rule file, against the same control
 * variant the comparison picks. 404 for an unknown flag.
 */
export async function exportPrometheusRules(plane: Pick<ControlPlane, 'db' | 'feed'>, environment: string, key: string, now = new Date()) {
  const stored = await readFlag(plane, environment, key);
  const { control } = chooseControl(stored.flag, undefined);
  const target = { flag: key, environment, control };
  const exported = prometheusAlerts(await listRules(plane.db, environment, key), target, sliceLabelsFromEnv());
  return { yaml: prometheusRulesYaml(exported, now), notExported: exported.notExported, alerts: exported.alerts.length };
}
