import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertEngine, startAlertEngine } from '@/src/server/alerts/engine';
import { createRule } from '@/src/server/alerts/rules';
import { flagAlerts } from '@/src/server/alerts/state';
import type { VariantWindow } from '@/src/server/analysis/types';
import { archiveFlag } from '@/src/server/flags/lifecycle';
import { putFlag, readFlag, readFlagAudit } from '@/src/server/flags/service';
import type { ControlPlane } from '@/src/server/plane';
import { createChannel } from '@/src/server/webhooks/channel';
import { comparisonOf, errorWindow, manualClock } from './alerts-support';
import { backends, openScratchPlane } from './backends';
import { admin, editor, errorRateRule, modelFlag, uniqueKey } from './fixtures';

const MINUTE = 60_000;
const environment = 'production';

describe.each(backends)('alert incidents on $name', (backend) => {
  let plane: ControlPlane;
  let drop: () => Promise<void>;
  let engine: AlertEngine;
  const clock = manualClock(Date.UTC(2026, 0, 1));
  let windows: VariantWindow[] = errorWindow([2000, 20], [2000, 20]);

  beforeAll(async () => {
    ({ plane, drop } = await openScratchPlane(backend));
    engine = startAlertEngine(plane, undefined, {
      now: clock.now,
      intervalMs: 3_600_000,
      deliveryPollMs: 3_600_000,
      compare: async () => comparisonOf(windows),
    });
  });
  afterAll(async () => {
    await engine.close();
    await drop();
  });

  /** A rule rolling `flag` back once its candidate errs a point more than control over 2 minutes. */
  const rollbackRule = (flag: string, name: string, channels: string[] = []) =>
    createRule(plane.db, environment, editor, errorRateRule(flag, { name, channels, action: 'rollback' }));

  /** A new flag and a channel to page about it (never delivered: the delivery poll is an hour away). */
  async function flagWithPager(prefix: string) {
    const key = uniqueKey(prefix);
    await putFlag(plane, { environment, key, actor: editor, input: modelFlag(), expectedVersion: undefined });
    const { channel } = await createChannel(
      plane.db,
      environment,
      admin,
      { name: `${prefix} pager`, format: 'generic', url: 'http://127.0.0.1:9/' },
      true,
    );
    return { key, channel };
  }

  it('rolls the flag back again when someone switches it back on and the candidate still breaches', async () => {
    const key = uniqueKey('rollback-again');
    await putFlag(plane, { environment, key, actor: editor, input: modelFlag(), expectedVersion: undefined });
    await rollbackRule(key, 'errors above control');
    windows = errorWindow([2000, 20], [2000, 140]);
    expect(await engine.evaluateNow()).toMatchObject({ pages: 1, rollbacks: 1 });
    const rolledBack = await readFlag(plane, environment, key);
    expect(rolledBack.flag.enabled).toBe(false);

    // Someone switches it back on; while the window still holds the traffic the rollback acted on, nothing more happens.
    await putFlag(plane, {
      environment,
      key,
      actor: editor,
      input: { ...rolledBack.flag, enabled: true },
      expectedVersion: rolledBack.version,
    });
    clock.advance(MINUTE);
    expect(await engine.evaluateNow()).toMatchObject({ pages: 0, rollbacks: 0 });
    expect((await readFlag(plane, environment, key)).flag.enabled).toBe(true);

    // Once the window holds only traffic served since the rollback, a breach there is new evidence: rolled back
    // again, in the same incident (no second page).
    clock.advance(3 * MINUTE);
    expect(await engine.evaluateNow()).toMatchObject({ transitions: 0, pages: 0, rollbacks: 1 });
    expect((await readFlag(plane, environment, key)).flag.enabled).toBe(false);
    const audit = await readFlagAudit(plane, environment, key, 10);
    expect(audit.map((entry) => entry.action)).toEqual(['flag.rollback', 'flag.update', 'flag.rollback', 'flag.create']);
  });

  it('settles from when a delayed rollback took effect, not from the firing', async () => {
    const { key, channel } = await flagWithPager('late-rollback');
    const rule = await rollbackRule(key, 'errors above control, rolled back late', [channel.id]);
    // The flag's writes fail for a while, so the rollback is retried pass after pass.
    await plane.db.query(`create function refuse_late_rollback() returns trigger language plpgsql as $$
      begin raise exception 'flag write refused'; end $$`);
    await plane.db.query(
      `create trigger refuse_late_rollback before update on flags for each row when (old.key = '${key}') execute function refuse_late_rollback()`,
    );
    windows = errorWindow([2000, 20], [2000, 140]);
    const statusOn = async () => (await flagAlerts(plane.db, environment, key, 10)).states.find((s) => s.rule === rule.id)?.status;
    expect(await engine.evaluateNow()).toMatchObject({ pages: 1, rollbacks: 0 });
    expect(await statusOn()).toBe('firing');
    clock.advance(10 * MINUTE);
    expect(await engine.evaluateNow()).toMatchObject({ pages: 0, rollbacks: 0 });
    expect((await readFlag(plane, environment, key)).flag.enabled).toBe(true);

    await plane.db.query('drop trigger refuse_late_rollback on flags');
    await plane.db.query('drop function refuse_late_rollback');
    clock.advance(MINUTE);
    expect(await engine.evaluateNow()).toMatchObject({ pages: 0, rollbacks: 1 });
    expect((await readFlag(plane, environment, key)).flag.enabled).toBe(false);

    // Clear, but the 2-minute window (3 with the minute it slides by) still holds traffic from before the rollback:
    // long past the firing, yet no resolve.
    windows = errorWindow([2000, 20], [2000, 20]);
    const pagesOf = () =>
      plane.db.query<{ phase: string; incident: string }>(
        `select payload->>'phase' as phase, payload->>'incident' as incident from webhook_outbox where channel_id = $1 order by id`,
        [channel.id],
      );
    for (const step of [MINUTE, MINUTE, MINUTE - 1]) {
      clock.advance(step);
      await engine.evaluateNow();
      expect(await statusOn()).toBe('firing');
    }
    expect(await pagesOf()).toEqual([expect.objectContaining({ phase: 'trigger' })]);

    // Once the window has moved past the rollback: one resolve, with the trigger's incident key.
    clock.advance(1);
    await engine.evaluateNow();
    expect(await statusOn()).toBe('resolved');
    clock.advance(MINUTE);
    await engine.evaluateNow();
    const pages = await pagesOf();
    expect(pages).toEqual([expect.objectContaining({ phase: 'trigger' }), { phase: 'resolve', incident: pages[0]?.incident }]);
  });

  it('does not restart the settle when a rollback owed again finds the flag already off', async () => {
    const key = uniqueKey('still-off');
    await putFlag(plane, { environment, key, actor: editor, input: modelFlag(), expectedVersion: undefined });
    const rule = await rollbackRule(key, 'errors above control, left off');
    const statusOn = async () => (await flagAlerts(plane.db, environment, key, 10)).states.find((s) => s.rule === rule.id)?.status;
    windows = errorWindow([2000, 20], [2000, 140]);
    await engine.evaluateNow();
    expect((await readFlag(plane, environment, key)).flag.enabled).toBe(false);
    // Past the settle, still breaching: the rollback is owed again, but the flag is off, so nothing took effect now.
    clock.advance(4 * MINUTE);
    await engine.evaluateNow();
    expect(await statusOn()).toBe('firing');
    // The window has held only traffic since the rollback for a while: the first clear reading resolves.
    windows = errorWindow([2000, 20], [2000, 20]);
    clock.advance(MINUTE);
    await engine.evaluateNow();
    expect(await statusOn()).toBe('resolved');
    expect((await readFlagAudit(plane, environment, key, 10)).map((entry) => entry.action)).toEqual(['flag.rollback', 'flag.create']);
  });

  it('resolves a guardrail’s incident on a flag once the flag is archived, which guardrails no longer judge', async () => {
    const { key, channel } = await flagWithPager('archived');
    const guardrail = await createRule(plane.db, environment, editor, {
      name: 'any candidate erring',
      channels: [channel.id],
      figure: { kind: 'errorRate' },
      comparison: { type: 'absolute', op: 'above', threshold: 0.05 },
      for: '0s',
    });
    windows = errorWindow([2000, 20], [2000, 140]);
    await engine.evaluateNow();
    const statusOn = async () => (await flagAlerts(plane.db, environment, key, 10)).states.find((s) => s.rule === guardrail.id);
    expect(await statusOn()).toMatchObject({ status: 'firing' });

    await archiveFlag(plane, { environment, key, actor: editor });
    clock.advance(MINUTE);
    expect((await engine.evaluateNow())?.pages).toBeGreaterThanOrEqual(1);
    expect(await statusOn()).toBeUndefined();
    const { events } = await flagAlerts(plane.db, environment, key, 10);
    expect(events[0]).toMatchObject({ rule: guardrail.id, from: 'firing', to: 'resolved' });
    const pages = await plane.db.query<{ phase: string; incident: string; summary: string }>(
      `select payload->>'phase' as phase, payload->>'incident' as incident, payload->'evidence'->>'summary' as summary
       from webhook_outbox where channel_id = $1 and payload->'flag'->>'key' = $2 order by id`,
      [channel.id, key],
    );
    expect(pages).toEqual([
      expect.objectContaining({ phase: 'trigger' }),
      { phase: 'resolve', incident: pages[0]?.incident, summary: 'the flag was archived or deleted' },
    ]);
  });
});
