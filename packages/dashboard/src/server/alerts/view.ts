import type { Queryable } from '../db/database';
import { listRules } from './rules';
import { flagAlerts, listAlertDecisions, rolloutHolds } from './state';

/** Decision-record entries kept per rule in the flag's view. */
const DECISIONS_PER_RULE = 20;

/**
 * Everything alerting knows about one flag, as `GET /flags/{key}/alerts` and the flag page show it: the rules
 * that apply (its own and guardrails), each rule's state with its latest decision record, each rule's recent
 * decisions (changes of decision or state, newest first), the alert events, and whether the rollout is held.
 */
export async function flagAlertsView(db: Queryable, environment: string, flag: string, limit: number) {
  const [rules, { states, events }, decisions, holds] = await Promise.all([
    listRules(db, environment, flag),
    flagAlerts(db, environment, flag, limit),
    listAlertDecisions(db, environment, flag, DECISIONS_PER_RULE),
    rolloutHolds(db, environment, flag),
  ]);
  return { rules, states, decisions, events, rolloutHeld: holds.length > 0, holds };
}

export type FlagAlertsView = Awaited<ReturnType<typeof flagAlertsView>>;
