import { describe, expect, it } from 'vitest';
import { waitFor } from '../control-plane/admin.js';
import {
  type AlertsView,
  candidateUser,
  halfAndHalf,
  p95AboveControl,
  pagesOf,
  poll,
  sleep,
  useAlertsSuite,
  watchForControl,
} from './harness.js';

// Two incidents on one control plane (alert interval 1 s), with real processes on 127.0.0.1: a candidate
// whose accuracy drops from 90% to 60% pages once and is rolled back; and a latency page whose receiver is
// down when it fires, so the outbox retries it until the receiver is back, and it arrives once.

const INTERVAL_MS = 1_000;

const suite = useAlertsSuite('flaglens-alerts-accuracy-', INTERVAL_MS);
const { api, channelTo, stateOf } = suite;

describe('a candidate whose accuracy regresses', () => {
  it('pages once, signed, rolls the flag back, and the SDK serves control', async () => {
    const flag = 'accuracy-model';
    await api('PUT', `/flags/${flag}`, halfAndHalf);
    const { receiver, channel } = await channelTo('accuracy receiver');
    const rule = await api<{ id: string }>('POST', '/alert-rules', {
      name: 'candidate accuracy more than 10 points below control',
      flag,
      figure: { kind: 'accuracy' },
      comparison: { type: 'relative', op: 'below', by: 10, unit: 'points' },
      window: '2m',
      minSamples: 50,
      for: '2s',
      severity: 'critical',
      channels: [channel],
      action: 'rollback',
    });
    const service = await suite.service(flag);
    const probeUser = candidateUser(service, flag);

    // Healthy first: both variants right 90% of the time, judged ok on enough outcomes.
    await suite.untilHealthy(flag, rule.id);
    expect(pagesOf(receiver)).toHaveLength(0);

    const t0 = service.regress('accuracy');
    const served = watchForControl(service, flag, probeUser);
    try {
      await waitFor(() => pagesOf(receiver).length > 0, 45_000, 'the accuracy page');
      await waitFor(() => served.at() > 0, 10_000, 'the SDK serving control');
    } finally {
      served.stop();
    }
    const sdkControlMs = served.at();
    const page = pagesOf(receiver)[0];
    if (!page) throw new Error('no page');
    console.info(
      `accuracy regression: t0 → webhook arrived ${page.arrivedMs - t0} ms; t0 → SDK serving control ${sdkControlMs - t0} ms ` +
        `(alert interval ${INTERVAL_MS} ms, for 2 s, window 2m, push every 1 s; the breach needs enough regressed outcomes to outweigh the healthy ones in the window)`,
    );
    expect(page.signatureValid).toBe(true);
    expect(page.body).toMatchObject({
      phase: 'trigger',
      status: 'firing',
      flag: { key: flag },
      rule: { id: rule.id, action: 'rollback' },
      evidence: { decision: 'breach', figure: 'accuracy' },
    });
    const stored = await api<{ flag: { enabled: boolean } }>('GET', `/flags/${flag}`);
    expect(stored.flag.enabled).toBe(false);
    expect(service.client.evaluate(flag, { targetingKey: 'someone-new' }, 'x')).toMatchObject({ variant: 'control', reason: 'DISABLED' });
    // The decision record kept the healthy ok and the breach that fired.
    const view = await api<AlertsView>('GET', `/flags/${flag}/alerts`);
    const record = view.decisions.filter((d) => d.rule === rule.id);
    expect(record.map((d) => d.decision)).toEqual(expect.arrayContaining(['ok', 'breach']));
    expect(record[0]).toMatchObject({ decision: 'breach', status: 'firing' });
    await sleep(3 * INTERVAL_MS);
    expect(pagesOf(receiver)).toHaveLength(1);
  }, 120_000);
});

describe('a page whose receiver is down', () => {
  it('is retried with backoff and arrives once after the receiver comes back', async () => {
    const flag = 'retry-model';
    await api('PUT', `/flags/${flag}`, halfAndHalf);
    const { receiver, channel } = await channelTo('flaky receiver');
    const rule = await api<{ id: string }>('POST', '/alert-rules', {
      name: 'candidate p95 latency regression',
      flag,
      ...p95AboveControl,
      window: '2m',
      minSamples: 50,
      for: '1s',
      channels: [channel],
    });
    const service = await suite.service(flag);
    await suite.untilHealthy(flag, rule.id);

    await receiver.down();
    const downAt = Date.now();
    service.regress('latency');
    await poll(async () => ((await stateOf(flag, rule.id))?.status === 'firing' ? true : undefined), 30_000, 'the rule firing');
    interface Attempt {
      statusCode: number | null;
      error: string | null;
      deliveryStatus: string;
      deliveryAttempts: number;
      nextAttemptAt: string | null;
    }
    const log = () => api<{ attempts: Attempt[] }>('GET', `/webhooks/${channel}/deliveries`);
    // At least three failed attempts (about 7–14 s of backoff) while it is down, the delivery still pending with its next retry scheduled.
    const failing = await poll(
      async () => {
        const { attempts } = await log();
        return attempts.length >= 3 ? attempts : undefined;
      },
      30_000,
      'three failed attempts',
    );
    expect(failing.every((a) => a.statusCode === null && a.error)).toBe(true);
    expect(failing[0]).toMatchObject({ deliveryStatus: 'pending' });
    expect(failing[0]?.nextAttemptAt).not.toBeNull();
    expect(pagesOf(receiver)).toHaveLength(0);

    await receiver.up();
    const upAt = Date.now();
    await waitFor(() => pagesOf(receiver).length > 0, 60_000, 'the page after the receiver came back');
    const page = pagesOf(receiver)[0];
    if (!page) throw new Error('no page');
    console.info(
      `receiver down for ${upAt - downAt} ms: the page arrived ${page.arrivedMs - upAt} ms after it came back, ` +
        `after ${(await log()).attempts.length - 1} failed attempts`,
    );
    expect(page.signatureValid).toBe(true);
    expect(page.body).toMatchObject({ phase: 'trigger', rule: { id: rule.id } });
    const { attempts } = await log();
    expect(attempts[0]).toMatchObject({ statusCode: 200, deliveryStatus: 'delivered' });
    expect(attempts[0]?.nextAttemptAt).toBeNull();
    await sleep(4 * INTERVAL_MS);
    expect(pagesOf(receiver)).toHaveLength(1);
  }, 150_000);
});
