import { type Context, propagation } from '@opentelemetry/api';
import type { Assignment } from './assignment.js';

/** The W3C baggage entry carrying assignments downstream: `flag=variant,flag2=variant2` (percent-encoded by the propagator). */
export const ASSIGNMENTS_BAGGAGE_KEY = 'flaglens.assignments';

// A baggage header is capped at 8192 bytes by W3C; assignments are a small part of it.
const MAX_BAGGAGE_VALUE = 1024;

/** Returns `ctx` with the assignments added to its baggage, so instrumented outgoing calls carry them. */
export function contextWithAssignmentBaggage(ctx: Context, assignments: readonly Assignment[]): Context {
  const value = assignments
    .filter((a) => a.variant !== undefined)
    .map((a) => `${a.flagKey}=${a.variant}`)
    .join(',');
  if (value.length === 0 || value.length > MAX_BAGGAGE_VALUE) return ctx;
  const baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  return propagation.setBaggage(ctx, baggage.setEntry(ASSIGNMENTS_BAGGAGE_KEY, { value }));
}

/** Reads assignments an upstream service put in the baggage of `ctx`; empty when there are none. */
export function assignmentsFromBaggage(ctx: Context): Assignment[] {
  const value = propagation.getBaggage(ctx)?.getEntry(ASSIGNMENTS_BAGGAGE_KEY)?.value;
  if (!value || value.length > MAX_BAGGAGE_VALUE) return [];
  const assignments: Assignment[] = [];
  for (const pair of value.split(',')) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) continue;
    assignments.push({ flagKey: pair.slice(0, at).trim(), variant: pair.slice(at + 1).trim(), reason: 'PROPAGATED' });
  }
  return assignments;
}
