import type { Database } from '@/src/server/db/database';
import { migrate } from '@/src/server/db/migrate';
import { MIGRATIONS } from '@/src/server/db/migrations';
import { openPglite } from '@/src/server/db/pglite';
import { openPostgres } from '@/src/server/db/postgres';
import { type ControlPlane, openControlPlane, type PlaneConfig } from '@/src/server/plane';
import { createScratchDatabase } from '@/src/testing';

/** The server PostgreSQL tests run against; each run gets its own throwaway database on it. */
export const POSTGRES_URL = process.env.FLAGLENS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty store and the way to throw it away. */
export interface Scratch {
  config: PlaneConfig;
  drop(): Promise<void>;
}

async function scratchPostgres(): Promise<Scratch> {
  const database = await createScratchDatabase(POSTGRES_URL, 'flaglens_test');
  return { config: { databaseUrl: database.url }, drop: database.drop };
}

/** Both storage backends; suites run once per entry with `describe.each(backends)`. */
export const backends = [
  { name: 'pglite', scratch: async (): Promise<Scratch> => ({ config: {}, drop: async () => {} }) },
  { name: 'postgres', scratch: scratchPostgres },
] as const;

export type Backend = (typeof backends)[number];

/** A migrated control plane on a fresh store, with the first admin token it printed. */
export async function openScratchPlane(
  backend: Backend,
  extra: Pick<PlaneConfig, 'stream'> = {},
): Promise<{ plane: ControlPlane; adminToken: string; drop(): Promise<void> }> {
  const scratch = await backend.scratch();
  const printed: string[] = [];
  const plane = await openControlPlane({ ...scratch.config, ...extra }, (line) => printed.push(line));
  const adminToken = /fl_admin_\S+/.exec(printed.join('\n'))?.[0];
  if (!adminToken) throw new Error(`no admin token printed: ${printed.join('\n')}`);
  return {
    plane,
    adminToken,
    async drop() {
      await plane.close();
      await scratch.drop();
    },
  };
}

/**
 * A fresh store with the schema as it stood at migration `version`, no control plane on it: tests of a
 * migration write rows the way that release did, then run `migrate(db)`.
 */
export async function openStoreAtVersion(backend: Backend, version: number): Promise<{ db: Database; drop(): Promise<void> }> {
  const scratch = await backend.scratch();
  const db = scratch.config.databaseUrl ? await openPostgres(scratch.config.databaseUrl) : await openPglite();
  await migrate(
    db,
    MIGRATIONS.filter((migration) => migration.version <= version),
  );
  return {
    db,
    async drop() {
      await db.close();
      await scratch.drop();
    },
  };
}
