import { randomBytes } from 'node:crypto';
import type { Actor } from '../auth/principal';
import type { Database, Queryable } from '../db/database';
import { ApiError, conflict, notFound } from '../http/errors';
import { appendAlertingAudit } from './audit';
import { retireStates } from './incidents';
import { type AlertRule, type AlertRuleDefinition, parseAlertRule } from './rule';
import { publicUrlFromEnv } from './settings';

interface RuleRow {
  id: string;
  environment: string;
  flag: string | null;
  definition: AlertRuleDefinition;
  version: number;
  updated_at: Date;
  updated_by: string;
}

const toRule = (row: RuleRow): AlertRule => ({
  id: row.id,
  environment: row.environment,
  kind: row.flag === null ? 'guardrail' : 'flag',
  version: row.version,
  definition: row.definition,
  updatedAt: new Date(row.updated_at).toISOString(),
  updatedBy: row.updated_by,
});

const COLUMNS = 'id, environment, flag, definition, version, updated_at, updated_by';

/** Rules of an environment: all, or those that apply to one flag (its own and every guardrail). */
export async function listRules(db: Queryable, environment: string, flag?: string): Promise<AlertRule[]> {
  const rows =
    flag === undefined
      ? await db.query<RuleRow>(`select ${COLUMNS} from alert_rules where environment = $1 order by id`, [environment])
      : await db.query<RuleRow>(`select ${COLUMNS} from alert_rules where environment = $1 and (flag = $2 or flag is null) order by id`, [
          environment,
          flag,
        ]);
  return rows.map(toRule);
}

export async function readRule(db: Queryable, environment: string, id: string, lock = false): Promise<AlertRule> {
  const rows = await db.query<RuleRow>(
    `select ${COLUMNS} from alert_rules where environment = $1 and id = $2${lock ? ' for update' : ''}`,
    [environment, id],
  );
  if (!rows[0]) throw notFound(`no alert rule ${JSON.stringify(id)}`);
  return toRule(rows[0]);
}

// Channels are checked where the rule is written: a rule that pages nobody because of a typo is a silent failure.
async function checkChannels(tx: Queryable, environment: string, definition: AlertRuleDefinition): Promise<void> {
  if (definition.channels.length === 0) return;
  const rows = await tx.query<{ id: string }>(
    'select id from webhook_channels where environment = $1 and deleted_at is null and id = any($2)',
    [environment, definition.channels],
  );
  const known = new Set(rows.map((row) => row.id));
  const issues = definition.channels.flatMap((id, i) =>
    known.has(id) ? [] : [{ path: `channels.${i}`, problem: `no webhook channel ${JSON.stringify(id)}` }],
  );
  if (issues[0]) throw new ApiError(400, 'invalid_alert_rule', `invalid alert rule: ${issues[0].path}: ${issues[0].problem}`, { issues });
}

/** Creates a rule (validated, audited, one transaction). */
export async function createRule(db: Database, environment: string, actor: Actor, input: unknown): Promise<AlertRule> {
  const definition = parseAlertRule(input);
  const id = `rule_${randomBytes(8).toString('hex')}`;
  return db.transaction(async (tx) => {
    await checkChannels(tx, environment, definition);
    const rows = await tx.query<RuleRow>(
      `insert into alert_rules (id, environment, flag, definition, version, updated_by) values ($1, $2, $3, $4::jsonb, 1, $5) returning ${COLUMNS}`,
      [id, environment, definition.flag ?? null, JSON.stringify(definition), actor.name],
    );
    const row = rows[0];
    if (!row) throw new Error('insert returned no row');
    await appendAlertingAudit(tx, {
      actor,
      action: 'alert_rule.create',
      environment,
      version: 1,
      after: definition,
      note: `${id}: ${definition.name}`,
    });
    return toRule(row);
  });
}

/** Replaces a rule's definition; `expectedVersion` (If-Match) guards against overwriting an unseen edit. */
export async function updateRule(db: Database, environment: string, actor: Actor, id: string, input: unknown, expectedVersion?: number) {
  const definition = parseAlertRule(input);
  return db.transaction(async (tx) => {
    const current = await readRule(tx, environment, id, true);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw conflict('version_conflict', `alert rule ${id} changed since version ${expectedVersion}`, { currentVersion: current.version });
    }
    await checkChannels(tx, environment, definition);
    const version = current.version + 1;
    const rows = await tx.query<RuleRow>(
      `update alert_rules set definition = $3::jsonb, flag = $4, version = $5, updated_at = now(), updated_by = $6
       where environment = $1 and id = $2 returning ${COLUMNS}`,
      [environment, id, JSON.stringify(definition), definition.flag ?? null, version, actor.name],
    );
    const row = rows[0];
    if (!row) throw new Error(`alert rule ${id} vanished under a row lock`);
    // Its state on flags it no longer judges would never be evaluated again: a firing incident there resolves.
    const why = `rule changed by ${actor.name}: it no longer judges this flag`;
    const stillJudges = (flag: string) => definition.flag === undefined || definition.flag === flag;
    await retireStates(tx, current, stillJudges, { nowMs: Date.now(), publicUrl: publicUrlFromEnv(), why });
    const note = `${id}: ${definition.name}`;
    await appendAlertingAudit(tx, {
      actor,
      action: 'alert_rule.update',
      environment,
      version,
      before: current.definition,
      after: definition,
      note,
    });
    return toRule(row);
  });
}

/** Deletes a rule and its live state, resolving its firing incidents with their pages; its alert events stay as history. */
export async function deleteRule(db: Database, environment: string, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await readRule(tx, environment, id, true);
    const why = `rule deleted by ${actor.name}`;
    await retireStates(tx, current, () => false, { nowMs: Date.now(), publicUrl: publicUrlFromEnv(), why });
    await tx.query('delete from alert_rules where environment = $1 and id = $2', [environment, id]);
    const note = `${id}: ${current.definition.name}`;
    await appendAlertingAudit(tx, {
      actor,
      action: 'alert_rule.delete',
      environment,
      version: current.version,
      before: current.definition,
      note,
    });
  });
}

/** Every rule of every environment, for the engine. */
export async function listAllRules(db: Queryable): Promise<AlertRule[]> {
  const rows = await db.query<RuleRow>(`select ${COLUMNS} from alert_rules order by id`);
  return rows.map(toRule);
}
