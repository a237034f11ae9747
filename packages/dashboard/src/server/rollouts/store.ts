import type { Actor } from '../auth/principal';
import type { Queryable } from '../db/database';
import type { GuardrailState, RolloutState, RolloutStatus } from './decide';
import type { RolloutPlan } from './plan';

/** A flag's rollout as stored, with the revision a writer must still see to replace it. */
export interface StoredRollout {
  environment: string;
  flag: string;
  plan: RolloutPlan;
  state: RolloutState;
  revision: number;
  createdMs: number;
  updatedMs: number;
  evaluatedMs: number | null;
  lastDecision: RolloutEvidence | null;
  decisions: Record<string, number>;
}

/** What a decision was made on: stage, weights, hold elapsed, samples and every guardrail's state. */
export interface RolloutEvidence {
  decision: string;
  why: string;
  at: string;
  stage: number;
  toStage: number;
  weights: { candidate: number; control: number };
  nextWeights?: { candidate: number; control: number };
  holdElapsedMs: number;
  holdMs: number | null;
  samples: { candidate: number | null; control: number | null; windowMs: number; minSamples: number | null } | null;
  guardrails: GuardrailState[];
  note?: string;
}

interface RolloutRow {
  environment: string;
  flag: string;
  plan: RolloutPlan;
  status: RolloutStatus;
  stage: number;
  stage_since_ms: string | number;
  revision: number;
  created_ms: string | number;
  updated_ms: string | number;
  evaluated_ms: string | number | null;
  last_decision: RolloutEvidence | null;
  decisions: Record<string, number>;
}

const COLUMNS =
  'environment, flag, plan, status, stage, stage_since_ms, revision, created_ms, updated_ms, evaluated_ms, last_decision, decisions';

const toStored = (row: RolloutRow): StoredRollout => ({
  environment: row.environment,
  flag: row.flag,
  plan: row.plan,
  state: { status: row.status, stage: row.stage, stageSinceMs: Number(row.stage_since_ms) },
  revision: row.revision,
  createdMs: Number(row.created_ms),
  updatedMs: Number(row.updated_ms),
  evaluatedMs: row.evaluated_ms === null ? null : Number(row.evaluated_ms),
  lastDecision: row.last_decision,
  decisions: row.decisions,
});

export async function findRollout(db: Queryable, environment: string, flag: string, lock = false): Promise<StoredRollout | undefined> {
  const rows = await db.query<RolloutRow>(
    `select ${COLUMNS} from rollouts where environment = $1 and flag = $2${lock ? ' for update' : ''}`,
    [environment, flag],
  );
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** Every rollout the controller has to look at. */
export async function runningRollouts(db: Queryable): Promise<StoredRollout[]> {
  const rows = await db.query<RolloutRow>(`select ${COLUMNS} from rollouts where status = 'running' order by environment, flag`);
  return rows.map(toStored);
}

/** Creates or replaces a flag's plan; the rollout starts over (running, before its first stage). */
export async function upsertPlan(
  tx: Queryable,
  environment: string,
  flag: string,
  plan: RolloutPlan,
  nowMs: number,
): Promise<StoredRollout> {
  const rows = await tx.query<RolloutRow>(
    `insert into rollouts (environment, flag, plan, status, stage, stage_since_ms, revision, created_ms, updated_ms)
     values ($1, $2, $3::jsonb, 'running', -1, $4, 1, $4, $4)
     on conflict (environment, flag) do update set plan = excluded.plan, status = 'running', stage = -1, stage_since_ms = excluded.stage_since_ms,
       revision = rollouts.revision + 1, updated_ms = excluded.updated_ms
     returning ${COLUMNS}`,
    [environment, flag, JSON.stringify(plan), nowMs],
  );
  if (!rows[0]) throw new Error('upsert returned no row');
  return toStored(rows[0]);
}

/** Thrown when the rollout changed since it was read (a person acted while the controller decided, or vice versa). */
export class RolloutChanged extends Error {
  override readonly name = 'RolloutChanged';
}

/**
 * Writes the state a decision reached over the revision it read (compare-and-set), keeps the decision as the
 * last one and counts it.
 */
export async function writeRolloutState(
  tx: Queryable,
  previous: StoredRollout,
  next: RolloutState,
  evidence: RolloutEvidence | undefined,
  nowMs: number,
): Promise<void> {
  const rows = evidence
    ? await tx.query(
        `update rollouts set status = $3, stage = $4, stage_since_ms = $5, updated_ms = $6, evaluated_ms = $6, last_decision = $7::jsonb,
           decisions = jsonb_set(decisions, array[$8::text], to_jsonb(coalesce((decisions->>$8::text)::bigint, 0) + 1)), revision = revision + 1
         where environment = $1 and flag = $2 and revision = $9 returning 1`,
        [
          previous.environment,
          previous.flag,
          next.status,
          next.stage,
          next.stageSinceMs,
          nowMs,
          JSON.stringify(evidence),
          evidence.decision,
          previous.revision,
        ],
      )
    : await tx.query(
        `update rollouts set status = $3, stage = $4, stage_since_ms = $5, updated_ms = $6, revision = revision + 1
         where environment = $1 and flag = $2 and revision = $7 returning 1`,
        [previous.environment, previous.flag, next.status, next.stage, next.stageSinceMs, nowMs, previous.revision],
      );
  if (rows.length === 0) throw new RolloutChanged(`the rollout of ${previous.flag} changed since revision ${previous.revision}`);
}

/** Appends one entry to the rollout's decision timeline. */
export async function appendDecision(
  tx: Queryable,
  entry: { environment: string; flag: string; nowMs: number; actor: string; decision: string; stage: number; evidence: RolloutEvidence },
): Promise<void> {
  await tx.query(
    `insert into rollout_decisions (environment, flag, at_ms, actor, decision, stage, evidence) values ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [entry.environment, entry.flag, entry.nowMs, entry.actor, entry.decision, entry.stage, JSON.stringify(entry.evidence)],
  );
}

/** The decision timeline, newest first. */
export async function listDecisions(db: Queryable, environment: string, flag: string, limit: number) {
  const rows = await db.query<{ id: string; at_ms: string; actor: string; decision: string; stage: number; evidence: RolloutEvidence }>(
    `select id::text as id, at_ms, actor, decision, stage, evidence from rollout_decisions where environment = $1 and flag = $2
     order by rollout_decisions.id desc limit $3`,
    [environment, flag, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    at: new Date(Number(row.at_ms)).toISOString(),
    actor: row.actor,
    decision: row.decision,
    stage: row.stage,
    evidence: row.evidence,
  }));
}

/**
 * Every rule gating the flag (its own and the environment's guardrails) with its current alert state, and
 * whether its latest evaluation judged `candidate` (a rule on the split judges every variant at once).
 */
export async function guardrailStates(db: Queryable, environment: string, flag: string, candidate: string): Promise<GuardrailState[]> {
  const rows = await db.query<{
    rule_id: string;
    name: string;
    action: GuardrailState['action'];
    status: GuardrailState['status'] | null;
    judged: boolean;
  }>(
    `select r.id as rule_id, r.definition->>'name' as name, r.definition->>'action' as action, s.status,
       s.rule_id is not null and s.evidence->>'decision' <> 'unavailable' and not exists (
         select 1 from jsonb_array_elements(s.evidence->'measurements') m
         where m->>'decision' = 'insufficient' and m->>'variant' in ($3, 'split')
       ) as judged
     from alert_rules r left join alert_states s on s.rule_id = r.id and s.flag = $2
     where r.environment = $1 and (r.flag = $2 or r.flag is null) order by r.id`,
    [environment, flag, candidate],
  );
  return rows.map((row) => ({
    rule: row.rule_id,
    name: row.name,
    action: row.action,
    status: row.status ?? 'inactive',
    judged: row.judged,
  }));
}

export type RolloutAuditAction = 'rollout.plan' | 'rollout.pause' | 'rollout.resume' | 'rollout.skip' | 'rollout.abort';

/**
 * Audits a person's action on a rollout in the append-only log, inside the caller's transaction. Like alert
 * rules, the flag is named in `note` (`rollout:<flag>: …`), not `flag_key`, so the flag's version counter stays its own.
 */
export async function appendRolloutAudit(
  tx: Queryable,
  entry: { actor: Actor; action: RolloutAuditAction; environment: string; flag: string; before?: unknown; after?: unknown; note?: string },
): Promise<void> {
  await tx.query(
    `insert into audit_log (actor, actor_id, action, environment, before, after, note) values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)`,
    [
      entry.actor.name,
      entry.actor.id,
      entry.action,
      entry.environment,
      entry.before === undefined ? null : JSON.stringify(entry.before),
      entry.after === undefined ? null : JSON.stringify(entry.after),
      `rollout:${entry.flag}: ${entry.note ?? entry.action}`.slice(0, 1024),
    ],
  );
}
