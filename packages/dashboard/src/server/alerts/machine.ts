import { createHash } from 'node:crypto';
import type { Decision } from './decide';

export const ALERT_STATUSES = ['inactive', 'pending', 'firing', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Where one rule stands on one flag. `incidentSeq` counts incidents, so each gets its own idempotency key. */
export interface AlertState {
  status: AlertStatus;
  /** When the current status began (epoch ms); for `pending`, when the breach began. */
  sinceMs: number;
  incidentSeq: number;
  /** While `firing`: when the condition was last seen to clear, if it has stayed clear since. */
  clearSinceMs?: number;
}

/** The outcome of one evaluation: the next state, whether its status changed, and the page it calls for. */
export interface Step {
  state: AlertState;
  changed: boolean;
  page?: 'trigger' | 'resolve';
}

/** How long a condition must hold each way. */
export interface Timing {
  /** A breach must last this long before it fires (the rule's `for`). */
  forMs: number;
  /** A firing alert resolves once the condition has been clear this long (the rule's `keepFiringFor`). */
  keepFiringForMs: number;
  /**
   * Until then a firing alert ignores a clear condition: after its rollback the window still holds the traffic
   * the rollback acted on, and that traffic thinning out is not the problem going away.
   */
  settleUntilMs?: number;
}

export const INITIAL_STATE: AlertState = { status: 'inactive', sinceMs: 0, incidentSeq: 0 };

/**
 * The alert state machine, Prometheus's semantics (`for`, `keep_firing_for`) plus a record of incidents:
 * a breach starts `pending`; a breach that has lasted `forMs` is `firing` (a new incident, one `trigger` page);
 * an `ok` while pending drops back to `inactive`, because the breach must be continuous; `firing` resolves
 * (one `resolve` page) once every decision for `keepFiringForMs` has been `ok`, so a signal hovering at its
 * threshold stays one incident. "Not enough data" or unavailable figures are no evidence either way: they
 * hold every status as it is, and a firing alert's clear spell, which they cannot extend, starts over at the
 * next `ok` — hours without data between two `ok`s are not hours of the condition being clear.
 * Pure: time comes in as `nowMs`.
 */
export function step(state: AlertState, decision: Decision, nowMs: number, timing: Timing): Step {
  const to = (status: AlertStatus, sinceMs = nowMs, incidentSeq = state.incidentSeq): AlertState => ({ status, sinceMs, incidentSeq });
  const stay: Step = { state, changed: false };
  const fire: Step = { state: to('firing', nowMs, state.incidentSeq + 1), changed: true, page: 'trigger' };
  switch (state.status) {
    case 'inactive':
    case 'resolved':
      if (decision !== 'breach') return stay;
      return timing.forMs <= 0 ? fire : { state: to('pending'), changed: true };
    case 'pending':
      if (decision === 'ok') return { state: to('inactive'), changed: true };
      if (decision !== 'breach' || nowMs - state.sinceMs < timing.forMs) return stay;
      return fire;
    case 'firing': {
      // A breach breaks the clear spell; no evidence ends it unfinished.
      if (decision !== 'ok') return state.clearSinceMs === undefined ? stay : { state: to('firing', state.sinceMs), changed: false };
      if (timing.settleUntilMs !== undefined && nowMs < timing.settleUntilMs) return stay;
      const clearSinceMs = state.clearSinceMs ?? nowMs;
      if (nowMs - clearSinceMs >= timing.keepFiringForMs) return { state: to('resolved'), changed: true, page: 'resolve' };
      return { state: { ...to('firing', state.sinceMs), clearSinceMs }, changed: false };
    }
  }
}

/**
 * The incident's key: the same for its trigger and its resolve, different for the next incident, and derived
 * from stored state only, so a restart recomputes the same key (PagerDuty `dedup_key`, webhook idempotency).
 */
export function incidentKey(ruleId: string, flag: string, incidentSeq: number): string {
  return createHash('sha256').update(`${ruleId}\0${flag}\0${incidentSeq}`).digest('hex').slice(0, 32);
}
