import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRule } from '@/src/server/alerts/rules';
import { putFlag } from '@/src/server/flags/service';
import { type ControlPlane, openControlPlane } from '@/src/server/plane';
import { comparisonOf, errorWindow } from './alerts-support';
import { backends, type Scratch } from './backends';
import { editor, modelFlag } from './fixtures';

async function terminateLeaderSession(databaseUrl: string, engineId: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [
      `flaglens-alerts-${engineId.slice(0, 8)}`,
    ]);
    return result.rowCount ?? 0;
  } finally {
    await client.end();
  }
}

describe('alert engine leadership on PostgreSQL', () => {
  let scratch: Scratch;
  let a: ControlPlane;
  let b: ControlPlane;
  const engine = (plane: ControlPlane) => {
    if (!plane.alerts) throw new Error('no engine');
    return plane.alerts;
  };

  beforeAll(async () => {
    const postgres = backends.find((backend) => backend.name === 'postgres');
    if (!postgres) throw new Error('no postgres backend');
    scratch = await postgres.scratch();
    const alerts = {
      compare: async () => comparisonOf(errorWindow([2000, 20], [2000, 20])),
      intervalMs: 3_600_000,
      deliveryPollMs: 3_600_000,
    };
    a = await openControlPlane({ ...scratch.config, alerts }, () => {});
    b = await openControlPlane({ ...scratch.config, alerts }, () => {});
    await putFlag(a, { environment: 'production', key: 'chat-model', actor: editor, input: modelFlag(), expectedVersion: undefined });
    await createRule(a.db, 'production', editor, {
      name: 'errors',
      flag: 'chat-model',
      figure: { kind: 'errorRate' },
      comparison: { type: 'absolute', op: 'above', threshold: 0.05 },
    });
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await scratch.drop();
  });

  it('lets exactly one of two planes evaluate, and the other take over when the leader’s session dies', async () => {
    expect(await engine(a).evaluateNow()).toMatchObject({ evaluated: 1 });
    expect(await engine(b).evaluateNow()).toBeUndefined();
    expect([engine(a).leading, engine(b).leading]).toEqual([true, false]);

    expect(await terminateLeaderSession(scratch.config.databaseUrl ?? '', engine(a).id)).toBe(1);
    // The server released the lock with the session: the follower's next check takes it.
    expect(await engine(b).evaluateNow()).toMatchObject({ evaluated: 1 });
    expect(await engine(a).evaluateNow()).toBeUndefined();
    expect([engine(a).leading, engine(b).leading]).toEqual([false, true]);
  });

  it('hands leadership over at once when the leader shuts down cleanly', async () => {
    await engine(b).close();
    expect(await engine(a).evaluateNow()).toMatchObject({ evaluated: 1 });
    expect(engine(a).leading).toBe(true);
  });
});
