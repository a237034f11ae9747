import type { IncomingMessage } from 'node:http';
import type { Context as EvaluationContext } from '@flaglens/evaluator';
import { type AssignmentMiddlewareOptions, assignmentMiddleware, type Middleware } from './express/middleware.js';
import type { BusinessEventOptions } from './flag-telemetry.js';
import type { InferenceResult, InferenceRoute } from './inference/types.js';
import type { ExplicitOutcome, OutcomeValue } from './outcomes/record-outcome.js';
import { current } from './sdk/current.js';

/** `FlagTelemetry.routeInference` on the started instance. */
export function routeInference<O>(route: InferenceRoute<O>): Promise<InferenceResult<O>> {
  return current().routeInference(route);
}

/** `FlagTelemetry.withAssignments` on the started instance. */
export function withAssignments<T>(evaluationContext: EvaluationContext, fn: () => T, flagKeys?: readonly string[]): T {
  return current().withAssignments(evaluationContext, fn, flagKeys);
}

/** `FlagTelemetry.recordOutcome` on the started instance. */
export function recordOutcome(predictionIdOrOutcome: string | ExplicitOutcome, actual?: OutcomeValue): boolean {
  return current().recordOutcome(predictionIdOrOutcome, actual);
}

/** `FlagTelemetry.trackBusinessEvent` on the started instance. */
export function trackBusinessEvent(event: string, evaluationContext: EvaluationContext, options?: BusinessEventOptions): void {
  current().trackBusinessEvent(event, evaluationContext, options);
}

/**
 * {@link assignmentMiddleware} for the started instance.
 *
 * @example
 * app.use(flaglensMiddleware({ context: (req) => ({ targetingKey: req.get('x-user-id') ?? '' }) }));
 */
export function flaglensMiddleware<Req extends IncomingMessage = IncomingMessage>(
  options: AssignmentMiddlewareOptions<Req>,
): Middleware<Req> {
  return assignmentMiddleware(current(), options);
}
