import pg from 'pg';

// Fixed and distinct from the migration lock ("flgl"): "flal", the alert engine's leadership.
export const LEADER_LOCK = 0x66_6c_61_6c;

/** Whether this process is the one that evaluates alerts. */
export interface Leadership {
  /** Confirms or tries to gain leadership; false when another replica holds it or the database is unreachable. */
  check(): Promise<boolean>;
  readonly leading: boolean;
  close(): Promise<void>;
}

/** PGlite: one process owns the data folder, so it always leads. */
export function soleLeadership(): Leadership {
  return { check: async () => true, leading: true, close: async () => {} };
}

/**
 * Leadership on PostgreSQL: a session-level advisory lock held on a dedicated connection (not the pool, whose
 * connections come and go). If the leader dies or its connection is cut, PostgreSQL releases the lock with
 * the session, and the next replica to call `check()` takes it. The leader re-confirms on every check by
 * querying its own connection, so a leader whose connection broke stops leading at once.
 */
export function advisoryLeadership(connectionString: string, applicationName: string): Leadership {
  let client: pg.Client | undefined;
  let leading = false;
  let closed = false;

  const drop = () => {
    const old = client;
    client = undefined;
    leading = false;
    old?.end().catch(() => {});
  };

  async function connect(): Promise<pg.Client> {
    // A bounded query time and TCP keepalive: a leader whose link hangs must notice, not wait forever.
    const fresh = new pg.Client({ connectionString, application_name: applicationName, query_timeout: 5_000, keepAlive: true });
    // A terminated session emits 'error'; losing the connection is losing leadership, not a crash.
    fresh.on('error', () => {
      if (client === fresh) drop();
    });
    fresh.on('end', () => {
      if (client === fresh) drop();
    });
    await fresh.connect();
    return fresh;
  }

  return {
    get leading() {
      return leading;
    },
    async check() {
      if (closed) return false;
      try {
        client ??= await connect();
        if (leading) {
          // Confirm the session (and with it the lock) is still alive.
          await client.query('select 1');
          return leading;
        }
        const rows = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1) as locked', [LEADER_LOCK]);
        leading = rows.rows[0]?.locked === true;
        return leading;
      } catch {
        drop();
        return false;
      }
    },
    async close() {
      closed = true;
      const old = client;
      client = undefined;
      leading = false;
      // Ending the session releases the lock; the next replica takes over without waiting for a timeout.
      await old?.end().catch(() => {});
    },
  };
}
