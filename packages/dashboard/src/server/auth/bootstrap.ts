import { randomUUID } from 'node:crypto';
import type { Database } from '../db/database';
import { hashSecret, newSecret, secretPrefix } from './secrets';

// Fixed key ("flbt") so replicas starting together take turns; only the first finds no tokens.
const BOOTSTRAP_LOCK = 0x66_6c_62_74;

/**
 * On the very first start (no token has ever existed), creates an admin token and returns its secret
 * for the caller to show once; only its hash is kept. Returns undefined on every later start.
 */
export async function ensureAdminToken(db: Database): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    const [existing] = await tx.query<{ id: string }>('select id from tokens limit 1');
    if (existing) return undefined;
    const secret = newSecret('admin');
    await tx.query(
      `insert into tokens (id, name, kind, role, token_hash, prefix, created_by) values ($1, 'first admin', 'api', 'admin', $2, $3, 'flaglens first start')`,
      [randomUUID(), hashSecret(secret), secretPrefix(secret)],
    );
    return secret;
  });
}
