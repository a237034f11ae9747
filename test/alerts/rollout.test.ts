import { describe, expect, it } from 'vitest';
import { waitFor } from '../control-plane/admin.js';
import { p95AboveControl, poll, useAlertsSuite } from './harness.js';

// Guarded progressive rollouts in compressed time (alert interval 1 s, holds of seconds), with real processes
// on 127.0.0.1: on healthy traffic the controller advances through every stage and completes; when the
// candidate regresses, its rollback rule fires, the rollout is rolled back, the SDK serves control, and a
// page goes out.

const INTERVAL_MS = 1_000;

const suite = useAlertsSuite('flaglens-alerts-rollout-', INTERVAL_MS, 'rollout e2e service');
const { api } = suite;

/** Everyone on control: the rollout plan moves the fallthrough to the candidate. */
const beforeRollout = {
  type: 'string',
  variants: { control: 'model-control', candidate: 'model-candidate' },
  offVariant: 'control',
  fallthrough: { variant: 'control' },
};

interface RolloutView {
  status: string;
  stage: number;
  weights: { candidate: number };
  decisions: { decision: string; actor: string; stage: number; evidence: { nextWeights?: { candidate: number } } }[];
}

async function start(flag: string, stages: object[]) {
  await api('PUT', `/flags/${flag}`, beforeRollout);
  const service = await suite.service(flag);
  await api('PUT', `/flags/${flag}/rollout`, { candidate: 'candidate', control: 'control', stages });
  const read = () => api<RolloutView>('GET', `/flags/${flag}/rollout`);
  return { service, read };
}

describe('a guarded rollout', () => {
  it('advances through its stages on healthy traffic and completes', async () => {
    const startedAt = Date.now();
    const { service, read } = await start('rollout-healthy', [
      { weight: 1_000, hold: '2s', minSamples: 20 },
      { weight: 5_000, hold: '2s', minSamples: 20 },
      { weight: 10_000, hold: '2s', minSamples: 20 },
    ]);
    const done = await poll(async () => ((await read()).status === 'completed' ? read() : undefined), 90_000, 'the rollout completing');
    console.info(`healthy rollout: 3 stages of 2 s hold each completed in ${Date.now() - startedAt} ms`);
    expect(done.weights.candidate).toBe(10_000);
    const advances = done.decisions.filter((d) => d.decision === 'advance').reverse();
    expect(advances.map((d) => d.evidence.nextWeights?.candidate)).toEqual([1_000, 5_000, 10_000]);
    expect(done.decisions[0]?.decision).toBe('complete');
    expect(done.decisions.at(-1)?.decision).toBe('plan');
    // Every advance was audited as a flag change by the controller, and the SDK serves the candidate to everyone.
    const audit = await api<{ entries: { action: string; actor: { name: string } }[] }>('GET', '/flags/rollout-healthy/audit?limit=20');
    expect(audit.entries.filter((e) => e.action === 'flag.update' && e.actor.name === 'rollout:rollout-healthy')).toHaveLength(3);
    for (let i = 0; i < 50; i++)
      expect(service.client.evaluate('rollout-healthy', { targetingKey: `user-x${i}` }, 'x').variant).toBe('candidate');
  }, 120_000);

  it('rolls back and pages when its rollback rule fires on a regression', async () => {
    const flag = 'rollout-regressing';
    const { receiver, channel } = await suite.channelTo('rollout');
    await api('POST', '/alert-rules', {
      name: 'rollout guardrail: candidate p95',
      flag,
      ...p95AboveControl,
      window: '2m',
      minSamples: 30,
      for: '2s',
      severity: 'critical',
      channels: [channel],
      action: 'rollback',
    });
    const { service, read } = await start(flag, [
      { weight: 2_000, hold: '2s', minSamples: 20 },
      { weight: 5_000, hold: '1h', minSamples: 20 },
      { weight: 10_000, hold: '2s', minSamples: 20 },
    ]);
    // Healthy until the candidate is at 50%, where the long hold keeps it.
    await poll(async () => ((await read()).stage === 1 ? true : undefined), 60_000, 'the second stage');
    const t0 = service.regress();
    const rolledBack = await poll(async () => ((await read()).status === 'rolled_back' ? read() : undefined), 60_000, 'the rollback');
    const rolledBackMs = Date.now();
    await waitFor(() => receiver.deliveries.some((d) => d.body.phase === 'trigger'), 30_000, 'the page');
    const page = receiver.deliveries.find((d) => d.body.phase === 'trigger');
    console.info(
      `rollout regression: t0 → rollout seen rolled back ${rolledBackMs - t0} ms (polled every 100 ms); t0 → page arrived ${(page?.arrivedMs ?? 0) - t0} ms`,
    );
    expect(rolledBack.decisions[0]).toMatchObject({ decision: 'rolled_back', actor: 'controller' });
    // The weights never shrank; the kill switch turned the flag off, so the SDK serves control.
    expect(rolledBack.weights.candidate).toBe(5_000);
    const stored = await api<{ flag: { enabled: boolean } }>('GET', `/flags/${flag}`);
    expect(stored.flag.enabled).toBe(false);
    await waitFor(
      () => service.client.evaluate(flag, { targetingKey: 'user-y0' }, 'x').reason === 'DISABLED',
      5_000,
      'the SDK seeing the rollback',
    );
    for (let i = 0; i < 50; i++) expect(service.client.evaluate(flag, { targetingKey: `user-y${i}` }, 'x').variant).toBe('control');
  }, 150_000);
});
