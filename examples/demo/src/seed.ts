import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, ManagementApi } from './api.js';
import { SERVICE_DIR } from './paths.js';
import type { DemoState } from './state.js';

/** The credit-risk service's flag: v1 the logistic regression (control), v2 the random forest (candidate). */
export const FLAG = 'risk-model';

/** The service's shipped flag definition, starting the story over: enabled, everyone on v1 until the rollout widens v2. */
export function demoFlag(): Record<string, unknown> {
  const shipped = JSON.parse(readFileSync(join(SERVICE_DIR, 'flags/risk-model.json'), 'utf8')) as {
    flags: Record<string, Record<string, unknown>>;
  };
  return { ...shipped.flags[FLAG], enabled: true, fallthrough: { variant: 'v1' } };
}

/** The guarded rollout: 10% → 25% → 50% → 100% of the candidate, each stage held `hold` with 50 samples. */
export function demoRollout(hold: string): Record<string, unknown> {
  return {
    candidate: 'v2',
    control: 'v1',
    stages: [1_000, 2_500, 5_000, 10_000].map((weight) => ({ weight, hold, minSamples: 50 })),
  };
}

/**
 * The flag's alert rules, each rolling back when v2 is worse than v1 beyond noise: latency, accuracy, errors.
 * (Drift is left to the comparison page: v2 and v1 score differently by design, so drift against control is
 * always there, and a short demo has no stable baseline window.)
 */
export function demoRules(channel: string): Record<string, unknown>[] {
  const rule = (name: string, figure: Record<string, string>, op: 'above' | 'below', by: number, unit: 'percent' | 'points') => ({
    name,
    flag: FLAG,
    figure,
    comparison: { type: 'relative', op, by, unit },
    window: '2m',
    for: '20s',
    minSamples: 50,
    severity: 'critical',
    channels: [channel],
    action: 'rollback',
  });
  return [
    rule('v2 p95 latency more than 50% above control', { kind: 'latency', quantile: 'p95' }, 'above', 50, 'percent'),
    rule('v2 accuracy more than 5 points below control', { kind: 'accuracy' }, 'below', 5, 'points'),
    rule('v2 error rate more than 2 points above control', { kind: 'errorRate' }, 'above', 2, 'points'),
  ];
}

const ignoring =
  (...statuses: number[]) =>
  (error: unknown) => {
    if (!(error instanceof ApiError && statuses.includes(error.status))) throw error;
  };

async function sdkKey(api: ManagementApi, state: DemoState): Promise<string> {
  if (state.sdkKey && (await new ManagementApi(api.url, state.sdkKey).works())) return state.sdkKey;
  return String((await api.call('POST', '/tokens', { name: 'demo: credit-risk service', kind: 'sdk' })).token);
}

async function webhook(api: ManagementApi, state: DemoState, url: string): Promise<NonNullable<DemoState['webhook']>> {
  const kept = state.webhook;
  if (kept?.url === url && (await api.call('GET', `/webhooks/${kept.id}`).then(() => true, ignoring(404)))) return kept;
  if (kept) await api.call('DELETE', `/webhooks/${kept.id}`).catch(ignoring(404));
  const created = await api.call<{ id: string; secret: string }>('POST', '/webhooks', { name: 'demo receiver', format: 'generic', url });
  return { id: created.id, url, secret: created.secret };
}

async function resetFlag(api: ManagementApi): Promise<void> {
  // A rollout left running by an earlier run must not widen the flag while it is reset.
  await api.call('POST', `/flags/${FLAG}/rollout/abort`, { note: 'demo restart' }).catch(ignoring(404, 409));
  const stored = await api.call<{ version: number }>('GET', `/flags/${FLAG}`).catch((error: unknown) => {
    ignoring(404)(error);
    return undefined;
  });
  await api.call('PUT', `/flags/${FLAG}`, demoFlag(), stored ? { 'if-match': `"${stored.version}"` } : {});
}

async function replaceRules(api: ManagementApi, channel: string): Promise<void> {
  const { rules } = await api.call<{ rules: { id: string; definition: { flag?: string } }[] }>('GET', `/alert-rules?flag=${FLAG}`);
  // The demo owns the flag's own rules (guardrails of the environment are left alone). They are replaced
  // rather than updated, so an incident left firing by an earlier run does not carry over.
  for (const rule of rules.filter((r) => r.definition.flag === FLAG)) {
    await api.call('DELETE', `/alert-rules/${rule.id}`).catch(ignoring(404));
  }
  for (const rule of demoRules(channel)) await api.call('POST', '/alert-rules', rule);
}

/**
 * Makes the control plane ready for the demo, whatever an earlier run left: an SDK key, the receiver's
 * webhook channel, the flag back on v1, the alert rules, and the rollout plan started over. Returns the
 * state to keep (SDK key and channel secret).
 */
export async function seed(api: ManagementApi, state: DemoState, options: { receiverUrl: string; hold: string }): Promise<DemoState> {
  const key = await sdkKey(api, state);
  const channel = await webhook(api, state, options.receiverUrl);
  await resetFlag(api);
  await replaceRules(api, channel.id);
  await api.call('PUT', `/flags/${FLAG}/rollout`, demoRollout(options.hold));
  return { ...state, sdkKey: key, webhook: channel };
}
