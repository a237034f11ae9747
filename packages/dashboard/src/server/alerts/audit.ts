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
