import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/log';
import { type Database, sqlState } from '../db/database';
import { badRequest, conflict, notFound } from '../http/errors';
import { isRole, type Role } from './policy';
import type { Actor } from './principal';
import { hashSecret, newSecret, secretPrefix } from './secrets';

/** What a new token may be: a management token with a role, or an SDK key bound to one environment. */
export type TokenSpec = { name: string; kind: 'api'; role: Role } | { name: string; kind: 'sdk'; environment: string };

/** A token as listed: never its secret, which exists only in the response that created it. */
export interface TokenInfo {
  id: string;
  name: string;
  kind: 'api' | 'sdk';
  role: Role | null;
  environment: string | null;
  prefix: string;
  createdAt: string;
  createdBy: string;
}

/** Reads a token request body: `{ name, role }` or `{ name, kind: "sdk", environment? }`. */
export function parseTokenSpec(body: Record<string, unknown>, defaultEnvironment: string): TokenSpec {
  const { name, kind = 'api', role, environment = defaultEnvironment } = body;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 128) throw badRequest('name must be 1 to 128 characters');
  if (kind === 'sdk') {
    if (typeof environment !== 'string') throw badRequest('environment must be a string');
    return { name: name.trim(), kind, environment };
  }
  if (kind !== 'api') throw badRequest('kind must be "api" or "sdk"');
  if (!isRole(role)) throw badRequest('role must be one of viewer, editor, admin');
  return { name: name.trim(), kind, role };
}

const COLUMNS = `id, name, kind, role, environment, prefix, created_at, created_by`;
type TokenRow = Omit<TokenInfo, 'createdAt' | 'createdBy'> & { created_at: Date; created_by: string };
const toInfo = ({ created_at, created_by, ...row }: TokenRow): TokenInfo => ({
  ...row,
  createdAt: new Date(created_at).toISOString(),
  createdBy: created_by,
});

/** Creates a token and returns it with its secret, the only time the secret is ever shown. */
export async function createToken(db: Database, spec: TokenSpec, actor: Actor): Promise<TokenInfo & { token: string }> {
  const secret = newSecret(spec.kind === 'sdk' ? 'sdk' : spec.role);
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.query<TokenRow>(
        `insert into tokens (id, name, kind, role, environment, token_hash, prefix, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
        [
          randomUUID(),
          spec.name,
          spec.kind,
          spec.kind === 'api' ? spec.role : null,
          spec.kind === 'sdk' ? spec.environment : null,
          hashSecret(secret),
          secretPrefix(secret),
          actor.name,
        ],
      );
      if (!row) throw new Error('insert returned no row');
      const info = toInfo(row);
      await appendAudit(tx, { actor, action: 'token.create', environment: info.environment ?? undefined, after: info });
      return { ...info, token: secret };
    });
  } catch (error) {
    if (sqlState(error) === '23503')
      throw badRequest(`unknown environment ${JSON.stringify(spec.kind === 'sdk' ? spec.environment : null)}`, {
        environment: spec.kind === 'sdk' ? spec.environment : null,
      });
    throw error;
  }
}

/** Live tokens; with `environment`, only that environment's SDK keys. */
export async function listTokens(db: Database, environment?: string): Promise<TokenInfo[]> {
  const rows =
    environment === undefined
      ? await db.query<TokenRow>(`select ${COLUMNS} from tokens where revoked_at is null order by created_at, id`)
      : await db.query<TokenRow>(`select ${COLUMNS} from tokens where revoked_at is null and environment = $1 order by created_at, id`, [
          environment,
        ]);
  return rows.map(toInfo);
}

/** Revokes a token and ends its sessions; the last admin token cannot go, or nobody could manage tokens. */
export async function revokeToken(db: Database, id: string, actor: Actor): Promise<void> {
  await db.transaction(async (tx) => {
    // Locking every live admin token serialises concurrent revocations, so two cannot remove the last two.
    const admins = await tx.query<{ id: string }>(`select id from tokens where role = 'admin' and revoked_at is null for update`);
    const [row] = await tx.query<TokenRow>(`select ${COLUMNS} from tokens where id = $1 and revoked_at is null for update`, [id]);
    if (!row) throw notFound(`no live token ${JSON.stringify(id)}`);
    if (row.role === 'admin' && admins.length <= 1) throw conflict('last_admin', 'cannot revoke the last admin token');
    await tx.query('update tokens set revoked_at = now() where id = $1', [id]);
    await tx.query('delete from sessions where token_id = $1', [id]);
    await appendAudit(tx, { actor, action: 'token.revoke', environment: row.environment ?? undefined, before: toInfo(row) });
  });
}
