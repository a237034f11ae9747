import type { Comparison } from '../analysis/types';
import type { Database } from '../db/database';
import { rollbackFlag } from '../flags/service';
import type { ControlPlane } from '../plane';
import { decide } from './decide';
import { alertNotification, pageAddedChannels, queuePage, retireStates } from './incidents';
import { INITIAL_STATE, incidentKey, step } from './machine';
import type { AlertRule } from './rule';
import { durationMs, keepFiringForMs } from './rule';
import { listAllRules } from './rules';
import { appendDecision, appendEvent, holdRule, LostRace, markActionDone, readState, writeState } from './state';

/** The figures of one flag over a window, as `GET /flags/{key}/compare` computes them. Injected, so the engine does not depend on the metrics source. */
export type CompareFn = (flag: string, windowMs: number, environment: string) => Promise<Comparison>;

export interface EvaluationContext {
  plane: Pick<ControlPlane, 'db' | 'feed'>;
  compare: CompareFn;
  now(): number;
  /** Base of the links in notifications (FLAGLENS_URL); empty gives relative links. */
  publicUrl: string;
}

const MINUTE_MS = 60_000;

/** What one pass did, for logs and tests. */
export interface PassSummary {
  evaluated: number;
  transitions: number;
  pages: number;
  rollbacks: number;
}

async function flagsOf(db: Database, environment: string): Promise<string[]> {
  // Archived flags serve nobody, so guardrails leave them alone.
  const rows = await db.query<{ key: string }>('select key from flags where environment = $1 and archived_at is null order by key', [
    environment,
  ]);
  return rows.map((row) => row.key);
}

/** A guardrail's states on flags it judges no more (archived or deleted since) end; a firing incident there resolves. */
async function retireLeftFlags(ctx: EvaluationContext, rule: AlertRule, flags: readonly string[], summary: PassSummary) {
  const judged = new Set(flags);
  const states = await ctx.plane.db.query<{ flag: string }>('select flag from alert_states where rule_id = $1', [rule.id]);
  if (states.every((state) => judged.has(state.flag))) return;
  const context = { nowMs: ctx.now(), publicUrl: ctx.publicUrl, why: 'the flag was archived or deleted' };
  const resolved = await ctx.plane.db.transaction((tx) => retireStates(tx, rule, (flag) => judged.has(flag), context));
  summary.transitions += resolved;
  summary.pages += resolved;
}

/** Evaluates one rule on one flag: decide, step the state machine, and record it all in one transaction. */
async function evaluateOne(ctx: EvaluationContext, rule: AlertRule, flag: string, comparison: Comparison | Error, summary: PassSummary) {
  const { db } = ctx.plane;
  const nowMs = ctx.now();
  const previous = await readState(db, rule.id, flag);
  const evidence = decide(rule.definition, comparison, new Date(nowMs));
  const state = previous?.state ?? INITIAL_STATE;
  // Once the incident's rollback is done, its window must first pass the rollback (when its flag write took
  // effect, which retries may have put long after the firing) before a clear condition counts; the compared
  // window is whole minutes starting at the minute boundary before `now - window`.
  const rolledBackMs = state.status === 'firing' && rule.definition.action === 'rollback' ? previous?.actionDoneMs : undefined;
  const windowSpanMs = (Math.ceil(durationMs(rule.definition.window) / MINUTE_MS) + 1) * MINUTE_MS;
  const settleUntilMs = rolledBackMs === undefined ? undefined : rolledBackMs + windowSpanMs;
  const stepped = step(state, evidence.decision, nowMs, {
    forMs: durationMs(rule.definition.for),
    keepFiringForMs: keepFiringForMs(rule.definition),
    settleUntilMs,
  });
  // A new incident owes its action afresh; otherwise whatever was done stays done.
  const actionDone = stepped.page === 'trigger' ? false : (previous?.actionDone ?? false);
  let paged = stepped.page !== undefined;
  try {
    await db.transaction(async (tx) => {
      // A pass that read the rule before an edit or delete must not write a state the edit has already ended.
      await holdRule(tx, rule);
      await writeState(tx, { ruleId: rule.id, flag, previous, next: stepped.state, actionDone, evidence, nowMs });
      if (stepped.changed || previous?.lastDecision !== evidence.decision) {
        await appendDecision(tx, { ruleId: rule.id, environment: rule.environment, flag, status: stepped.state.status, evidence, nowMs });
      }
      if (stepped.state.status === 'firing' && !stepped.page) {
        const incident = { flag, incidentSeq: stepped.state.incidentSeq };
        paged = (await pageAddedChannels(tx, rule, incident, { nowMs, publicUrl: ctx.publicUrl })) > 0;
      }
      if (!stepped.changed) return;
      const from = previous?.state.status ?? 'inactive';
      const key = stepped.state.incidentSeq > 0 ? incidentKey(rule.id, flag, stepped.state.incidentSeq) : null;
      const eventId = await appendEvent(tx, {
        ruleId: rule.id,
        environment: rule.environment,
        flag,
        from,
        to: stepped.state.status,
        incidentKey: key,
        evidence,
        nowMs,
      });
      if (!stepped.page) return;
      const page = { flag, incidentSeq: stepped.state.incidentSeq, phase: stepped.page, evidence };
      await queuePage(tx, rule, alertNotification(ctx.publicUrl, rule, page), eventId, nowMs);
    });
  } catch (error) {
    if (error instanceof LostRace) return;
    throw error;
  }
  summary.evaluated += 1;
  if (stepped.changed) summary.transitions += 1;
  if (paged) summary.pages += 1;
  // After the commit, and retried on every pass until done: a crash between the page and the rollback
  // leaves `action_done` false, so the next leader rolls back. Done, it is owed again by a breach once the window
  // holds only traffic since: the flag was switched back on and the candidate still breaches (a no-op while off).
  const breachSinceRollback = settleUntilMs !== undefined && nowMs >= settleUntilMs && evidence.decision === 'breach';
  if (stepped.state.status === 'firing' && rule.definition.action === 'rollback' && (!actionDone || breachSinceRollback)) {
    const actor = { id: `alert:${rule.id}`, name: `alert:${rule.definition.name}` };
    const reason = `alert ${rule.definition.name} fired: ${evidence.summary}`.slice(0, 1024);
    const { changed } = await rollbackFlag(ctx.plane, { environment: rule.environment, key: flag, actor, reason });
    // The engine's clock once the write has committed: when the rollback took effect.
    await markActionDone(db, { ruleId: rule.id, flag, incidentSeq: stepped.state.incidentSeq, effectiveMs: ctx.now(), changed });
    if (changed) summary.rollbacks += 1;
  }
}

/**
 * One pass over every rule: a flag's own rules against that flag, guardrails against every flag of their
 * environment. Each flag's comparison is computed once per window per pass. One rule failing does not stop the others.
 */
export async function evaluatePass(ctx: EvaluationContext): Promise<PassSummary> {
  const { db } = ctx.plane;
  const summary: PassSummary = { evaluated: 0, transitions: 0, pages: 0, rollbacks: 0 };
  const rules = await listAllRules(db);
  const flagsByEnvironment = new Map<string, Promise<string[]>>();
  const comparisons = new Map<string, Promise<Comparison | Error>>();
  const comparisonOf = (environment: string, flag: string, windowMs: number) => {
    const key = `${environment}\0${flag}\0${windowMs}`;
    let found = comparisons.get(key);
    if (!found) {
      found = ctx
        .compare(flag, windowMs, environment)
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
      comparisons.set(key, found);
    }
    return found;
  };
  for (const rule of rules) {
    let flags: string[];
    if (rule.definition.flag) flags = [rule.definition.flag];
    else {
      let pending = flagsByEnvironment.get(rule.environment);
      if (!pending) {
        pending = flagsOf(db, rule.environment);
        flagsByEnvironment.set(rule.environment, pending);
      }
      flags = await pending;
      await retireLeftFlags(ctx, rule, flags, summary).catch((error: unknown) =>
        console.error(`flaglens: alert rule ${rule.id} could not end its states on flags it no longer judges`, error),
      );
    }
    for (const flag of flags) {
      try {
        await evaluateOne(ctx, rule, flag, await comparisonOf(rule.environment, flag, durationMs(rule.definition.window)), summary);
      } catch (error) {
        console.error(`flaglens: alert rule ${rule.id} on ${flag} failed to evaluate`, error);
      }
    }
  }
  return summary;
}
