import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertEngine, startAlertEngine } from '@/src/server/alerts/engine';
import { incidentKey } from '@/src/server/alerts/machine';
import { createRule, updateRule } from '@/src/server/alerts/rules';
import type { Comparison, VariantWindow } from '@/src/server/analysis/types';
import { putFlag } from '@/src/server/flags/service';
import type { ControlPlane } from '@/src/server/plane';
import { createChannel, deleteChannel } from '@/src/server/webhooks/channel';
import { comparisonOf, errorWindow, manualClock, openReceiver } from './alerts-support';
import { backends, openScratchPlane } from './backends';
import { admin, editor, errorRateRule, modelFlag, uniqueKey } from './fixtures';

const MINUTE = 60_000;
const environment = 'production';
const healthy = errorWindow([2000, 20], [2000, 20]);
const breaching = errorWindow([2000, 20], [2000, 140]);

describe.each(backends)('alert pages across channel and rule changes on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let engine: AlertEngine;
  // Started in the past, so the signatures stamped on this clock stay within the receivers' 5-minute tolerance.
  const clock = manualClock(Date.now() - 180_000);
  let windows: VariantWindow[] = healthy;
  // Lets a test hold a pass between reading its rules and writing their states.
  let gate: Promise<void> | undefined;

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    engine = startAlertEngine(plane, undefined, {
      now: clock.now,
      random: () => 0.5,
      intervalMs: 3_600_000,
      deliveryPollMs: 3_600_000,
      delivery: { allowPrivate: true, baseDelayMs: 1_000, timeoutMs: 2_000 },
      compare: async (): Promise<Comparison> => {
        await gate;
        return comparisonOf(windows);
      },
    });
  });
  afterAll(async () => {
    await engine.close();
    await drop();
  });

  const newFlag = async () => {
    const key = uniqueKey('paged');
    await putFlag(plane, { environment, key, actor: editor, input: modelFlag(), expectedVersion: undefined });
    return key;
  };
  const genericChannel = async (name: string, receiver: Awaited<ReturnType<typeof openReceiver>>) => {
    const { channel, secret } = await createChannel(plane.db, environment, admin, { name, format: 'generic', url: receiver.url }, true);
    receiver.setSecret(secret ?? '');
    return channel.id;
  };
  const errorRule = (flag: string, channels: string[]) => errorRateRule(flag, { channels });
  const phases = (receiver: Awaited<ReturnType<typeof openReceiver>>) =>
    receiver.unique.map((r) => `${String(r.body.phase)} ${String(r.body.incident)}`);

  it('pages the resolve to every channel that had the trigger, and the trigger to a channel added mid-incident', async () => {
    const [first, added] = [await openReceiver(), await openReceiver()];
    try {
      const flag = await newFlag();
      const [a, b] = [await genericChannel('first', first), await genericChannel('added', added)];
      const rule = await createRule(plane.db, environment, editor, errorRule(flag, [a]));
      windows = breaching;
      expect(await engine.evaluateNow()).toMatchObject({ transitions: 1, pages: 1 });
      const incident = incidentKey(rule.id, flag, 1);
      expect(phases(first)).toEqual([`trigger ${incident}`]);

      // Mid-incident the rule's pages move from the first channel to the second.
      await updateRule(plane.db, environment, editor, rule.id, errorRule(flag, [b]), rule.version);
      clock.advance(MINUTE);
      expect(await engine.evaluateNow()).toMatchObject({ transitions: 0, pages: 1 });
      expect(phases(added)).toEqual([`trigger ${incident}`]);
      expect(added.unique[0]?.signatureValid).toBe(true);

      windows = healthy;
      clock.advance(MINUTE);
      expect(await engine.evaluateNow()).toMatchObject({ transitions: 1, pages: 1 });
      expect(phases(first)).toEqual([`trigger ${incident}`, `resolve ${incident}`]);
      expect(phases(added)).toEqual([`trigger ${incident}`, `resolve ${incident}`]);
    } finally {
      await first.close();
      await added.close();
    }
  });

  it('cancels a deleted channel’s pending deliveries at once, with the reason in its delivery log', async () => {
    const receiver = await openReceiver();
    try {
      const flag = await newFlag();
      const id = await genericChannel('decommissioned', receiver);
      await receiver.down();
      await createRule(plane.db, environment, editor, errorRule(flag, [id]));
      windows = breaching;
      await engine.evaluateNow();
      const outbox = () =>
        plane.db.query<{ status: string; attempts: number }>('select status, attempts from webhook_outbox where channel_id = $1', [id]);
      expect(await outbox()).toEqual([{ status: 'pending', attempts: 1 }]);

      const cancelled = await deleteChannel(plane.db, environment, admin, id);
      expect(await outbox()).toEqual([{ status: 'dead', attempts: 1 }]);
      expect(cancelled).toBe(1);
      const log = await plane.db.query<{ error: string }>('select error from webhook_attempts where channel_id = $1 order by id', [id]);
      expect(log.map((row) => row.error)).toEqual([expect.any(String), `cancelled: the channel was deleted by ${admin.name}`]);
      const [audit] = await plane.db.query<{ note: string }>(
        `select note from audit_log where action = 'webhook.delete' and note like $1`,
        [`${id}:%`],
      );
      expect(audit?.note).toBe(`${id}: decommissioned; 1 pending deliveries cancelled`);

      // The receiver back up gets nothing: no retry is left.
      await receiver.up();
      clock.advance(60 * MINUTE);
      await engine.deliverNow();
      expect(receiver.all).toEqual([]);
    } finally {
      windows = healthy;
      await receiver.close();
    }
  });

  it('a pass that read a rule before it moved to another flag does not recreate its state on the old flag', async () => {
    const [before, after] = [await newFlag(), await newFlag()];
    const rule = await createRule(plane.db, environment, editor, errorRule(before, []));
    windows = breaching;
    let open = () => {};
    gate = new Promise((resolve) => {
      open = resolve;
    });
    clock.advance(MINUTE);
    const pass = engine.evaluateNow();
    try {
      // The pass waits for figures, having read the rule on `before`; meanwhile the rule moves to `after`.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await updateRule(plane.db, environment, editor, rule.id, errorRule(after, []), rule.version);
    } finally {
      gate = undefined;
      open();
    }
    await pass;
    const states = await plane.db.query<{ flag: string }>('select flag from alert_states where rule_id = $1', [rule.id]);
    expect(states).toEqual([]);
    windows = healthy;
  });
});
