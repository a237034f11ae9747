import { describe, expect, it } from 'vitest';
import { waitFor } from '../control-plane/admin.js';
import { type AlertsView, evaluationsOf, halfAndHalf, p95AboveControl, pagesOf, poll, sleep, useAlertsSuite } from './harness.js';
import type { WebhookReceiver } from './receiver.js';

// The control plane is SIGKILLed mid-incident and restarted on the same data folder and port: once while
// the rule is firing with its page still in the outbox (the receiver is down), once while the rule is
// pending. After the restart the page is neither lost nor sent twice, and the incident is recorded once.

const INTERVAL_MS = 1_000;

const suite = useAlertsSuite('flaglens-alerts-restart-', INTERVAL_MS);
const { api, stateOf } = suite;

/** A flag at 50/50, a receiver with a generic channel, a latency rule with `for`, and a service sending traffic. */
async function incident(flag: string, forDuration: string) {
  await api('PUT', `/flags/${flag}`, halfAndHalf);
  const { receiver, channel } = await suite.channelTo(flag);
  const rule = await api<{ id: string }>('POST', '/alert-rules', {
    name: `${flag} p95 regression`,
    flag,
    ...p95AboveControl,
    window: '2m',
    minSamples: 50,
    for: forDuration,
    channels: [channel],
  });
  const service = await suite.service(flag);
  const view = () => api<AlertsView>('GET', `/flags/${flag}/alerts`);
  const state = () => stateOf(flag, rule.id);
  await suite.untilHealthy(flag, rule.id);
  return { receiver, rule: rule.id, service, view, state };
}

/** Every page of one incident key: the receiver must drop repeats by it, so it must never see two. */
const triggers = (receiver: WebhookReceiver) => pagesOf(receiver).filter((p) => p.body.phase === 'trigger');

describe('a control plane killed mid-incident', () => {
  it('while firing, with the page still queued: after the restart the page arrives once and the incident is not repeated', async () => {
    const { receiver, service, view, state } = await incident('killed-firing', '1s');
    await receiver.down();
    service.regress();
    await poll(async () => ((await state())?.status === 'firing' ? true : undefined), 30_000, 'firing');
    await suite.alerts.restart('kill');
    await receiver.up();
    await waitFor(() => triggers(receiver).length > 0, 60_000, 'the queued page after the restart');
    // Evaluations go on after the restart (the count grows) and the rule is still firing, with one incident.
    const before = evaluationsOf(await state());
    await poll(async () => (evaluationsOf(await state()) >= before + 3 ? true : undefined), 20_000, 'three evaluations after the restart');
    await sleep(3 * INTERVAL_MS);
    const after = await view();
    expect(after.states[0]?.status).toBe('firing');
    expect(after.events.filter((e) => e.to === 'firing')).toHaveLength(1);
    expect(triggers(receiver)).toHaveLength(1);
    expect(receiver.deliveries.map((d) => d.headers['x-flaglens-idempotency-key'])).toEqual([triggers(receiver)[0]?.body.id]);
  }, 180_000);

  it('while pending: after the restart the breach still fires, once, with one page', async () => {
    const { receiver, service, view, state } = await incident('killed-pending', '8s');
    service.regress();
    await poll(async () => ((await state())?.status === 'pending' ? true : undefined), 30_000, 'pending');
    await suite.alerts.restart('kill');
    await waitFor(() => triggers(receiver).length > 0, 60_000, 'the page after the restart');
    await sleep(4 * INTERVAL_MS);
    const after = await view();
    expect(after.states[0]?.status).toBe('firing');
    expect(after.events.filter((e) => e.to === 'firing')).toHaveLength(1);
    expect(triggers(receiver)).toHaveLength(1);
    expect(triggers(receiver)[0]?.signatureValid).toBe(true);
  }, 180_000);
});
