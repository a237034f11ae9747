import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '@/src/server/auth/bootstrap';
import { hashSecret } from '@/src/server/auth/secrets';
import { sqlState } from '@/src/server/db/database';
import { migrate } from '@/src/server/db/migrate';
import { MIGRATIONS } from '@/src/server/db/migrations';
import { openPostgres } from '@/src/server/db/postgres';
import type { ControlPlane } from '@/src/server/plane';
import { openControlPlane } from '@/src/server/plane';
import { backends, openScratchPlane } from './backends';
import { rejection } from './fixtures';

describe.each(backends)('storage on $name', (backend) => {
  let plane: ControlPlane;
  let adminToken: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ plane, adminToken, drop } = await openScratchPlane(backend));
  });
  afterAll(() => drop());

  it('records every migration once, and running them again applies nothing', async () => {
    expect(await migrate(plane.db)).toEqual([]);
    const rows = await plane.db.query<{ version: number }>('select version from schema_migrations order by version');
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it('starts with development, staging and production in promotion order, production protected', async () => {
    expect(await plane.db.query('select key, protected from environments order by position')).toEqual([
      { key: 'development', protected: false },
      { key: 'staging', protected: false },
      { key: 'production', protected: true },
    ]);
  });

  it('keeps only the hash of the first admin token, and makes no second one', async () => {
    const tokens = await plane.db.query<{ token_hash: string; role: string }>('select token_hash, role from tokens');
    expect(tokens).toEqual([{ token_hash: hashSecret(adminToken), role: 'admin' }]);
    expect(JSON.stringify(tokens)).not.toContain(adminToken);
    expect(await ensureAdminToken(plane.db)).toBeUndefined();
  });

  it('refuses UPDATE, DELETE and TRUNCATE on the audit log', async () => {
    await plane.db.query(
      `insert into audit_log (actor, actor_id, action, environment, flag_key, version) values ('t', 't', 'flag.create', 'production', 'x', 1)`,
    );
    for (const statement of ['update audit_log set actor = $1', 'delete from audit_log where actor = $1', 'truncate audit_log']) {
      const params = statement.includes('$1') ? ['t'] : [];
      expect(sqlState(await rejection(plane.db.query(statement, params)))).toBe('55000');
    }
    expect(await plane.db.query(`select actor from audit_log where flag_key = 'x'`)).toEqual([{ actor: 't' }]);
  });

  it('rolls a failed transaction back whole', async () => {
    await rejection(
      plane.db.transaction(async (tx) => {
        await tx.query(`insert into environments (key, name, position) values ('qa', 'QA', 150)`);
        await tx.query('select 1 / 0');
      }),
    );
    expect(await plane.db.query(`select key from environments where key = 'qa'`)).toEqual([]);
  });
});

describe('storage on postgres, two processes starting at once', () => {
  it('applies each migration exactly once and creates one admin token', async () => {
    const scratch = await backends[1].scratch();
    const url = scratch.config.databaseUrl ?? '';
    const [a, b] = await Promise.all([openPostgres(url), openPostgres(url)]);
    try {
      const applied = await Promise.all([migrate(a), migrate(b)]);
      expect(applied.flat().sort((x, y) => x - y)).toEqual(MIGRATIONS.map((migration) => migration.version));
      const tokens = await Promise.all([ensureAdminToken(a), ensureAdminToken(b)]);
      expect(tokens.filter(Boolean)).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await scratch.drop();
    }
  });
});

describe('storage on pglite, in a data folder', () => {
  it('keeps its tokens across restarts and prints the admin token only the first time', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'flaglens-'));
    try {
      const printed: string[] = [];
      const first = await openControlPlane({ dataDir }, (line) => printed.push(line));
      await first.close();
      const second = await openControlPlane({ dataDir }, (line) => printed.push(line));
      expect(await second.db.query<{ n: number }>('select count(*)::int as n from tokens')).toEqual([{ n: 1 }]);
      await second.close();
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatch(/^flaglens admin token: fl_admin_[\w-]{43} {2}\(shown once; store it\)$/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
