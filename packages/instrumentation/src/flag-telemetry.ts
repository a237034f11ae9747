import type { Context as EvaluationContext, EvaluationDetails, FlagEvaluator, FlagSet } from '@flaglens/evaluator';
import type { FlagSource, Tracker } from '@flaglens/evaluator/openfeature';
import { context } from '@opentelemetry/api';
import { assignmentsIn, contextWithAssignments, requestTallyIn } from './context/active.js';
import { type Assignment, DEFAULT_VARIANT_LABEL } from './context/assignment.js';
import { stampRequestSpans } from './context/stamp.js';
import { assignmentOf, recordEvaluationEvent } from './evaluation/record-evaluation.js';
import { modelLabel } from './inference/labels.js';
import { routeInference } from './inference/route.js';
import type { InferenceResult, InferenceRoute } from './inference/types.js';
import { VariantMetrics, type VariantMetricsOptions } from './metrics/variant-metrics.js';
import { PredictionStore, type PredictionStoreOptions } from './outcomes/prediction-store.js';
import { type ExplicitOutcome, type OutcomeValue, recordOutcome } from './outcomes/record-outcome.js';
import { safely } from './safely.js';
import { DEFAULT_PROVIDER_NAME } from './semconv.js';
import { type ShadowOptions, ShadowRunner } from './shadow/runner.js';

/** Options for {@link FlagTelemetry}. */
export interface FlagTelemetryOptions {
  /** Where flags come from: an evaluator holding a flag set, or a source that keeps one in sync. */
  readonly flags: FlagEvaluator | FlagSource;
  /** The flags a request is routed by; default every flag in the current flag set. */
  readonly routingFlags?: readonly string[];
  /** Existing metrics, or options to create them (registry, label limits, buckets). */
  readonly metrics?: VariantMetrics | VariantMetricsOptions;
  /** Limits of the store that joins outcomes to predictions. */
  readonly predictions?: PredictionStoreOptions;
  /** `feature_flag.provider.name`; default `flaglens`. */
  readonly providerName?: string;
  /** Put the targeting key in `feature_flag.context.id` on evaluation events; off by default, since it identifies a user. */
  readonly recordContextId?: boolean;
  /** Bound on concurrent shadow calls, and sampling randomness. */
  readonly shadow?: ShadowOptions;
}

/** Options for a business event. */
export interface BusinessEventOptions {
  /** A non-negative amount (revenue, items); summed per variant. */
  readonly value?: number;
  /** Flags to attribute the event to; default the routing flags. */
  readonly flags?: readonly string[];
}

/**
 * Flag-aware telemetry for one flag source: request-scoped assignments, routed inference with
 * per-variant metrics, outcomes and business events. `start()` creates one for the process; tests
 * and multi-tenant services create their own.
 *
 * @example
 * const flaglens = new FlagTelemetry({ flags: new FlagEvaluator(flagSet) });
 * const { output, predictionId } = await flaglens.routeInference({ flag: 'ai-model', context, operation: 'classify', models });
 */
export class FlagTelemetry {
  /** The per-variant metrics. */
  readonly metrics: VariantMetrics;
  /** The store joining outcomes to predictions. */
  readonly predictions: PredictionStore;
  /** `feature_flag.provider.name` on spans and events. */
  readonly providerName: string;
  /** Admission of shadow calls (sampling, concurrency bound). */
  readonly shadows: ShadowRunner;
  readonly #evaluator: () => FlagEvaluator;
  readonly #routingFlags: readonly string[] | undefined;
  readonly #recordContextId: boolean;
  #trustedSet: FlagSet | undefined;

  constructor(options: FlagTelemetryOptions) {
    const flags = options.flags;
    this.#evaluator = 'evaluator' in flags ? () => flags.evaluator : () => flags;
    this.metrics = options.metrics instanceof VariantMetrics ? options.metrics : new VariantMetrics(options.metrics);
    this.predictions = new PredictionStore(options.predictions);
    this.providerName = options.providerName ?? DEFAULT_PROVIDER_NAME;
    this.shadows = new ShadowRunner(options.shadow);
    this.#routingFlags = options.routingFlags;
    this.#recordContextId = options.recordContextId ?? false;
  }

  /** The evaluator currently holding the flags. */
  get evaluator(): FlagEvaluator {
    return this.#evaluator();
  }

  /** The flags requests are routed by: the configured ones, else every flag in the current set. */
  routingFlags(): readonly string[] {
    return this.#routingFlags ?? Object.keys(this.evaluator.flagSet?.flags ?? {});
  }

  /**
   * Evaluates one flag for a context and records it: a `feature_flag.evaluation` event on the active
   * span and `flaglens_flag_evaluations_total`. Never throws.
   */
  evaluate(flagKey: string, evaluationContext: EvaluationContext): Assignment {
    this.trustFlagSetLabels();
    const details = evaluateAsDefined(this.evaluator, flagKey, evaluationContext);
    const contextId =
      this.#recordContextId && typeof evaluationContext.targetingKey === 'string' ? evaluationContext.targetingKey : undefined;
    recordEvaluationEvent(details, { providerName: this.providerName, contextId });
    safely(() => this.metrics.evaluation(flagKey, details.variant ?? DEFAULT_VARIANT_LABEL, details.reason));
    return assignmentOf(details);
  }

  /** Evaluates the routing flags (or `flagKeys`) once for a context. */
  assign(evaluationContext: EvaluationContext, flagKeys: readonly string[] = this.routingFlags()): Assignment[] {
    return flagKeys.map((key) => this.evaluate(key, evaluationContext));
  }

  /**
   * Evaluates the routing flags once and runs `fn` with the assignments bound to the OpenTelemetry
   * context: every span inside carries the variants. The active span (say, the HTTP server span)
   * is stamped too.
   *
   * @example
   * app.post('/classify', (req, res) => flaglens.withAssignments({ targetingKey: req.user.id }, () => handle(req, res)));
   */
  withAssignments<T>(evaluationContext: EvaluationContext, fn: () => T, flagKeys?: readonly string[]): T {
    const assignments = this.assign(evaluationContext, flagKeys);
    const bound = contextWithAssignments(context.active(), assignments, this.providerName);
    stampRequestSpans(bound);
    return context.with(bound, fn);
  }

  /** Routes one inference call by a flag; see {@link routeInference}. */
  routeInference<O>(route: InferenceRoute<O>): Promise<InferenceResult<O>> {
    return routeInference(this, route);
  }

  /**
   * Joins ground truth to the prediction it belongs to and records whether it was right (class) or
   * by how much it was off (number). Returns false, counting `flaglens_outcomes_unmatched_total`, when
   * the prediction is unknown, was already judged, expired or was evicted; the explicit form, with
   * flag and variant, works without the store (e.g. for labels that arrive in another process).
   */
  recordOutcome(predictionIdOrOutcome: string | ExplicitOutcome, actual?: OutcomeValue): boolean {
    return recordOutcome(this, predictionIdOrOutcome, actual);
  }

  /**
   * Counts a business event (and sums its value) for the variant of each routing flag the context is
   * on: the assignment bound to the current request if any, else a fresh deterministic evaluation,
   * which gives the same variant in any process. Re-evaluations are not counted as evaluations.
   */
  trackBusinessEvent(event: string, evaluationContext: EvaluationContext, options: BusinessEventOptions = {}): void {
    safely(() => {
      this.trustFlagSetLabels();
      const bound = new Map(assignmentsIn().map((a) => [a.flagKey, a.variant]));
      const tally = requestTallyIn();
      for (const flagKey of options.flags ?? this.routingFlags()) {
        const variant = bound.has(flagKey) ? bound.get(flagKey) : evaluateAsDefined(this.evaluator, flagKey, evaluationContext).variant;
        this.metrics.businessEvent(flagKey, variant ?? DEFAULT_VARIANT_LABEL, event, options.value, tally);
      }
    });
  }

  /**
   * Adds the current flag set's keys, variant names and model names to the label allow-lists, so
   * values that come from the flag definition never count against the cardinality caps. Cheap when
   * the set has not changed since the last call.
   */
  trustFlagSetLabels(): void {
    const set = this.evaluator.flagSet;
    if (!set || set === this.#trustedSet) return;
    this.#trustedSet = set;
    safely(() => {
      const guard = this.metrics.guard;
      guard.allow('flag', Object.keys(set.flags));
      for (const flag of Object.values(set.flags)) {
        const variants = Object.entries(flag.variants);
        guard.allow(
          'variant',
          variants.map(([name]) => name),
        );
        guard.allow(
          'model',
          variants.map(([name, value]) => modelLabel(name, value)),
        );
      }
    });
  }

  /** An OpenFeature tracker: `client.track(event, context, { value })` becomes {@link trackBusinessEvent}. */
  readonly tracker: Tracker = (eventName, evaluationContext, details) => {
    this.trackBusinessEvent(eventName, evaluationContext, details.value === undefined ? {} : { value: details.value });
  };
}

/**
 * Evaluates a flag as the type its definition declares: the wrappers route by variant, so there is
 * no caller default whose type could be checked.
 */
function evaluateAsDefined(evaluator: FlagEvaluator, flagKey: string, evaluationContext: EvaluationContext): EvaluationDetails<unknown> {
  const type = evaluator.flagSet?.flags[flagKey]?.type;
  return evaluator.evaluate<unknown>(flagKey, evaluationContext, undefined, type);
}
