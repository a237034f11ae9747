import type { Context } from '@opentelemetry/api';
import { contextWithAssignments } from '../context/active.js';
import type { FlagTelemetry } from '../flag-telemetry.js';
import { type CallOutcome, callModel } from '../inference/call-model.js';
import { modelLabel } from '../inference/labels.js';
import type { InferenceRoute, PredictionSummary, ServedVariant } from '../inference/types.js';
import { recordShadowPrediction } from '../outcomes/record-outcome.js';
import { safely } from '../safely.js';
import { FLAGLENS_MODE, FLAGLENS_MODEL } from '../semconv.js';
import { shadowChoice } from './choice.js';

/**
 * Runs the shadow of a served call, if its variant names one and this call is sampled and a slot is
 * free. The shadow starts on `setImmediate`, after the served result has been handed back: the
 * caller's continuation runs first, so even a synchronous shadow model cannot delay the response,
 * and nothing the shadow does (throw, reject, hang) reaches the caller. Its span, latency, errors,
 * predictions and tokens are recorded with `mode="shadow"`, and when both calls succeeded, whether
 * they agreed. The shadow's prediction joins the served one in the outcome store under `predictionId`,
 * so the ground truth judges both. Dropped calls are counted; none is queued.
 */
export function scheduleShadow<O>(
  telemetry: FlagTelemetry,
  route: InferenceRoute<O>,
  served: ServedVariant,
  servedOutcome: CallOutcome<O>,
  request: Context,
  predictionId: string,
): void {
  const choice = shadowChoice(served.value, route.shadow);
  if (!choice || choice.variant === served.name) return;
  const runner = telemetry.shadows;
  if (!runner.sampled(choice.sampleRate)) return;
  const call = Object.hasOwn(route.models, choice.variant) ? route.models[choice.variant] : undefined;
  if (!call) {
    telemetry.metrics.shadow.dropped(route.flag, choice.variant, 'no_model');
    return;
  }
  if (!runner.tryAcquire()) {
    telemetry.metrics.shadow.dropped(route.flag, choice.variant, 'concurrency');
    return;
  }
  // Before the response goes back: an outcome recorded right after it still finds this shadow coming.
  safely(() => telemetry.predictions.expectShadow(predictionId));
  const flag = telemetry.evaluator.flagSet?.flags[route.flag];
  const value = flag?.variants[choice.variant];
  const shadow: ServedVariant = { name: choice.variant, value, model: modelLabel(choice.variant, value) };
  // The shadow's own spans (its HTTP call to the candidate's server) carry the shadow variant.
  const parent = contextWithAssignments(
    request,
    [{ flagKey: route.flag, variant: shadow.name, value, version: flag?.version }],
    telemetry.providerName,
  );
  const setting = {
    mode: 'shadow' as const,
    parent,
    span: { attributes: { [FLAGLENS_MODE]: 'shadow', [FLAGLENS_MODEL]: shadow.model }, links: [{ context: servedOutcome.spanContext }] },
  };
  setImmediate(() => {
    try {
      // finish gives the slot back first, whatever the shadow did.
      void callModel(telemetry, route, shadow, call, setting, (outcome) => {
        runner.release();
        const predicted = outcome.ok ? (outcome.summary?.class ?? outcome.summary?.value) : undefined;
        const prediction = predicted === undefined ? undefined : { flag: route.flag, variant: shadow.name, model: shadow.model, predicted };
        recordShadowPrediction(telemetry, predictionId, prediction);
        if (outcome.ok && servedOutcome.ok) safely(() => recordAgreement(telemetry, route, served, shadow, servedOutcome, outcome));
      });
    } catch {
      runner.release();
      recordShadowPrediction(telemetry, predictionId, undefined);
    }
  });
}

function recordAgreement<O>(
  telemetry: FlagTelemetry,
  route: InferenceRoute<O>,
  served: ServedVariant,
  shadow: ServedVariant,
  servedOutcome: { output: O; summary: PredictionSummary | undefined },
  shadowOutcome: { output: O; summary: PredictionSummary | undefined },
): void {
  const agree = route.agree
    ? route.agree(servedOutcome.output, shadowOutcome.output)
    : sameClass(servedOutcome.summary, shadowOutcome.summary);
  if (agree === undefined) return;
  telemetry.metrics.shadow.agreement({ flag: route.flag, variant: shadow.name, model: shadow.model }, served.name, agree);
}

/** Equal predicted classes; undefined (not counted) when either side has none, e.g. a regression without `agree`. */
function sameClass(served: PredictionSummary | undefined, shadow: PredictionSummary | undefined): boolean | undefined {
  if (served?.class === undefined || shadow?.class === undefined) return undefined;
  return served.class === shadow.class;
}
