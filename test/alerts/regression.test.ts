import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../control-plane/admin.js';
import {
  type AlertsPlane,
  type AlertsView,
  candidateUser,
  evaluationsOf,
  halfAndHalf,
  p95AboveControl,
  pagesOf,
  poll,
  sleep,
  startAlertsPlane,
  watchForControl,
} from './harness.js';
import { type Delivery, startReceiver, type WebhookReceiver } from './receiver.js';
import { type SimulatedService, startService } from './service.js';

// The alerting loop end to end, with real processes on 127.0.0.1: an instrumented service whose candidate's
// p95 latency regresses at t0, the control plane's alert engine (1 s interval) judging it, a signed generic
// webhook to a real receiver, the rule's rollback, and the SDK serving control; then a restart of the plane on
// the same data folder, which must not page again.

const FLAG = 'ai-model';
const INTERVAL_MS = 1_000;
const RULE_NAME = 'candidate p95 latency regression';

let alerts: AlertsPlane | undefined;
let receiver: WebhookReceiver | undefined;
let service: SimulatedService | undefined;

function api<T = Record<string, unknown>>(method: string, path: string, body?: object): Promise<T> {
  if (!alerts) throw new Error('no control plane');
  return alerts.api<T>(method, path, body);
}

interface AuditView {
  entries: { at: string; action: string; actor: { id: string; name: string }; note: string | null }[];
}

const pages = (): Delivery[] => pagesOf(receiver);

beforeAll(async () => {
  receiver = await startReceiver();
  alerts = await startAlertsPlane('flaglens-alerts-', INTERVAL_MS);
}, 120_000);

afterAll(async () => {
  await service?.close().catch(() => {});
  await alerts?.close();
  await receiver?.close();
}, 30_000);

describe('a candidate whose p95 latency regresses', () => {
  let ruleId: string;
  let t0: number;
  let page: Delivery;

  it('pages once, signed, rolls the flag back, and the SDK serves control', async () => {
    if (!alerts || !receiver) throw new Error('not started');
    const sdkKey = String((await api('POST', '/tokens', { name: 'alerts e2e service', kind: 'sdk' })).token);
    await api('PUT', `/flags/${FLAG}`, halfAndHalf);
    const channel = await api<{ id: string; secret?: string }>('POST', '/webhooks', {
      name: 'e2e receiver',
      format: 'generic',
      url: receiver.url,
    });
    expect(channel.secret).toMatch(/^whsec_/);
    receiver.setSecret(channel.secret ?? '');
    // The secret is shown once: the channel as listed afterwards never carries it.
    expect(JSON.stringify(await api('GET', `/webhooks/${channel.id}`))).not.toContain(channel.secret);

    const rule = await api<{ id: string }>('POST', '/alert-rules', {
      name: RULE_NAME,
      flag: FLAG,
      ...p95AboveControl,
      window: '2m',
      minSamples: 50,
      for: '2s',
      severity: 'critical',
      channels: [channel.id],
      action: 'rollback',
    });
    ruleId = rule.id;

    service = await startService({ url: alerts.plane.url, sdkKey });
    const probeUser = candidateUser(service, FLAG);

    // Healthy traffic first: the engine must judge it `ok` (enough data, no breach) before the regression.
    await poll(
      async () => {
        const view = await api<AlertsView>('GET', `/flags/${FLAG}/alerts`);
        return view.states.find((s) => s.rule === ruleId && s.evidence.decision === 'ok');
      },
      30_000,
      'a healthy ok decision',
    );
    expect(pages()).toHaveLength(0);

    t0 = service.regress();
    const served = watchForControl(service, FLAG, probeUser);
    try {
      await waitFor(() => pages().length > 0, 30_000, 'the alert webhook');
      const first = pages()[0];
      if (!first) throw new Error('no page');
      page = first;
      await waitFor(() => served.at() > 0, 10_000, 'the SDK serving control');
    } finally {
      served.stop();
    }
    const sdkControlMs = served.at();

    const flag = await poll(
      async () => {
        const stored = await api<{ flag: { enabled?: boolean } }>('GET', `/flags/${FLAG}`);
        return stored.flag.enabled === false ? stored : undefined;
      },
      10_000,
      'the flag rolled back',
    );
    expect(flag.flag.enabled).toBe(false);
    const audit = await api<AuditView>('GET', `/flags/${FLAG}/audit?limit=10`);
    const rollback = audit.entries.find((e) => e.action === 'flag.rollback');
    expect(rollback?.actor).toEqual({ id: `alert:${ruleId}`, name: `alert:${RULE_NAME}` });
    const rollbackMs = Date.parse(rollback?.at ?? '');

    console.info(
      `t0 → webhook arrived: ${page.arrivedMs - t0} ms; t0 → rollback committed: ${rollbackMs - t0} ms; ` +
        `t0 → SDK serving control: ${sdkControlMs - t0} ms (alert interval ${INTERVAL_MS} ms, for 2 s, push every 1 s)`,
    );
    // Bound from the issue: window is not what limits a rise already visible, so `for` plus a few intervals and pushes.
    expect(page.arrivedMs - t0).toBeLessThan(15_000);

    // The page: signed as documented, idempotency key = id, a trigger with the evidence.
    expect(page.signatureValid).toBe(true);
    expect(page.headers['x-flaglens-idempotency-key']).toBe(page.body.id);
    expect(page.headers['x-flaglens-event']).toBeDefined();
    expect(page.body).toMatchObject({
      version: 1,
      phase: 'trigger',
      status: 'firing',
      flag: { key: FLAG },
      rule: { id: ruleId, name: RULE_NAME, action: 'rollback' },
      evidence: { decision: 'breach' },
    });
    expect(String(page.body.id)).toContain(String(page.body.incident));

    // Everyone gets control now, through the kill switch.
    for (let i = 0; i < 200; i++) {
      expect(service.client.evaluate(FLAG, { targetingKey: `after-${i}` }, 'x')).toMatchObject({
        variant: 'control',
        reason: 'DISABLED',
      });
    }
    // A few more intervals: still exactly one page.
    await sleep(3 * INTERVAL_MS);
    expect(pages()).toHaveLength(1);
  }, 75_000);

  it('a restart of the control plane on the same data folder neither forgets the incident nor pages again', async () => {
    if (!alerts || !page) throw new Error('the first test did not fire');
    await alerts.restart('stop');
    const restartedAt = Date.now();
    // The engine runs again: it evaluates the rule (its decision count grows) and the incident is still firing.
    const before = await api<AlertsView>('GET', `/flags/${FLAG}/alerts`);
    const evaluated = (view: AlertsView) => evaluationsOf(view.states.find((s) => s.rule === ruleId));
    const countBefore = evaluated(before);
    await poll(
      async () => {
        const view = await api<AlertsView>('GET', `/flags/${FLAG}/alerts`);
        return evaluated(view) >= countBefore + 3 ? view : undefined;
      },
      15_000,
      'three evaluations after the restart',
    );
    await sleep(Math.max(0, restartedAt + 5 * INTERVAL_MS - Date.now()));
    const after = await api<AlertsView>('GET', `/flags/${FLAG}/alerts`);
    expect(after.states.find((s) => s.rule === ruleId)?.status).toBe('firing');
    expect(after.events.filter((e) => e.to === 'firing')).toHaveLength(1);
    expect(pages()).toHaveLength(1);
    expect(receiver?.deliveries).toHaveLength(1);
  }, 75_000);
});
