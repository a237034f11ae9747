import type { Flag } from '@flaglens/evaluator';
import type { FlagKind } from '../flags/metadata';
import { type ServedToEveryone, servedToEveryone } from './serving';

const DAY_MS = 86_400_000;

/** Why a flag is debt. */
export type StaleCode = 'rollout_completed' | 'single_variant' | 'no_code_refs' | 'no_evaluations';

export interface StaleReason {
  code: StaleCode;
  /** Why, in words: "rollout completed 21 days ago". */
  message: string;
  /** Since when the reason holds (ISO 8601). */
  since: string;
}

/** One debt row: the flag, every reason it is stale, and what to do about it (from the strongest reason). */
export interface StaleFlag {
  key: string;
  kind: FlagKind;
  owner: string | null;
  tags: string[];
  createdAt: string;
  reasons: StaleReason[];
  advice: string;
}

/** `GET /api/v1/flags/stale`: flags of one environment that are debt after `days` days, by key. */
export interface StaleReport {
  environment: string;
  days: number;
  generatedAt: string;
  /** Whether each source could be read: without evaluation counts or any code scan those reasons are not judged. */
  checks: { evaluations: 'ok' | 'unavailable'; codeRefs: 'ok' | 'no_scans' };
  flags: StaleFlag[];
}

/** A definition the flag had from `at` on (null: the flag was deleted then), newest first. */
export interface DefinitionChange {
  at: string;
  definition: Flag | null;
}

/** Everything the report judges one flag on; gathered by the service, judged here without I/O. */
export interface FlagFacts {
  key: string;
  kind: FlagKind;
  owner: string | null;
  tags: string[];
  createdAt: string;
  flag: Flag;
  /** The flag's definitions over time, newest first, from its audit trail. */
  history: DefinitionChange[];
  /** Evaluations counted in the window; null when they were not read (the source failed, or the flag is too young). */
  evaluations: number | null;
  /** The flag's references in the environment's code scans. */
  codeRefs: number;
  /** Its guarded rollout, when it completed: when, and the variant it replaced. */
  rolloutCompleted: { atMs: number; control: string; candidate: string } | null;
}

export interface ReportInput {
  environment: string;
  days: number;
  nowMs: number;
  /** Start of the window evaluations were counted over (the day-aligned start at or before `nowMs − days`). */
  evaluationsFromMs: number;
  /** The latest code scan's time, or null when none was ever pushed. */
  lastScanAt: string | null;
  /** False when the metrics source failed: no flag is judged on evaluations then. */
  evaluationsRead: boolean;
  flags: FlagFacts[];
}

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "21 days", "5 hours", "less than an hour". */
export function span(ms: number): string {
  if (ms >= DAY_MS) return plural(Math.floor(ms / DAY_MS), 'day');
  if (ms >= 3_600_000) return plural(Math.floor(ms / 3_600_000), 'hour');
  return 'less than an hour';
}

const quoted = (variant: string | null) => (variant === null ? "the caller's default value" : `"${variant}"`);

/** Since when the flag has served `served` to everyone, walking its history back while it did. */
function servedSince(facts: FlagFacts, served: ServedToEveryone): string {
  let since = facts.createdAt;
  for (const change of facts.history) {
    const then = change.definition === null ? null : servedToEveryone(change.definition);
    if (then === null || then.variant !== served.variant) break;
    since = change.at;
  }
  return since;
}

function reasonsOf(facts: FlagFacts, input: ReportInput): StaleReason[] {
  const { nowMs } = input;
  const thresholdMs = input.days * DAY_MS;
  const oldEnough = nowMs - Date.parse(facts.createdAt) >= thresholdMs;
  const reasons: StaleReason[] = [];
  // Permanent flags are meant to sit on one value for months; only "nobody reads it" applies to them.
  // Once it completed and while the flag is on; a flag turned off since is judged as off below.
  if (facts.kind === 'temporary' && facts.rolloutCompleted && facts.rolloutCompleted.atMs <= nowMs && facts.flag.enabled) {
    const { atMs } = facts.rolloutCompleted;
    reasons.push({
      code: 'rollout_completed',
      message: `rollout completed ${span(nowMs - atMs)} ago`,
      since: new Date(atMs).toISOString(),
    });
  }
  const served = facts.kind === 'temporary' ? servedToEveryone(facts.flag) : null;
  if (served) {
    const since = servedSince(facts, served);
    const heldMs = nowMs - Date.parse(since);
    if (heldMs >= thresholdMs) {
      const message = served.off
        ? `off for ${span(heldMs)}: everyone gets ${quoted(served.variant)}`
        : `served ${quoted(served.variant)} to everyone for ${span(heldMs)}`;
      reasons.push({ code: 'single_variant', message, since });
    }
  }
  // A flag younger than the window has not had the time to be referenced or evaluated.
  if (oldEnough && input.lastScanAt !== null && facts.codeRefs === 0) {
    reasons.push({ code: 'no_code_refs', message: 'no code references in the scanned repositories', since: input.lastScanAt });
  }
  if (oldEnough && facts.evaluations === 0) {
    reasons.push({
      code: 'no_evaluations',
      message: `no evaluations in the last ${plural(input.days, 'day')}`,
      since: new Date(input.evaluationsFromMs).toISOString(),
    });
  }
  return reasons;
}

/** What to do, from the strongest reason (the order of this switch). */
function adviceOf(facts: FlagFacts, reasons: StaleReason[]): string {
  const has = (code: StaleCode) => reasons.some((reason) => reason.code === code);
  if (facts.rolloutCompleted && has('rollout_completed')) {
    const { control, candidate } = facts.rolloutCompleted;
    return `remove the flag and the ${control} code path; ${candidate} is what everyone gets`;
  }
  const served = servedToEveryone(facts.flag);
  if (served && has('single_variant')) {
    return served.variant === null
      ? 'remove the flag and keep the default value its callers pass'
      : `remove the flag and keep only the ${served.variant} code path`;
  }
  if (has('no_code_refs')) return 'no code reads it: archive the flag, then delete it once nobody needs its history';
  return 'no service evaluates it: check that nothing still reads it, then archive the flag';
}

/**
 * Judges every flag against the environment's debt rules at `nowMs` (a parameter, so tests control the
 * clock): temporary flags whose rollout completed, or that have served one variant to everyone for
 * `days`; flags older than `days` that no scanned code references, or that nothing evaluated in `days`.
 */
export function staleReport(input: ReportInput): StaleReport {
  const flags: StaleFlag[] = [];
  for (const facts of input.flags) {
    const reasons = reasonsOf(facts, input);
    if (reasons.length === 0) continue;
    const { key, kind, owner, tags, createdAt } = facts;
    flags.push({ key, kind, owner, tags, createdAt, reasons, advice: adviceOf(facts, reasons) });
  }
  flags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const checks: StaleReport['checks'] = {
    evaluations: input.evaluationsRead ? 'ok' : 'unavailable',
    codeRefs: input.lastScanAt === null ? 'no_scans' : 'ok',
  };
  return { environment: input.environment, days: input.days, generatedAt: new Date(input.nowMs).toISOString(), checks, flags };
}
