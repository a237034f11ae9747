import type { Flag, Segment } from '@flaglens/evaluator';
import { appendAudit } from '../audit/log';
import type { Actor } from '../auth/principal';
import { type Database, type Queryable, sqlState } from '../db/database';
import { insertFlag, setArchived } from '../flags/store';
import { badRequest, conflict } from '../http/errors';
import { copySegments } from '../segments/record';
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

// Production's segments and flags in one statement, so from one snapshot: read apart, a flag changed between
// the two reads could use a segment the copy lacks.
async function readProduction(tx: Queryable) {
  const rows = await tx.query<{ part: 'flag' | 'segment'; key: string; definition: unknown; archived: boolean }>(
    `select 'segment' as part, key, definition, false as archived from segments where environment = $1
     union all select 'flag', key, definition, archived_at is not null from flags where environment = $1 order by part, key`,
    [DEFAULT_ENVIRONMENT],
  );
  const segments: Record<string, Segment> = {};
  const flags: { key: string; definition: Flag; archived: boolean }[] = [];
  for (const { part, key, definition, archived } of rows) {
    if (part === 'segment') segments[key] = definition as Segment;
    else flags.push({ key, definition: definition as Flag, archived });
  }
  return { segments, flags };
}

/**
 * Creates an environment holding a copy of every production flag (switched off, so it serves its off
 * variant until someone turns it on there) and production's segments, in one transaction: one
 * `environment.create` audit entry, and in the new environment's trail one `segment.create` per segment
 * and one `flag.create` per flag.
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
      const production = await readProduction(tx);
      const copied = `copied from ${DEFAULT_ENVIRONMENT} when the environment was created`;
      await copySegments(tx, { environment: spec.key, actor, note: copied }, production.segments);
      for (const { key, definition, archived } of production.flags) {
        // A new key has no history (audit rows reference existing environments), so its flags start at version 1.
        const flag: Flag = { ...definition, enabled: false, version: 1 };
        await insertFlag(tx, spec.key, flag, key, actor.name);
        const note = `copied (off) from ${DEFAULT_ENVIRONMENT} when the environment was created`;
        const entry = { actor, environment: spec.key, flagKey: key, version: flag.version, note };
        await appendAudit(tx, { ...entry, action: 'flag.create', after: flag });
        // Archived in production stays archived here too, so a restore there has a flag to bring back everywhere.
        if (!archived) continue;
        await setArchived(tx, spec.key, key, true);
        await appendAudit(tx, { ...entry, action: 'flag.archive', before: { archived: false }, after: { archived: true } });
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
