import { once } from 'node:events';
import { type ClientFeaturesResponse, type Context, InMemStorageProvider, Unleash } from 'unleash-client';
import { COUNTRIES_IN, ENDS_WITH, PLAN_EQUALS, RULE_VERSION, SPLITS, type Workload } from '../workloads.js';
import type { Adapter, Subject } from './types.js';

type Constraint = { contextName: string; operator: string; values?: string[]; value?: string; inverted: boolean };

// Unleash variant weights are out of 1,000; rollout percentages out of 100.
function variants(shares: Readonly<Record<string, number>>) {
  return Object.entries(shares).map(([name, share]) => ({ name, weight: Math.round(share * 1000), stickiness: 'userId' }));
}

function strategy(key: string, rollout: number, constraints: Constraint[], served?: Readonly<Record<string, number>>) {
  return {
    name: 'flexibleRollout',
    parameters: { rollout: String(rollout), stickiness: 'userId', groupId: key },
    constraints,
    ...(served ? { variants: variants(served) } : {}),
  };
}

/** The Unleash toggle for one workload flag: constrained strategies with a fixed variant, then a 100% rollout with weighted variants. */
export function unleashToggle(kind: Workload['kind'], key: string) {
  if (kind === 'rollout') {
    return { name: key, enabled: true, strategies: [strategy(key, SPLITS.rollout.on * 100, [])] };
  }
  const only = (variant: string) => ({ [variant]: 1 });
  return {
    name: key,
    enabled: true,
    strategies: [
      strategy(
        key,
        100,
        [
          { contextName: 'country', operator: 'IN', values: [...COUNTRIES_IN], inverted: false },
          { contextName: 'plan', operator: 'IN', values: [PLAN_EQUALS], inverted: false },
        ],
        only('v2'),
      ),
      strategy(key, 100, [{ contextName: 'email', operator: 'STR_ENDS_WITH', values: [ENDS_WITH], inverted: false }], only('v3')),
      // This client implements SEMVER_GTE, so one strategy does what SEMVER_GT + SEMVER_EQ would as two.
      strategy(key, 100, [{ contextName: 'appVersion', operator: 'SEMVER_GTE', value: RULE_VERSION, inverted: false }], only('v2')),
      strategy(key, 100, [], SPLITS.targeted),
    ],
  };
}

export const unleash: Adapter = {
  name: 'Unleash',
  role: 'anchor',
  async prepare(workload) {
    const errors: unknown[] = [];
    // Offline: bootstrap data, no polling (refreshInterval 0), no metrics, storage in memory (no backup file).
    const client = new Unleash({
      appName: 'flaglens-bench',
      url: 'http://127.0.0.1:1/api/',
      refreshInterval: 0,
      disableMetrics: true,
      skipInstanceCountWarning: true,
      storageProvider: new InMemStorageProvider(),
      // The client does not export its Operator enum; the constraint operators above are its string values.
      bootstrap: {
        data: workload.flagKeys.map((key) => unleashToggle(workload.kind, key)) as unknown as ClientFeaturesResponse['features'],
      },
    });
    client.on('error', (error) => errors.push(error));
    client.on('warn', (warning) => errors.push(warning));
    const ready = once(client, 'ready');
    const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('Unleash did not become ready from bootstrap')), 5000).unref(),
    );
    await Promise.race([ready, timeout]);
    if (errors.length > 0) throw new Error(`Unleash reported problems while starting: ${errors.map(String).join('; ')}`);

    const keys = workload.flagKeys;
    const contexts: Context[] = workload.users.map((user) => ({
      userId: user.key,
      properties: { country: user.country, plan: user.plan, email: user.email, appVersion: user.appVersion },
    }));
    const users = contexts.length;
    const flags = keys.length;
    const batch =
      workload.kind === 'rollout'
        ? () => {
            let on = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) if (client.isEnabled(keys[f] as string, contexts[u])) on++;
            }
            return on;
          }
        : () => {
            let sum = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) sum += client.getVariant(keys[f] as string, contexts[u]).name.length;
            }
            return sum;
          };
    const subject: Subject = {
      batch,
      variant: (u, f) => {
        const key = keys[f] as string;
        if (workload.kind === 'rollout') return client.isEnabled(key, contexts[u]) ? 'on' : 'off';
        const served = client.getVariant(key, contexts[u]);
        // `disabled` is the SDK's fallback variant name.
        return served.enabled ? served.name : undefined;
      },
      close: () => client.destroy(),
    };
    return subject;
  },
};
