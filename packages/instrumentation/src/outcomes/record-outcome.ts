import type { FlagTelemetry } from '../flag-telemetry.js';
import type { JudgedOutcome, OutcomeSlices } from '../metrics/outcome-metrics.js';
import type { Mode } from '../metrics/variant-labels.js';
import { safely } from '../safely.js';
import type { LateTruth, StoredPrediction } from './prediction-store.js';

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
      // Outcomes from another process may be all this one records: the set's names must not wait for an evaluation.
      telemetry.trustFlagSetLabels();
      const o = predictionIdOrOutcome;
      const labels = { flag: o.flag, variant: o.variant, model: o.model ?? o.variant };
      metrics.outcome(labels, judge(o.predicted, o.actual), { mode: o.mode ?? 'served', slices: o.slices });
      return true;
    }
    // Without a truth the prediction stays for the call that brings one.
    const stored = actual === undefined ? undefined : telemetry.predictions.take(predictionIdOrOutcome, actual);
    if (!stored || stored.predicted === undefined || actual === undefined) {
      metrics.unmatchedOutcome();
      return false;
    }
    metrics.outcome(labelsOf(stored), judge(stored.predicted, actual), { slices: stored.slices });
    // The same ground truth judges every shadow that predicted this input; those still running, when they finish.
    for (const shadow of stored.shadows ?? []) judgeShadow(telemetry, shadow, { actual, slices: stored.slices });
    return true;
  } catch {
    return false;
  }
}

/**
 * A finished shadow run of the input `predictionId` names, with its prediction (undefined: it made none):
 * joined to the served prediction, or judged now if the ground truth arrived while it ran. Never throws.
 */
export function recordShadowPrediction(telemetry: FlagTelemetry, predictionId: string, shadow: StoredPrediction | undefined): void {
  safely(() => {
    const truth = telemetry.predictions.settleShadow(predictionId, shadow);
    if (truth && shadow) judgeShadow(telemetry, shadow, truth);
  });
}

function judgeShadow(telemetry: FlagTelemetry, shadow: StoredPrediction, truth: LateTruth): void {
  if (shadow.predicted === undefined) return;
  telemetry.metrics.outcome(labelsOf(shadow), judge(shadow.predicted, truth.actual), { mode: 'shadow', slices: truth.slices });
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
