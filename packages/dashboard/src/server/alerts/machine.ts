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
}

/** The outcome of one evaluation: the next state, whether it changed, and the page it calls for. */
export interface Step {
  state: AlertState;
  changed: boolean;
  page?: 'trigger' | 'resolve';
}

export const INITIAL_STATE: AlertState = { status: 'inactive', sinceMs: 0, incidentSeq: 0 };

/**
 * The alert state machine, Prometheus's semantics plus a record of incidents:
 * a breach starts `pending`; a breach that has lasted `forMs` is `firing` (a new incident, one `trigger` page);
 * any non-breach while pending drops back to `inactive`, because the breach must be continuous;
 * `firing` ends only on an `ok` — no data is not evidence the problem went away — with one `resolve` page.
 * Pure: time comes in as `nowMs`.
 */
export function step(state: AlertState, decision: Decision, nowMs: number, forMs: number): Step {
  const to = (status: AlertStatus, sinceMs = nowMs, incidentSeq = state.incidentSeq): AlertState => ({ status, sinceMs, incidentSeq });
  const stay: Step = { state, changed: false };
  switch (state.status) {
    case 'inactive':
    case 'resolved':
      if (decision !== 'breach') return stay;
      if (forMs <= 0) return { state: to('firing', nowMs, state.incidentSeq + 1), changed: true, page: 'trigger' };
      return { state: to('pending'), changed: true };
    case 'pending':
      if (decision !== 'breach') return { state: to('inactive'), changed: true };
      if (nowMs - state.sinceMs < forMs) return stay;
      return { state: to('firing', nowMs, state.incidentSeq + 1), changed: true, page: 'trigger' };
    case 'firing':
      if (decision !== 'ok') return stay;
      return { state: to('resolved'), changed: true, page: 'resolve' };
  }
}

/**
 * The incident's key: the same for its trigger and its resolve, different for the next incident, and derived
 * from stored state only, so a restart recomputes the same key (PagerDuty `dedup_key`, webhook idempotency).
 */
export function incidentKey(ruleId: string, flag: string, incidentSeq: number): string {
  return createHash('sha256').update(`${ruleId}\0${flag}\0${incidentSeq}`).digest('hex').slice(0, 32);
}
