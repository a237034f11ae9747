import type { Actor } from '../auth/principal';
import type { Queryable } from '../db/database';

/** Audit actions of alerting; the audit_log check constraint lists them (migration 3). */
export type AlertingAuditAction = 'alert_rule.create' | 'alert_rule.update' | 'alert_rule.delete' | 'webhook.create' | 'webhook.delete';

/**
 * Appends to the same append-only audit log flags use, inside the caller's transaction. A rule's audit entry
 * names its flag, if any, in `note` rather than `flag_key`, so a flag's history (and its version counter,
 * which reads `max(version)` by flag) stays about the flag itself.
 */
export async function appendAlertingAudit(
  tx: Queryable,
  entry: {
    actor: Actor;
    action: AlertingAuditAction;
    environment: string;
    version?: number;
    before?: unknown;
    after?: unknown;
    note: string;
  },
): Promise<void> {
  await tx.query(
    `insert into audit_log (actor, actor_id, action, environment, version, before, after, note)
     values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8)`,
    [
      entry.actor.name,
      entry.actor.id,
      entry.action,
      entry.environment,
      entry.version ?? null,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      entry.note,
    ],
  );
}

/** Audit entries of one rule or channel (by the `id:` prefix of their note), newest first. */
export async function listAlertingAudit(db: Queryable, environment: string, id: string, limit = 100) {
  const rows = await db.query<{
    id: string;
    at: Date;
    actor: string;
    actor_id: string;
    action: string;
    version: number | null;
    before: unknown;
    after: unknown;
  }>(
    `select id::text as id, at, actor, actor_id, action, version, before, after from audit_log
     where environment = $1 and action like any (array['alert_rule.%', 'webhook.%']) and note like $2 order by audit_log.id desc limit $3`,
    [environment, `${id}:%`, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    at: new Date(row.at).toISOString(),
    actor: { id: row.actor_id, name: row.actor },
    action: row.action,
    version: row.version,
    before: row.before,
    after: row.after,
  }));
}
