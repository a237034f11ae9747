import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** An empty database for one test run, and the way to throw it away. */
export interface ScratchDatabase {
  /** The server's URL with this database's name as its path: a control plane's `DATABASE_URL`. */
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

async function run(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates `<prefix>_<12 random hex digits>` on the PostgreSQL server `serverUrl` names, as its user
 * (who needs CREATEDB); a prefix per suite tells whose leftovers are whose.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix))
    throw new Error(`database prefix ${JSON.stringify(prefix)}: lower-case letters, digits and _ only`);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await run(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(serverUrl, `drop database if exists ${name} with (force)`) };
}
