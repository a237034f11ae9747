import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context as EvaluationContext } from '@flaglens/evaluator';
import { type Context, context } from '@opentelemetry/api';
import { contextWithAssignments } from '../context/active.js';
import type { Assignment } from '../context/assignment.js';
import { assignmentsFromBaggage, contextWithAssignmentBaggage } from '../context/baggage.js';
import { stampRequestSpans } from '../context/stamp.js';
import type { FlagTelemetry } from '../flag-telemetry.js';
import { safely } from '../safely.js';

/** Options for {@link assignmentMiddleware}. */
export interface AssignmentMiddlewareOptions<Req extends IncomingMessage> {
  /** The evaluation context of a request, e.g. `(req) => ({ targetingKey: req.user.id, plan: req.user.plan })`. */
  readonly context: (req: Req) => EvaluationContext;
  /** Flags to evaluate; default the routing flags. */
  readonly flags?: readonly string[];
  /** Add the assignments to W3C baggage so instrumented outgoing calls carry them downstream. Off by default. */
  readonly propagate?: boolean;
  /**
   * Take assignments from incoming baggage instead of evaluating (for a downstream service). Off by
   * default: enable it only behind a trusted edge, since a client could otherwise pick its own variant.
   * Only variants that exist in the local flag set are accepted.
   */
  readonly acceptBaggage?: boolean;
}

/** A connect/express-style middleware. */
export type Middleware<Req extends IncomingMessage> = (req: Req, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Express (or any connect-style) middleware that evaluates the routing flags once per request and
 * binds them to the OpenTelemetry context for the rest of the request: the server span and every
 * span started while handling it carry the variants. A failing `context` callback or evaluation
 * never fails the request; it then goes on without assignments.
 *
 * @example
 * app.use(assignmentMiddleware(flaglens, { context: (req) => ({ targetingKey: String(req.headers['x-user-id']) }) }));
 */
export function assignmentMiddleware<Req extends IncomingMessage = IncomingMessage>(
  telemetry: FlagTelemetry,
  options: AssignmentMiddlewareOptions<Req>,
): Middleware<Req> {
  return (req, _res, next) => {
    let bound = context.active();
    safely(() => {
      const flagKeys = options.flags ?? telemetry.routingFlags();
      const propagated = options.acceptBaggage ? fromBaggage(telemetry, flagKeys, bound) : [];
      const missing = flagKeys.filter((key) => !propagated.some((a) => a.flagKey === key));
      const evaluated = missing.length > 0 ? telemetry.assign(options.context(req), missing) : [];
      const assignments = [...propagated, ...evaluated];
      bound = contextWithAssignments(bound, assignments, telemetry.providerName);
      if (options.propagate) bound = contextWithAssignmentBaggage(bound, assignments);
      stampRequestSpans(bound);
    });
    context.with(bound, next);
  };
}

/** Upstream assignments for the wanted flags whose variant exists here, with the local variant value. */
function fromBaggage(telemetry: FlagTelemetry, flagKeys: readonly string[], ctx: Context): Assignment[] {
  const flags = telemetry.evaluator.flagSet?.flags ?? {};
  return assignmentsFromBaggage(ctx).flatMap((a) => {
    const flag = flags[a.flagKey];
    if (!flagKeys.includes(a.flagKey) || !flag || a.variant === undefined || !Object.hasOwn(flag.variants, a.variant)) return [];
    return [{ ...a, value: flag.variants[a.variant] }];
  });
}
