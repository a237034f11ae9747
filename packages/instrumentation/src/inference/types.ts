import type { Context as EvaluationContext, JsonValue } from '@flaglens/evaluator';
import type { TokenUsage } from '../llm/usage.js';

/** The variant a model call is made for. */
export interface ServedVariant {
  /** Variant name. */
  readonly name: string;
  /** The variant's value from the flag (often a model configuration); `undefined` when the flag failed. */
  readonly value: JsonValue | undefined;
  /** The `model` label: the value's `model` field, a string value itself, or the variant name. */
  readonly model: string;
}

/** What a model call can report while it runs. */
export interface ModelCallReport {
  /**
   * Reports language-model token usage (summed if called several times, e.g. once per step of an
   * agent loop). Call it before the model call settles: later reports miss the span.
   */
  reportUsage(usage: TokenUsage): void;
}

/** Calls one variant's model. */
export type ModelCall<O> = (variant: ServedVariant, report: ModelCallReport) => O | Promise<O>;

/** What a model predicted, for drift metrics, outcomes and shadow agreement. */
export interface PredictionSummary {
  /** A score in [0, 1], such as the top class probability. */
  readonly score?: number;
  /** The predicted class; a bounded set (see the label guard), never free text. */
  readonly class?: string;
  /** A numeric prediction (regression), judged by absolute error when the outcome arrives. */
  readonly value?: number;
  /** Token usage of a language-model call, when the output carries it (as most provider responses do). */
  readonly usage?: TokenUsage;
}

/** A shadow named in code, for flags whose variant values cannot carry one (string or number flags). */
export interface ShadowChoice {
  /** The variant whose model runs in the shadow of the served one. */
  readonly variant: string;
  /** Share of calls that also run the shadow, in [0, 1]; default 1. */
  readonly sampleRate?: number;
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
  /** Describes the output for prediction metrics, outcomes, shadow agreement and token usage; omit to record latency and errors only. */
  readonly describe?: (output: O) => PredictionSummary;
  /** The shadow to run when the served variant's configuration names none (see the README's "Shadow runs"). */
  readonly shadow?: ShadowChoice;
  /** Whether a shadow output agrees with the served one; default: equal `class`es from `describe`. */
  readonly agree?: (served: O, shadow: O) => boolean;
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
