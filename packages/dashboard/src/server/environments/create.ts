import type { Flag } from '@flaglens/evaluator';
import { appendAudit } from '../audit/log';
import type { Actor } from '../auth/principal';
import { type Database, sqlState } from '../db/database';
import { insertFlag, setArchived } from '../flags/store';
import { badRequest, conflict } from '../http/errors';
import { DEFAULT_ENVIRONMENT, type Environment, findEnvironment, listEnvironments } from './store';

/** A new environment: its key, display name, and optionally the environment it follows in promotion order. */
export interface EnvironmentSpec {
  key: string;
  name: string;
  after?: string;
}

// The same rule as the environments table's check: the key travels in URLs, cookies and SDK configs.
const KEY = /^[a-z][a-z0-9-]{0,62}$/;

/** Reads `{ key, name, after? }`; a 400 names the field that is wrong. */
export function parseEnvironmentSpec(body: Record<string, unknown>): EnvironmentSpec {
  const { key, name, after } = body;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw badRequest(
      `invalid environment key ${JSON.stringify(key)}: lowercase letters, digits and "-", starting with a letter, at most 63`,
      { field: 'key' },
    );
  }
  if (typeof name !== 'string' || name.trim() === '' || name.length > 128) {
    throw badRequest('name must be 1 to 128 characters', { field: 'name' });
  }
  if (after !== undefined && typeof after !== 'string') throw badRequest('after must name an environment', { field: 'after' });
  return { key, name: name.trim(), ...(after === undefined ? {} : { after }) };
}

// By default a new environment goes last before the protected ones, so production stays the end of the line.
function predecessor(environments: Environment[], after: string | undefined): Environment | undefined {
  if (after !== undefined) {
    const named = environments.find((environment) => environment.key === after);
    if (!named) throw badRequest(`after names no environment: ${JSON.stringify(after)}`, { field: 'after' });
    return named;
  }
  return environments.filter((environment) => !environment.protected).at(-1);
}

/**
 * Creates an environment holding a copy of every production flag (switched off, so it serves its off
 * variant until someone turns it on there) and production's segments, in one transaction: one
 * `environment.create` audit entry, and one `flag.create` in the new environment's trail per flag.
 */
export async function createEnvironment(db: Database, spec: EnvironmentSpec, actor: Actor): Promise<Environment> {
  try {
    return await db.transaction(async (tx) => {
      // Serialises creations, so two cannot take the same position.
      await tx.query('lock table environments in share row exclusive mode');
      const environments = await listEnvironments(tx);
      if (environments.some((environment) => environment.key === spec.key)) throw exists(spec.key);
      const before = predecessor(environments, spec.after);
      const position = before ? before.position + 1 : (environments[0]?.position ?? 100) - 100;
      if (before) await tx.query('update environments set position = position + 1 where position > $1', [before.position]);
      await tx.query('insert into environments (key, name, position) values ($1, $2, $3)', [spec.key, spec.name, position]);
      const created = await findEnvironment(tx, spec.key);
      if (!created) throw new Error('insert returned no environment');
      await appendAudit(tx, { actor, action: 'environment.create', environment: spec.key, after: created });
      await tx.query(
        `insert into segments (environment, key, definition, version) select $1, key, definition, 1 from segments where environment = $2`,
        [spec.key, DEFAULT_ENVIRONMENT],
      );
      const sources = await tx.query<{ key: string; definition: Flag; archived: boolean }>(
        'select key, definition, archived_at is not null as archived from flags where environment = $1 order by key',
        [DEFAULT_ENVIRONMENT],
      );
      for (const { key, definition, archived } of sources) {
        // A new key has no history (audit rows reference existing environments), so its flags start at version 1.
        const flag: Flag = { ...definition, enabled: false, version: 1 };
        await insertFlag(tx, spec.key, flag, key, actor.name);
        // Archived in production stays archived here too, so a restore there has a flag to bring back everywhere.
        if (archived) await setArchived(tx, spec.key, key, true);
        const note = `copied (off) from ${DEFAULT_ENVIRONMENT} when the environment was created`;
        await appendAudit(tx, {
          actor,
          action: 'flag.create',
          environment: spec.key,
          flagKey: key,
          version: flag.version,
          after: flag,
          note,
        });
      }
      return created;
    });
  } catch (error) {
    // Two creations racing past the check: the loser's insert hits the primary key.
    if (sqlState(error) === '23505') throw exists(spec.key);
    throw error;
  }
}

const exists = (key: string) => conflict('already_exists', `environment ${JSON.stringify(key)} exists`);
