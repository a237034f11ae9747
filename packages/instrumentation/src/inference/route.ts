import { randomUUID } from 'node:crypto';
import type { Context as EvaluationContext, JsonValue } from '@flaglens/evaluator';
import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { assignmentsIn, contextWithAssignments } from '../context/active.js';
import type { Assignment } from '../context/assignment.js';
import type { FlagTelemetry } from '../flag-telemetry.js';
import type { VariantLabels } from '../metrics/variant-metrics.js';
import { safely } from '../safely.js';
import { ERROR_TYPE, FLAGLENS_MODE, FLAGLENS_MODEL, FLAGLENS_PREDICTION_ID } from '../semconv.js';
import { errorType, modelLabel } from './labels.js';

/** The variant a model call is made for. */
export interface ServedVariant {
  /** Variant name. */
  readonly name: string;
  /** The variant's value from the flag (often a model configuration); `undefined` when the flag failed. */
  readonly value: JsonValue | undefined;
  /** The `model` label: the value's `model` field, a string value itself, or the variant name. */
  readonly model: string;
}

/** Calls one variant's model. */
export type ModelCall<O> = (variant: ServedVariant) => O | Promise<O>;

/** What a model predicted, for drift metrics and for joining outcomes. */
export interface PredictionSummary {
  /** A score in [0, 1], such as the top class probability. */
  readonly score?: number;
  /** The predicted class; a bounded set (see the label guard), never free text. */
  readonly class?: string;
  /** A numeric prediction (regression), judged by absolute error when the outcome arrives. */
  readonly value?: number;
}

/** One routed inference call. */
export interface InferenceRoute<O> {
  /** The flag that picks the model. */
  readonly flag: string;
  /** The evaluation context (`targetingKey` and attributes). */
  readonly context: EvaluationContext;
  /** Span name: what the call does (`classify`, `chat`). */
  readonly operation: string;
  /** One call per variant name. */
  readonly models: Readonly<Record<string, ModelCall<O>>>;
  /** Variant whose model runs when the evaluated one has no entry in `models` (or the flag failed); default the first in `models`. */
  readonly fallbackVariant?: string;
  /** Describes the output for prediction metrics and outcomes; omit to record latency and errors only. */
  readonly describe?: (output: O) => PredictionSummary;
}

/** The model's output with what is needed to report its outcome later. */
export interface InferenceResult<O> {
  readonly output: O;
  /** Pass to `recordOutcome` when the ground truth arrives. */
  readonly predictionId: string;
  /** The variant whose model ran. */
  readonly variant: string;
  /** The model label. */
  readonly model: string;
}

/**
 * Evaluates `route.flag` (or reuses the assignment bound to the request), calls that variant's model
 * inside a span named `route.operation`, and records per-variant latency, errors and predictions.
 * The model's error is rethrown unchanged; telemetry failures never reach the caller.
 *
 * @example
 * const { output, predictionId } = await flaglens.routeInference({
 *   flag: 'ai-model', context: { targetingKey: userId }, operation: 'classify',
 *   models: { v1: () => small.classify(text), v2: () => large.classify(text) },
 *   describe: (r) => ({ class: r.label, score: r.confidence }),
 * });
 */
export async function routeInference<O>(telemetry: FlagTelemetry, route: InferenceRoute<O>): Promise<InferenceResult<O>> {
  telemetry.trustFlagSetLabels();
  const assignment = assignmentsIn().find((a) => a.flagKey === route.flag) ?? telemetry.evaluate(route.flag, route.context);
  const [name, call] = pickModel(route, assignment);
  const served: ServedVariant = { name, value: assignment.value, model: modelLabel(name, assignment.value) };
  const labels: VariantLabels = { flag: route.flag, variant: name, model: served.model };
  const predictionId = randomUUID();
  const bound = contextWithAssignments(context.active(), [{ ...assignment, variant: name }], telemetry.providerName);
  const tracer = trace.getTracer('@flaglens/instrumentation');
  const attributes = { [FLAGLENS_MODE]: 'served', [FLAGLENS_MODEL]: served.model, [FLAGLENS_PREDICTION_ID]: predictionId };
  return tracer.startActiveSpan(route.operation, { attributes }, bound, async (span) => {
    const started = performance.now();
    try {
      const output = await call(served);
      const seconds = (performance.now() - started) / 1000;
      safely(() => recordSuccess(telemetry, route, labels, predictionId, output, seconds));
      return { output, predictionId, variant: name, model: served.model };
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      safely(() => recordFailure(telemetry, span, labels, error, seconds));
      throw error;
    } finally {
      span.end();
    }
  });
}

function pickModel<O>(route: InferenceRoute<O>, assignment: Assignment): [string, ModelCall<O>] {
  const variant = assignment.variant;
  if (variant !== undefined && Object.hasOwn(route.models, variant)) return [variant, route.models[variant] as ModelCall<O>];
  const fallback = route.fallbackVariant ?? Object.keys(route.models)[0];
  const call = fallback === undefined ? undefined : route.models[fallback];
  if (fallback === undefined || !call) throw new TypeError(`routeInference: no model for variant ${String(variant)} and no fallback`);
  return [fallback, call];
}

function recordSuccess<O>(
  telemetry: FlagTelemetry,
  route: InferenceRoute<O>,
  labels: VariantLabels,
  predictionId: string,
  output: O,
  seconds: number,
): void {
  telemetry.metrics.inference(labels, 'served', seconds);
  if (!route.describe) return;
  const summary = route.describe(output);
  telemetry.metrics.prediction(labels, 'served', summary);
  const predicted = summary.class ?? summary.value;
  if (predicted !== undefined) telemetry.predictions.put(predictionId, { ...labels, predicted });
}

function recordFailure(telemetry: FlagTelemetry, span: Span, labels: VariantLabels, error: unknown, seconds: number): void {
  const type = errorType(error);
  telemetry.metrics.inference(labels, 'served', seconds, type);
  span.setAttribute(ERROR_TYPE, type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}
