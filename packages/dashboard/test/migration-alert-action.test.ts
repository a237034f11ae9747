import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readState } from '@/src/server/alerts/state';
import type { Database } from '@/src/server/db/database';
import { migrate } from '@/src/server/db/migrate';
import { backends, openStoreAtVersion } from './backends';

const FIRED_MS = Date.UTC(2026, 0, 1);

describe.each(backends)('migration 13 (when an alert action took effect) on $name', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ db, drop } = await openStoreAtVersion(backend, 12));
    await db.query(
      `insert into alert_rules (id, environment, flag, definition, version, updated_by) values ('r1', 'production', null, '{}', 1, 'alice')`,
    );
    // Written through the version-12 schema: one incident already rolled back, one still owing its rollback.
    for (const [flag, done] of [
      ['rolled-back', true],
      ['owed', false],
    ] as const) {
      await db.query(
        `insert into alert_states (rule_id, flag, status, since_ms, incident_seq, action_done, revision, evaluated_ms, evidence)
         values ('r1', $1, 'firing', $2, 1, $3, 1, $2, '{"decision": "breach"}')`,
        [flag, FIRED_MS, done],
      );
    }
    expect(await migrate(db)).toEqual([13]);
  });
  afterAll(() => drop());

  it('dates a rollback already done from its firing, as the engine settled before', async () => {
    expect(await readState(db, 'r1', 'rolled-back')).toMatchObject({ actionDone: true, actionDoneMs: FIRED_MS });
  });

  it('leaves an action still owed undated', async () => {
    const owed = await readState(db, 'r1', 'owed');
    expect(owed).toMatchObject({ actionDone: false, state: { status: 'firing', sinceMs: FIRED_MS } });
    expect(owed).not.toHaveProperty('actionDoneMs');
  });
});
