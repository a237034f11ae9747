import type { FlagTelemetry } from '../flag-telemetry.js';
import type { StoredPrediction } from './prediction-store.js';

/** Ground truth: a class (string or boolean) or a number. */
export type OutcomeValue = string | number | boolean;

/** An outcome that names its variant itself, for when the prediction is not in this process's store. */
export interface ExplicitOutcome {
  readonly flag: string;
  readonly variant: string;
  /** Model label; defaults to the variant. */
  readonly model?: string;
  /** What was predicted. */
  readonly predicted: OutcomeValue;
  /** What turned out to be true. */
  readonly actual: OutcomeValue;
}

/** Records an outcome; see {@link FlagTelemetry.recordOutcome}. Never throws. */
export function recordOutcome(telemetry: FlagTelemetry, predictionIdOrOutcome: string | ExplicitOutcome, actual?: OutcomeValue): boolean {
  const metrics = telemetry.metrics;
  try {
    if (typeof predictionIdOrOutcome !== 'string') {
      const o = predictionIdOrOutcome;
      metrics.outcome({ flag: o.flag, variant: o.variant, model: o.model ?? o.variant }, judge(o.predicted, o.actual));
      return true;
    }
    const stored = telemetry.predictions.take(predictionIdOrOutcome);
    if (!stored || stored.predicted === undefined || actual === undefined) {
      metrics.unmatchedOutcome();
      return false;
    }
    metrics.outcome(labelsOf(stored), judge(stored.predicted, actual));
    return true;
  } catch {
    return false;
  }
}

/** Numbers are judged by absolute error; anything else by equality of its string form. */
export function judge(predicted: OutcomeValue, actual: OutcomeValue): { correct?: boolean; absoluteError?: number } {
  if (typeof predicted === 'number' && typeof actual === 'number') return { absoluteError: Math.abs(predicted - actual) };
  return { correct: String(predicted) === String(actual) };
}

function labelsOf(stored: StoredPrediction): { flag: string; variant: string; model: string } {
  return { flag: stored.flag, variant: stored.variant, model: stored.model };
}
