import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@/src/server/db/database';
import { migrate } from '@/src/server/db/migrate';
import { findFlag, loadFlagSet } from '@/src/server/flags/store';
import { backends, openStoreAtVersion } from './backends';
import { modelFlag } from './fixtures';

const DAY = 86_400_000;
const T = Date.parse('2026-03-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** A flag row and its audit entries (at chosen times), written through the version-6 schema. */
async function flagWithHistory(db: Database, key: string, history: [action: string, atMs: number][], updatedMs: number) {
  await db.query(
    `insert into flags (environment, key, definition, version, updated_at, updated_by) values ('production', $1, $2::jsonb, $3, $4, 'alice')`,
    [key, JSON.stringify({ ...modelFlag(), version: history.length || 1 }), history.length || 1, iso(updatedMs)],
  );
  for (const [index, [action, atMs]] of history.entries()) {
    await db.query(
      `insert into audit_log (at, actor, actor_id, action, environment, flag_key, version, after) values ($1, 'alice', 't', $2, 'production', $3, $4, '{}')`,
      [iso(atMs), action, key, index + 1],
    );
  }
}

describe.each(backends)('migration 7 (flag debt) on $name', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;
  let setBefore: unknown;

  beforeAll(async () => {
    ({ db, drop } = await openStoreAtVersion(backend, 6));
    await flagWithHistory(
      db,
      'plain',
      [
        ['flag.create', T - 40 * DAY],
        ['flag.update', T - 3 * DAY],
      ],
      T - 3 * DAY,
    );
    await flagWithHistory(
      db,
      'recreated',
      [
        ['flag.create', T - 90 * DAY],
        ['flag.delete', T - 60 * DAY],
        ['flag.create', T - 20 * DAY],
      ],
      T - 20 * DAY,
    );
    await flagWithHistory(db, 'no-history', [], T - 7 * DAY);
    // Read as the version-6 schema can (the store's own reader already needs migration 7's columns).
    const rows = await db.query<{ key: string; definition: unknown }>(`select key, definition from flags where environment = 'production'`);
    setBefore = Object.fromEntries(rows.map((row) => [row.key, row.definition]));
    expect(await migrate(db)).toContain(7);
  });
  afterAll(() => drop());

  it('dates each flag from the flag.create of its current life, or its last write without one', async () => {
    const createdAt = async (key: string) => (await findFlag(db, 'production', key))?.createdAt;
    expect(await createdAt('plain')).toBe(iso(T - 40 * DAY));
    expect(await createdAt('recreated')).toBe(iso(T - 20 * DAY));
    expect(await createdAt('no-history')).toBe(iso(T - 7 * DAY));
  });

  it('leaves every flag served as before, unarchived, with the default metadata', async () => {
    expect((await loadFlagSet(db, 'production')).flags).toEqual(setBefore);
    expect(await findFlag(db, 'production', 'plain')).toMatchObject({ archivedAt: null, owner: null, tags: [], kind: 'temporary' });
  });

  it('accepts the new audit actions and still refuses unknown ones', async () => {
    for (const action of ['flag.metadata', 'flag.archive', 'flag.restore', 'flag.promote', 'rollout.plan']) {
      await db.query(`insert into audit_log (actor, actor_id, action) values ('t', 't', $1)`, [action]);
    }
    await expect(db.query(`insert into audit_log (actor, actor_id, action) values ('t', 't', 'flag.explode')`)).rejects.toThrow();
  });
});
