import { compileFlagSet, type Flag } from '@flaglens/evaluator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '@/src/server/audit/log';
import { createToken } from '@/src/server/auth/tokens';
import type { Database } from '@/src/server/db/database';
import { migrate } from '@/src/server/db/migrate';
import { MIGRATIONS } from '@/src/server/db/migrations';
import { ingestPush } from '@/src/server/ingest/ingest';
import { backends, openStoreAtVersion } from './backends';
import { admin, modelFlag } from './fixtures';
import { serviceRegistry } from './ingest-shapes';

const MINUTE = 60_000;
const T0 = Math.floor((Date.now() - 3_600_000) / MINUTE) * MINUTE;

// Everything the single-environment schema held, each table in a stable order.
const TABLES: Record<string, string> = {
  flags: 'environment, key',
  segments: 'environment, key',
  audit_log: 'id',
  tokens: 'id',
  metric_instances: 'environment, instance',
  metric_label_values: 'environment, flag, label, value',
  metric_minutes: 'environment, flag, bucket_ms, metric, variant, model, labels, bounds',
  metric_hours: 'environment, flag, bucket_ms, metric, variant, model, labels, bounds',
  metric_days: 'environment, flag, bucket_ms, metric, variant, model, labels, bounds',
};

async function snapshot(db: Database, environment?: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of Object.entries(TABLES)) {
    const where = environment && table !== 'tokens' ? ` where environment = '${environment}'` : '';
    out[table] = await db.query(`select * from ${table}${where} order by ${order}`);
  }
  return out;
}

/** Writes production's flags, a segment, audit entries, an SDK key and metric rows, through the version-5 schema. */
async function populate(db: Database): Promise<Record<string, Flag>> {
  const { definition } = compileFlagSet({
    flags: {
      'support-model': { ...modelFlag(), version: 3 },
      ranker: { ...modelFlag({ rules: [{ when: [{ op: 'inSegment', value: 'staff' }], serve: { variant: 'v2' } }] }), version: 1 },
    },
    segments: { staff: { include: ['alice'] } },
  });
  await db.query(`insert into segments (environment, key, definition, version) values ('production', 'staff', $1::jsonb, 1)`, [
    JSON.stringify(definition.segments.staff),
  ]);
  for (const [key, flag] of Object.entries(definition.flags)) {
    await db.query(
      `insert into flags (environment, key, definition, version, updated_by) values ('production', $1, $2::jsonb, $3, 'alice')`,
      [key, JSON.stringify(flag), flag.version],
    );
    await appendAudit(db, {
      actor: admin,
      action: 'flag.create',
      environment: 'production',
      flagKey: key,
      version: flag.version,
      after: flag,
    });
  }
  await createToken(db, { name: 'service', kind: 'sdk', environment: 'production' }, admin);
  const metrics = serviceRegistry();
  for (const [at, count] of [
    [10_000, 4],
    [70_000, 3],
  ] as const) {
    metrics.evaluations.inc({ flag: 'support-model', variant: 'v2', reason: 'SPLIT' }, count);
    metrics.duration.observe({ flag: 'support-model', variant: 'v2', model: 'gpt-b', mode: 'served' }, 0.04);
    const text = await metrics.registry.metrics();
    await ingestPush(
      db,
      { instance: 'pod-1', pushTimeMs: T0 + at, text, environment: 'production', receivedMs: T0 + at },
      { compactEveryMs: 0 },
    );
  }
  return definition.flags;
}

describe.each(backends)('migration 6 (environments) on $name', (backend) => {
  let db: Database;
  let drop: () => Promise<void>;
  let flags: Record<string, Flag>;
  let before: Record<string, unknown[]>;

  beforeAll(async () => {
    ({ db, drop } = await openStoreAtVersion(backend, 5));
    flags = await populate(db);
    before = await snapshot(db);
    expect(await migrate(db)).toEqual(MIGRATIONS.filter((migration) => migration.version > 5).map((migration) => migration.version));
  });
  afterAll(() => drop());

  it('was populated: flags, audit entries, an SDK key and metric rows', () => {
    expect(before.flags).toHaveLength(2);
    expect(before.audit_log).toHaveLength(3); // two flags and the SDK key
    expect(before.tokens).toHaveLength(1);
    expect(before.metric_minutes?.length).toBeGreaterThan(0);
  });

  it('keeps every flag, audit entry, token and metric of production unchanged', async () => {
    const after = await snapshot(db, 'production');
    // Later migrations may add columns; every value that was there must be there, unchanged.
    const earlier = (table: string, rows: unknown[]) => {
      const columns = Object.keys((before[table]?.[0] ?? {}) as object);
      return rows.map((row) => Object.fromEntries(columns.map((column) => [column, (row as Record<string, unknown>)[column]])));
    };
    for (const table of Object.keys(TABLES)) expect(earlier(table, after[table] ?? []), table).toEqual(before[table]);
  });

  it('adds development and staging before production, which alone is protected', async () => {
    const rows = await db.query('select key, protected from environments order by position');
    expect(rows).toEqual([
      { key: 'development', protected: false },
      { key: 'staging', protected: false },
      { key: 'production', protected: true },
    ]);
  });

  it('copies every flag into the new environments switched off at version 1, with its segments and a creation entry', async () => {
    for (const environment of ['development', 'staging']) {
      const copies = await db.query<{ key: string; definition: Flag; version: number }>(
        'select key, definition, version from flags where environment = $1 order by key',
        [environment],
      );
      expect(copies).toEqual(
        Object.keys(flags)
          .sort()
          .map((key) => ({ key, version: 1, definition: { ...flags[key], enabled: false, version: 1 } })),
      );
      expect(await db.query('select key from segments where environment = $1', [environment])).toEqual([{ key: 'staff' }]);
      const audit = await db.query<{ action: string; flag_key: string; version: number }>(
        'select action, flag_key, version from audit_log where environment = $1 order by flag_key',
        [environment],
      );
      expect(audit).toEqual(
        Object.keys(flags)
          .sort()
          .map((key) => ({ action: 'flag.create', flag_key: key, version: 1 })),
      );
      expect(await db.query('select count(*)::int as n from metric_minutes where environment = $1', [environment])).toEqual([{ n: 0 }]);
    }
  });
});
