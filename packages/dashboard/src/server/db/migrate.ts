import type { Database } from './database';
import { MIGRATIONS, type Migration } from './migrations';

// Arbitrary but fixed: every flaglens process contends for the same advisory lock ("flgl").
const MIGRATION_LOCK = 0x66_6c_67_6c;

/**
 * Brings the schema up to date and returns the versions it applied. Safe to run on every start and
 * from several processes at once: all of it is one transaction behind a transaction-scoped advisory
 * lock, so a second process waits, then finds nothing left to do; a failed step applies nothing.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(`create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )`);
    const rows = await tx.query<{ version: number }>('select version from schema_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const ran: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
      ran.push(migration.version);
    }
    return ran;
  });
}
