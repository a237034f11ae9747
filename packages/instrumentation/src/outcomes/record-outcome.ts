import type { FlagTelemetry } from '../flag-telemetry.js';
import type { JudgedOutcome, OutcomeSlices } from '../metrics/outcome-metrics.js';
import type { Mode } from '../metrics/variant-labels.js';
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
  /** Whether the prediction came from the served call (default) or a shadow run. */
  readonly mode?: Mode;
  /** Declared slice attributes of the request (see `sliceLabels`); others are ignored. */
  readonly slices?: OutcomeSlices;
}

/** Records an outcome; see {@link FlagTelemetry.recordOutcome}. Never throws. */
export function recordOutcome(telemetry: FlagTelemetry, predictionIdOrOutcome: string | ExplicitOutcome, actual?: OutcomeValue): boolean {
  const metrics = telemetry.metrics;
  try {
    if (typeof predictionIdOrOutcome !== 'string') {
      const o = predictionIdOrOutcome;
      const labels = { flag: o.flag, variant: o.variant, model: o.model ?? o.variant };
      metrics.outcome(labels, judge(o.predicted, o.actual), { mode: o.mode ?? 'served', slices: o.slices });
      return true;
    }
    const stored = telemetry.predictions.take(predictionIdOrOutcome);
    if (!stored || stored.predicted === undefined || actual === undefined) {
      metrics.unmatchedOutcome();
      return false;
    }
    metrics.outcome(labelsOf(stored), judge(stored.predicted, actual), { slices: stored.slices });
    // The same ground truth judges every shadow that predicted this input.
    for (const shadow of stored.shadows ?? []) {
      if (shadow.predicted !== undefined)
        metrics.outcome(labelsOf(shadow), judge(shadow.predicted, actual), { mode: 'shadow', slices: stored.slices });
    }
    return true;
  } catch {
    return false;
  }
}

/** Numbers are judged by absolute error; anything else by equality of its string form, keeping both classes. */
export function judge(predicted: OutcomeValue, actual: OutcomeValue): JudgedOutcome {
  if (typeof predicted === 'number' && typeof actual === 'number') return { absoluteError: Math.abs(predicted - actual) };
  const predictedClass = String(predicted);
  const actualClass = String(actual);
  return { correct: predictedClass === actualClass, predictedClass, actualClass };
}

function labelsOf(stored: StoredPrediction): { flag: string; variant: string; model: string } {
  return { flag: stored.flag, variant: stored.variant, model: stored.model };
}
