import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRule, deleteRule, updateRule } from '@/src/server/alerts/rules';
import type { VariantWindow } from '@/src/server/analysis/types';
import { putFlag, readFlag, readFlagAudit } from '@/src/server/flags/service';
import { type ControlPlane, openControlPlane, type PlaneConfig } from '@/src/server/plane';
import { createChannel } from '@/src/server/webhooks/channel';
import { listDeliveries } from '@/src/server/webhooks/outbox';
import { comparisonOf, errorWindow, manualClock, openReceiver } from './alerts-support';
import { backends } from './backends';
import { admin, editor, errorRateRule, modelFlag } from './fixtures';

const environment = 'production';

// PGlite gets a data folder here (not memory) so that the plane can be restarted on the same store.
async function durableStore(name: string): Promise<{ config: PlaneConfig; drop(): Promise<void> }> {
  if (name === 'postgres') {
    const postgres = backends.find((b) => b.name === 'postgres');
    if (!postgres) throw new Error('no postgres backend');
    return postgres.scratch();
  }
  const dir = mkdtempSync(join(tmpdir(), 'flaglens-alerts-'));
  return { config: { dataDir: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

describe.each(backends)('alert → outbox → signed webhook → rollback on $name', ({ name }) => {
  // Started in the past, so every signature this suite's clock stamps stays within the receivers' 5-minute tolerance.
  const clock = manualClock(Date.now() - 180_000);
  let windows: VariantWindow[] = errorWindow([2000, 20], [2000, 20]);
  let receiver: Awaited<ReturnType<typeof openReceiver>>;
  let store: Awaited<ReturnType<typeof durableStore>>;
  let plane: ControlPlane;
  const open = () =>
    openControlPlane(
      {
        ...store.config,
        alerts: {
          compare: async () => comparisonOf(windows),
          // The loops stay idle; the test drives passes and deliveries itself, on its own clock.
          intervalMs: 3_600_000,
          deliveryPollMs: 3_600_000,
          now: clock.now,
          random: () => 0.5,
          delivery: { allowPrivate: true, baseDelayMs: 1_000, timeoutMs: 2_000 },
          publicUrl: 'http://flaglens.test',
        },
      },
      () => {},
    );
  const engine = () => {
    if (!plane.alerts) throw new Error('the plane runs no alert engine');
    return plane.alerts;
  };
  let channels: { generic: string; pagerduty: string };

  beforeAll(async () => {
    receiver = await openReceiver();
    store = await durableStore(name);
    plane = await open();
    await putFlag(plane, { environment, key: 'chat-model', actor: editor, input: modelFlag(), expectedVersion: undefined });
    const generic = await createChannel(plane.db, environment, admin, { name: 'on-call', format: 'generic', url: receiver.url }, true);
    receiver.setSecret(generic.secret ?? '');
    const pd = await createChannel(
      plane.db,
      environment,
      admin,
      { name: 'pd', format: 'pagerduty', url: receiver.url, routingKey: 'R0UT1NG' },
      true,
    );
    channels = { generic: generic.channel.id, pagerduty: pd.channel.id };
  });
  afterAll(async () => {
    await plane.close();
    await receiver.close();
    await store.drop();
  });

  it('pages once after `for`, signed, with the evidence, and rolls the flag back as alert:<rule>', async () => {
    const rule = await createRule(
      plane.db,
      environment,
      editor,
      errorRateRule('chat-model', {
        minSamples: 200,
        for: '1m',
        severity: 'critical',
        channels: [channels.generic, channels.pagerduty],
        action: 'rollback',
      }),
    );
    expect(await engine().evaluateNow()).toMatchObject({ transitions: 0, pages: 0 });
    windows = errorWindow([2000, 20], [2000, 140]);
    expect(await engine().evaluateNow()).toMatchObject({ transitions: 1, pages: 0 });
    clock.advance(30_000);
    expect(await engine().evaluateNow()).toMatchObject({ transitions: 0, pages: 0 });
    expect(receiver.all).toHaveLength(0);
    clock.advance(31_000);
    expect(await engine().evaluateNow()).toMatchObject({ transitions: 1, pages: 1, rollbacks: 1 });

    expect(receiver.all).toHaveLength(2);
    const generic = receiver.all.find((r) => r.headers['x-flaglens-signature']);
    expect(generic?.signatureValid).toBe(true);
    expect(generic?.body).toMatchObject({
      version: 1,
      phase: 'trigger',
      status: 'firing',
      flag: { key: 'chat-model' },
      rule: { id: rule.id, severity: 'critical', action: 'rollback' },
      evidence: {
        decision: 'breach',
        threshold: 1,
        window: '2m',
        minSamples: 200,
        measurements: [{ subject: 'v2', samples: 2000, decision: 'breach' }],
      },
    });
    const pd = receiver.all.find((r) => r.body.routing_key);
    expect(pd?.body).toMatchObject({
      event_action: 'trigger',
      dedup_key: generic?.body.incident,
      payload: { severity: 'critical', component: 'chat-model' },
    });

    expect((await readFlag(plane, environment, 'chat-model')).flag.enabled).toBe(false);
    const [rollback] = await readFlagAudit(plane, environment, 'chat-model', 1);
    expect(rollback).toMatchObject({ action: 'flag.rollback', actor: { id: `alert:${rule.id}`, name: 'alert:errors above control' } });
    expect(rollback?.note).toContain('errors above control');
  });

  it('restarted mid-incident, remembers it is firing and pages no second time', async () => {
    await plane.close();
    plane = await open();
    clock.advance(15_000);
    expect(await engine().evaluateNow()).toMatchObject({ transitions: 0, pages: 0, rollbacks: 0 });
    await engine().deliverNow();
    expect(receiver.all).toHaveLength(2);
  });

  it('keeps one incident while the figure hovers at its threshold after the rollback: no early resolve, no second trigger', async () => {
    const ok = errorWindow([2000, 20], [2000, 22]);
    const thin = errorWindow([150, 1], [150, 10]);
    const breach = errorWindow([2000, 20], [2000, 140]);
    // Every 15 s for four minutes, past the window after the rollback: ok, not enough data, breach, breach, …
    // Resolving on the first ok paged a resolve here, and the next breaches a second trigger after `for`.
    for (let tick = 0; tick < 16; tick++) {
      windows = [ok, thin, breach, breach][tick % 4] ?? ok;
      clock.advance(15_000);
      expect(await engine().evaluateNow(), `tick ${tick}`).toMatchObject({ transitions: 0, pages: 0, rollbacks: 0 });
    }
    await engine().deliverNow();
    expect(receiver.all).toHaveLength(2);
  });

  it('delivers the resolve after the receiver comes back, with the trigger’s dedup key', async () => {
    await receiver.down();
    windows = errorWindow([2000, 20], [2000, 22]);
    clock.advance(15_000);
    expect(await engine().evaluateNow()).toMatchObject({ transitions: 0, pages: 0 });
    // Clear for `keepFiringFor` (by default the rule's `for`, one minute): one resolve.
    clock.advance(60_000);
    expect(await engine().evaluateNow()).toMatchObject({ transitions: 1, pages: 1 });
    const failed = await listDeliveries(plane.db, channels.generic, 10);
    expect(failed[0]).toMatchObject({ phase: 'resolve', deliveryStatus: 'pending', statusCode: null });
    expect(failed[0]?.error).toMatch(/ECONNREFUSED/);

    await receiver.up();
    // Not due yet: the first retry waits about a second (backoff with jitter).
    expect(await engine().deliverNow()).toBe(0);
    clock.advance(1_000);
    expect(await engine().deliverNow()).toBe(2);
    const resolves = receiver.unique.filter((r) => r.body.phase === 'resolve' || r.body.event_action === 'resolve');
    expect(resolves).toHaveLength(2);
    const incident = receiver.unique.find((r) => r.body.phase === 'trigger')?.body.incident;
    expect(resolves.find((r) => r.body.event_action)?.body.dedup_key).toBe(incident);
    expect(resolves.find((r) => r.body.phase)?.signatureValid).toBe(true);
    expect((await listDeliveries(plane.db, channels.generic, 10))[0]).toMatchObject({ deliveryStatus: 'delivered', statusCode: 200 });
    expect(receiver.all).toHaveLength(4);
  });

  it('resolves a firing incident, with its dedup key, when its rule is deleted or moved to another flag', async () => {
    await putFlag(plane, { environment, key: 'summary-model', actor: editor, input: modelFlag(), expectedVersion: undefined });
    const input = {
      flag: 'summary-model',
      figure: { kind: 'errorRate' },
      comparison: { type: 'absolute', op: 'above', threshold: 0.05 },
      minSamples: 200,
      for: '0s',
      channels: [channels.generic],
    };
    const deleted = await createRule(plane.db, environment, editor, { ...input, name: 'to be deleted' });
    const moved = await createRule(plane.db, environment, editor, { ...input, name: 'to be moved' });
    windows = errorWindow([2000, 20], [2000, 140]);
    await engine().evaluateNow();
    await engine().deliverNow();
    const pages = (id: string) => receiver.unique.filter((r) => (r.body.rule as { id: string } | undefined)?.id === id).map((r) => r.body);
    const [trigger] = pages(deleted.id);
    expect(trigger).toMatchObject({ phase: 'trigger' });
    expect(pages(moved.id)).toMatchObject([{ phase: 'trigger' }]);

    await deleteRule(plane.db, environment, admin, deleted.id);
    await updateRule(plane.db, environment, admin, moved.id, { ...input, name: 'to be moved', flag: 'chat-model' });
    await engine().deliverNow();
    expect(pages(deleted.id)).toEqual([
      trigger,
      expect.objectContaining({
        phase: 'resolve',
        incident: trigger?.incident,
        evidence: expect.objectContaining({ summary: 'rule deleted by test admin' }),
      }),
    ]);
    expect(pages(moved.id)[1]).toMatchObject({ phase: 'resolve', incident: pages(moved.id)[0]?.incident, flag: { key: 'summary-model' } });
    const left = await plane.db.query('select rule_id from alert_states where flag = $1', ['summary-model']);
    expect(left).toEqual([]);
  });
});
