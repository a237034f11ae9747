import { type FeatureDefinition, GrowthBookClient, type UserContext } from '@growthbook/growthbook';
import { COUNTRIES_IN, ENDS_WITH, PLAN_EQUALS, RULE_VERSION, SPLITS, type Workload } from '../workloads.js';
import type { Adapter, Subject } from './types.js';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The GrowthBook feature for one workload flag: force rules with conditions, then a weighted experiment rule. */
export function growthbookFeature(kind: Workload['kind'], key: string): FeatureDefinition {
  if (kind === 'rollout') {
    // A percentage rollout: force `true` to `coverage` of users hashed on `id`.
    return { defaultValue: false, rules: [{ force: true, coverage: SPLITS.rollout.on, hashAttribute: 'id' }] };
  }
  const split = SPLITS.targeted;
  return {
    defaultValue: 'v1',
    rules: [
      { condition: { country: { $in: [...COUNTRIES_IN] }, plan: PLAN_EQUALS }, force: 'v2' },
      // GrowthBook's condition language has no "ends with"; a regex anchored at the end is its documented way.
      { condition: { email: { $regex: `${escapeRegex(ENDS_WITH)}$` } }, force: 'v3' },
      { condition: { appVersion: { $vgte: RULE_VERSION } }, force: 'v2' },
      {
        key,
        variations: Object.keys(split),
        weights: Object.values(split),
        coverage: 1,
        hashAttribute: 'id',
      },
    ],
  };
}

export const growthbook: Adapter = {
  name: 'GrowthBook',
  role: 'anchor',
  async prepare(workload) {
    // GrowthBookClient is the SDK's multi-user (server) mode: one client, a user context per call.
    const client = new GrowthBookClient().initSync({
      payload: { features: Object.fromEntries(workload.flagKeys.map((key) => [key, growthbookFeature(workload.kind, key)])) },
    });
    const keys = workload.flagKeys;
    const contexts: UserContext[] = workload.users.map((user) => ({
      attributes: { id: user.key, country: user.country, plan: user.plan, email: user.email, appVersion: user.appVersion },
    }));
    const users = contexts.length;
    const flags = keys.length;
    const batch =
      workload.kind === 'rollout'
        ? () => {
            let on = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) if (client.evalFeature(keys[f] as string, contexts[u] as UserContext).on) on++;
            }
            return on;
          }
        : () => {
            let sum = 0;
            for (let u = 0; u < users; u++) {
              for (let f = 0; f < flags; f++) {
                const value = client.evalFeature<string>(keys[f] as string, contexts[u] as UserContext).value;
                sum += value === null ? 0 : value.length;
              }
            }
            return sum;
          };
    const subject: Subject = {
      batch,
      variant: (u, f) => {
        const result = client.evalFeature(keys[f] as string, contexts[u] as UserContext);
        if (result.source === 'unknownFeature') return undefined;
        if (workload.kind === 'rollout') return result.value === true ? 'on' : 'off';
        return typeof result.value === 'string' ? result.value : undefined;
      },
      close: () => client.destroy(),
    };
    return subject;
  },
};
