import type { Queryable } from '../db/database';
import type { Decision, Evidence } from './decide';
import type { AlertState, AlertStatus } from './machine';

/** A rule's stored state on one flag, with the revision a writer must still see to replace it. */
export interface StoredState {
  state: AlertState;
  revision: number;
  actionDone: boolean;
  /** While `actionDone`: when the action took effect (epoch ms), e.g. the commit of the rollback's flag write. */
  actionDoneMs?: number;
  /** The decision of the last evaluation, so the decision record keeps changes rather than every repeat. */
  lastDecision: Decision;
}

interface StateRow {
  status: AlertStatus;
  since_ms: string | number;
  incident_seq: number;
  clear_since_ms: string | number | null;
  revision: number;
  action_done: boolean;
  action_done_ms: string | number | null;
  decision: Decision;
}

export async function readState(db: Queryable, ruleId: string, flag: string): Promise<StoredState | undefined> {
  const rows = await db.query<StateRow>(
    `select status, since_ms, incident_seq, clear_since_ms, revision, action_done, action_done_ms, evidence->>'decision' as decision from alert_states
     where rule_id = $1 and flag = $2`,
    [ruleId, flag],
  );
  const row = rows[0];
  if (!row) return undefined;
  return {
    state: {
      status: row.status,
      sinceMs: Number(row.since_ms),
      incidentSeq: row.incident_seq,
      ...(row.clear_since_ms === null ? {} : { clearSinceMs: Number(row.clear_since_ms) }),
    },
    revision: row.revision,
    actionDone: row.action_done,
    ...(row.action_done && row.action_done_ms !== null ? { actionDoneMs: Number(row.action_done_ms) } : {}),
    lastDecision: row.decision,
  };
}

/** Thrown inside a transaction when another evaluator wrote the state first; the whole step is rolled back. */
export class LostRace extends Error {
  override readonly name = 'LostRace';
}

/**
 * Writes the state an evaluation reached, only over the revision it read (compare-and-set), and counts its
 * decision. Two evaluators overlapping during a leadership handover therefore cannot both record a step.
 */
export async function writeState(
  tx: Queryable,
  target: {
    ruleId: string;
    flag: string;
    previous: StoredState | undefined;
    next: AlertState;
    actionDone: boolean;
    evidence: Evidence;
    nowMs: number;
  },
): Promise<void> {
  const { ruleId, flag, previous, next, evidence, nowMs } = target;
  const decision: Decision = evidence.decision;
  const params = [
    ruleId,
    flag,
    next.status,
    next.sinceMs,
    next.incidentSeq,
    target.actionDone,
    nowMs,
    JSON.stringify(evidence),
    decision,
    next.clearSinceMs ?? null,
  ];
  const rows = previous
    ? await tx.query(
        `update alert_states set status = $3, since_ms = $4, incident_seq = $5, action_done = $6, evaluated_ms = $7, evidence = $8::jsonb,
           clear_since_ms = $10, action_done_ms = case when $6 then action_done_ms end,
           decisions = jsonb_set(decisions, array[$9::text], to_jsonb(coalesce((decisions->>$9::text)::bigint, 0) + 1)), revision = revision + 1
         where rule_id = $1 and flag = $2 and revision = $11 returning 1`,
        [...params, previous.revision],
      )
    : await tx.query(
        `insert into alert_states (rule_id, flag, status, since_ms, incident_seq, action_done, evaluated_ms, evidence, decisions, clear_since_ms, revision)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, jsonb_build_object($9::text, 1), $10, 1) on conflict do nothing returning 1`,
        params,
      );
  if (rows.length === 0) throw new LostRace(`alert state of ${ruleId} on ${flag} was written by another evaluator`);
}

/**
 * Share-locks the rule's row at the version the pass read, so an update or delete (which lock it for update and end
 * states it no longer judges) waits for this step or runs before it; throws {@link LostRace} when the rule changed.
 */
export async function holdRule(tx: Queryable, rule: { id: string; version: number }): Promise<void> {
  const rows = await tx.query('select 1 from alert_rules where id = $1 and version = $2 for share', [rule.id, rule.version]);
  if (rows.length === 0) throw new LostRace(`alert rule ${rule.id} changed since version ${rule.version} during the pass`);
}

/**
 * Records the incident's action as done at `effectiveMs`, when it took effect. An action that changed nothing
 * (the flag was already off) keeps the time already recorded, so repeating it does not restart the settle.
 */
export async function markActionDone(
  db: Queryable,
  target: { ruleId: string; flag: string; incidentSeq: number; effectiveMs: number; changed: boolean },
): Promise<void> {
  await db.query(
    `update alert_states set action_done = true,
       action_done_ms = case when $5 or action_done_ms is null then $4 else action_done_ms end
     where rule_id = $1 and flag = $2 and incident_seq = $3`,
    [target.ruleId, target.flag, target.incidentSeq, target.effectiveMs, target.changed],
  );
}

/** Records a transition with its evidence; returns the event id the outbox rows point to. */
export async function appendEvent(
  tx: Queryable,
  event: {
    ruleId: string;
    environment: string;
    flag: string;
    from: AlertStatus;
    to: AlertStatus;
    incidentKey: string | null;
    evidence: Evidence;
    nowMs: number;
  },
): Promise<string> {
  const rows = await tx.query<{ id: string }>(
    `insert into alert_events (at_ms, rule_id, environment, flag, from_status, to_status, incident_key, evidence)
     values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) returning id::text as id`,
    [event.nowMs, event.ruleId, event.environment, event.flag, event.from, event.to, event.incidentKey, JSON.stringify(event.evidence)],
  );
  if (!rows[0]) throw new Error('insert returned no row');
  return rows[0].id;
}

/** Appends one evaluation to the decision record (the caller records changes of decision or status, not repeats). */
export async function appendDecision(
  tx: Queryable,
  entry: { ruleId: string; environment: string; flag: string; status: AlertStatus; evidence: Evidence; nowMs: number },
): Promise<void> {
  await tx.query(
    `insert into alert_decisions (rule_id, environment, flag, at_ms, decision, status, evidence) values ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [entry.ruleId, entry.environment, entry.flag, entry.nowMs, entry.evidence.decision, entry.status, JSON.stringify(entry.evidence)],
  );
}

/** The decision record of every rule on a flag: each rule's latest `perRule` entries, newest first. */
export async function listAlertDecisions(db: Queryable, environment: string, flag: string, perRule: number) {
  const rows = await db.query<{ id: string; rule_id: string; at_ms: string; decision: Decision; status: AlertStatus; evidence: Evidence }>(
    `select id, rule_id, at_ms, decision, status, evidence from (
       select id::text as id, rule_id, at_ms, decision, status, evidence,
         row_number() over (partition by rule_id order by id desc) as n
       from alert_decisions where environment = $1 and flag = $2
     ) d where n <= $3 order by rule_id, id desc`,
    [environment, flag, perRule],
  );
  return rows.map((row) => ({
    id: row.id,
    rule: row.rule_id,
    at: new Date(Number(row.at_ms)).toISOString(),
    decision: row.decision,
    status: row.status,
    evidence: row.evidence,
  }));
}

/** A flag's alert history and the current state of every rule on it, for the flag page and the API. */
export async function flagAlerts(db: Queryable, environment: string, flag: string, limit: number) {
  const states = await db.query<{
    rule_id: string;
    name: string;
    status: AlertStatus;
    since_ms: string;
    evaluated_ms: string;
    evidence: Evidence;
    decisions: Record<string, number>;
  }>(
    `select s.rule_id, r.definition->>'name' as name, s.status, s.since_ms, s.evaluated_ms, s.evidence, s.decisions
     from alert_states s join alert_rules r on r.id = s.rule_id where r.environment = $1 and s.flag = $2 order by s.rule_id`,
    [environment, flag],
  );
  const events = await db.query<{
    id: string;
    at_ms: string;
    rule_id: string;
    from_status: string;
    to_status: string;
    incident_key: string | null;
    evidence: Evidence;
  }>(
    `select id::text as id, at_ms, rule_id, from_status, to_status, incident_key, evidence from alert_events
     where environment = $1 and flag = $2 order by alert_events.id desc limit $3`,
    [environment, flag, limit],
  );
  return {
    states: states.map((s) => ({
      rule: s.rule_id,
      name: s.name,
      status: s.status,
      since: new Date(Number(s.since_ms)).toISOString(),
      evaluatedAt: new Date(Number(s.evaluated_ms)).toISOString(),
      decisions: s.decisions,
      evidence: s.evidence,
    })),
    events: events.map((e) => ({
      id: e.id,
      at: new Date(Number(e.at_ms)).toISOString(),
      rule: e.rule_id,
      from: e.from_status,
      to: e.to_status,
      incident: e.incident_key,
      evidence: e.evidence,
    })),
  };
}

/** Rules holding a flag's rollout: `hold` rules now pending or firing. The rollout controller must not advance past them. */
export async function rolloutHolds(db: Queryable, environment: string, flag: string) {
  return db.query<{ rule_id: string; name: string; status: AlertStatus }>(
    `select s.rule_id, r.definition->>'name' as name, s.status from alert_states s join alert_rules r on r.id = s.rule_id
     where r.environment = $1 and s.flag = $2 and s.status in ('pending', 'firing') and r.definition->>'action' = 'hold'`,
    [environment, flag],
  );
}
