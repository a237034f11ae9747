import { type Context, context } from '@opentelemetry/api';
import { assignmentsIn, contextWithAssignments } from '../context/active.js';
import type { Assignment } from '../context/assignment.js';
import type { FlagTelemetry } from '../flag-telemetry.js';
import { newPredictionId } from '../outcomes/prediction-id.js';
import { FLAGLENS_MODE, FLAGLENS_MODEL, FLAGLENS_PREDICTION_ID } from '../semconv.js';
import { scheduleShadow } from '../shadow/schedule.js';
import { callModel } from './call-model.js';
import { modelLabel } from './labels.js';
import type { InferenceResult, InferenceRoute, ModelCall, ServedVariant } from './types.js';

/**
 * Evaluates `route.flag` (or reuses the assignment bound to the request), calls that variant's model
 * inside a span named `route.operation`, and records per-variant latency, errors, predictions and
 * token usage. If the served variant names a shadow, the shadow model runs after the response is
 * handed back (see {@link scheduleShadow}). The model's error is rethrown unchanged; telemetry
 * failures never reach the caller.
 *
 * @example
 * const { output, predictionId } = await flaglens.routeInference({
 *   flag: 'ai-model', context: { targetingKey: userId }, operation: 'classify',
 *   models: { v1: () => small.classify(text), v2: () => large.classify(text) },
 *   describe: (r) => ({ class: r.label, score: r.confidence }),
 * });
 */
export function routeInference<O>(telemetry: FlagTelemetry, route: InferenceRoute<O>): Promise<InferenceResult<O>> {
  try {
    telemetry.trustFlagSetLabels();
    const request = context.active();
    const assignment = boundAssignment(request, route.flag) ?? telemetry.evaluate(route.flag, route.context);
    const [name, call] = pickModel(route, assignment);
    const served: ServedVariant = { name, value: assignment.value, model: modelLabel(name, assignment.value) };
    const predictionId = newPredictionId();
    const attributes = { [FLAGLENS_MODE]: 'served', [FLAGLENS_MODEL]: served.model, [FLAGLENS_PREDICTION_ID]: predictionId };
    const parent = withRoutedVariant(telemetry, request, assignment, name);
    return callModel(telemetry, route, served, call, { mode: 'served', parent, span: { attributes } }, (outcome) => {
      try {
        if (outcome.ok) {
          const predicted = outcome.summary?.class ?? outcome.summary?.value;
          if (predicted !== undefined) {
            const slices = telemetry.metrics.outcomes.slicesOf(route.context);
            telemetry.predictions.put(predictionId, { flag: route.flag, variant: name, model: served.model, predicted, slices });
          }
        }
        scheduleShadow(telemetry, route, served, outcome, request, predictionId);
      } catch {
        // The caller gets its answer whatever happens to the bookkeeping.
      }
      if (!outcome.ok) throw outcome.error;
      return { output: outcome.output, predictionId, variant: name, model: served.model };
    });
  } catch (error) {
    // Before the call (no model for the variant): a rejected promise, as from any async function.
    return Promise.reject(error);
  }
}

function boundAssignment(ctx: Context, flag: string): Assignment | undefined {
  const bound = assignmentsIn(ctx);
  for (let i = bound.length - 1; i >= 0; i--) if (bound[i]?.flagKey === flag) return bound[i];
  return undefined;
}

/**
 * The request context with the routed flag innermost and naming the variant that actually runs (the
 * fallback, when the assigned one has no model). Reuses the request context when that already holds,
 * which is the common case under the middleware and saves rebuilding the span attributes per call.
 */
function withRoutedVariant(telemetry: FlagTelemetry, request: Context, assignment: Assignment, name: string): Context {
  const innermost = assignmentsIn(request).at(-1);
  if (innermost?.flagKey === assignment.flagKey && innermost.variant === name) return request;
  return contextWithAssignments(request, [{ ...assignment, variant: name }], telemetry.providerName);
}

function pickModel<O>(route: InferenceRoute<O>, assignment: Assignment): [string, ModelCall<O>] {
  const variant = assignment.variant;
  if (variant !== undefined && Object.hasOwn(route.models, variant)) return [variant, route.models[variant] as ModelCall<O>];
  const fallback = route.fallbackVariant ?? Object.keys(route.models)[0];
  const call = fallback === undefined ? undefined : route.models[fallback];
  if (fallback === undefined || !call) throw new TypeError(`routeInference: no model for variant ${String(variant)} and no fallback`);
  return [fallback, call];
}
