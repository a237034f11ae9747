import type { EvaluationDetails, FlagValue, Hook, HookContext } from '@openfeature/server-sdk';
import { DEFAULT_VARIANT_LABEL } from '../context/assignment.js';
import { recordEvaluationEvent } from '../evaluation/record-evaluation.js';
import type { FlagTelemetry } from '../flag-telemetry.js';
import { safely } from '../safely.js';

/**
 * An OpenFeature hook that records evaluations made through an OpenFeature client as the wrappers
 * record their own: a `feature_flag.evaluation` event on the active span and
 * `flaglens_flag_evaluations_total`. `start()` adds it globally, reading the running instance
 * through `telemetry`, so a restart does not stack a second hook.
 */
export function evaluationHook(telemetry: () => FlagTelemetry | undefined): Hook {
  return {
    finally(hookContext: Readonly<HookContext>, details: EvaluationDetails<FlagValue>): void {
      safely(() => {
        const target = telemetry();
        if (!target) return;
        const version = details.flagMetadata.version;
        const record = { ...details, version: typeof version === 'string' || typeof version === 'number' ? version : undefined };
        recordEvaluationEvent(record, { providerName: hookContext.providerMetadata.name });
        target.metrics.evaluation(details.flagKey, details.variant ?? DEFAULT_VARIANT_LABEL, details.reason ?? 'UNKNOWN');
      });
    },
  };
}
