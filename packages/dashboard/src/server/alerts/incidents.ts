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

/** Queues a page to the rule's channels that still exist, in the caller's transaction (the one recording `eventId`). */
export async function queuePage(tx: Queryable, rule: AlertRule, n: AlertNotification, eventId: string, nowMs: number): Promise<void> {
  const live = await tx.query<{ id: string }>('select id from webhook_channels where deleted_at is null and id = any($1)', [
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
