import type { Queryable } from '../db/database';
import type { AlertNotification } from '../webhooks/formats';
import { enqueue } from '../webhooks/outbox';
import type { Evidence } from './decide';
import { incidentKey } from './machine';
import type { AlertRule } from './rule';
import { appendEvent } from './state';

/** The notification of one page of an incident; links start at `publicUrl` (FLAGLENS_URL; empty gives relative links). */
export function alertNotification(
  publicUrl: string,
  rule: AlertRule,
  page: { flag: string; incidentSeq: number; phase: 'trigger' | 'resolve'; evidence: Evidence },
): AlertNotification {
  const { flag, phase, evidence } = page;
  const incident = incidentKey(rule.id, flag, page.incidentSeq);
  const d = rule.definition;
  const n: AlertNotification = {
    version: 1,
    id: `${incident}:${phase}`,
    phase,
    incident,
    status: phase === 'trigger' ? 'firing' : 'resolved',
    at: evidence.evaluatedAt,
    flag: { environment: rule.environment, key: flag },
    rule: { id: rule.id, name: d.name, kind: rule.kind, severity: d.severity, action: d.action, scope: d.scope },
    evidence,
    links: {
      flag: `${publicUrl}/flags/${encodeURIComponent(flag)}`,
      alerts: `${publicUrl}/api/v1/flags/${encodeURIComponent(flag)}/alerts`,
    },
  };
  if (evidence.slices) n.slicesFired = evidence.slices.fired;
  return n;
}

/**
 * Queues a page in the caller's transaction (the one recording `eventId`). A trigger goes to the rule's
 * channels; a resolve goes to every channel its incident's trigger went to, whether or not the rule still names
 * it, since a pager holding the incident open needs the resolve. Deleted channels get neither. The channel rows
 * are share-locked, so a channel deleted meanwhile (which cancels its pending deliveries) is waited for, not missed.
 */
export async function queuePage(tx: Queryable, rule: AlertRule, n: AlertNotification, eventId: string, nowMs: number): Promise<void> {
  const live =
    n.phase === 'resolve'
      ? await tx.query<{ id: string }>(
          `select c.id from webhook_channels c where c.deleted_at is null
           and exists (select 1 from webhook_outbox o where o.channel_id = c.id and o.idempotency_key = $1) for share`,
          [triggerKey(n.incident)],
        )
      : await tx.query<{ id: string }>('select id from webhook_channels where deleted_at is null and id = any($1) for share', [
          rule.definition.channels,
        ]);
  await enqueue(
    tx,
    live.map((row) => row.id),
    n,
    eventId,
    nowMs,
  );
}

const triggerKey = (incident: string) => `${incident}:trigger`;

/**
 * Pages the trigger of a firing incident to the rule's channels that have not had it (added to the rule since it
 * fired), with the evidence it fired on, as Alertmanager notifies a new receiver of alerts already firing; they
 * then get its resolve too. In the caller's transaction. Returns how many channels it paged.
 */
export async function pageAddedChannels(
  tx: Queryable,
  rule: AlertRule,
  incident: { flag: string; incidentSeq: number },
  context: { nowMs: number; publicUrl: string },
): Promise<number> {
  if (rule.definition.channels.length === 0) return 0;
  const key = incidentKey(rule.id, incident.flag, incident.incidentSeq);
  const added = await tx.query<{ id: string }>(
    `select c.id from webhook_channels c where c.deleted_at is null and c.id = any($1)
     and not exists (select 1 from webhook_outbox o where o.channel_id = c.id and o.idempotency_key = $2) for share`,
    [rule.definition.channels, triggerKey(key)],
  );
  if (added.length === 0) return 0;
  const [fired] = await tx.query<{ id: string; evidence: Evidence }>(
    `select id::text as id, evidence from alert_events where environment = $1 and flag = $2 and incident_key = $3 and to_status = 'firing'
     order by id limit 1`,
    [rule.environment, incident.flag, key],
  );
  if (!fired) return 0;
  const n = alertNotification(context.publicUrl, rule, { ...incident, phase: 'trigger', evidence: fired.evidence });
  await enqueue(
    tx,
    added.map((row) => row.id),
    n,
    fired.id,
    context.nowMs,
  );
  return added.length;
}

/**
 * Ends the rule's state on every flag it no longer judges (`stillJudges` false; every flag when the rule is
 * deleted): a firing incident resolves with its page, as Prometheus resolves the alerts of a removed rule,
 * so no pager keeps an incident nobody will ever close; the state rows go. In the caller's transaction.
 * Returns how many incidents it resolved.
 */
export async function retireStates(
  tx: Queryable,
  rule: AlertRule,
  stillJudges: (flag: string) => boolean,
  context: { nowMs: number; publicUrl: string; why: string },
): Promise<number> {
  const states = await tx.query<{ flag: string; status: string; incident_seq: number; evidence: Evidence }>(
    'select flag, status, incident_seq, evidence from alert_states where rule_id = $1 for update',
    [rule.id],
  );
  let resolved = 0;
  for (const state of states) {
    if (stillJudges(state.flag)) continue;
    await tx.query('delete from alert_states where rule_id = $1 and flag = $2', [rule.id, state.flag]);
    if (state.status !== 'firing') continue;
    const evidence: Evidence = { ...state.evidence, summary: context.why, evaluatedAt: new Date(context.nowMs).toISOString() };
    const incidentSeq = state.incident_seq;
    const eventId = await appendEvent(tx, {
      ruleId: rule.id,
      environment: rule.environment,
      flag: state.flag,
      from: 'firing',
      to: 'resolved',
      incidentKey: incidentKey(rule.id, state.flag, incidentSeq),
      evidence,
      nowMs: context.nowMs,
    });
    const n = alertNotification(context.publicUrl, rule, { flag: state.flag, incidentSeq, phase: 'resolve', evidence });
    await queuePage(tx, rule, n, eventId, context.nowMs);
    resolved += 1;
  }
  return resolved;
}
