import type { EvaluationDetails } from '@flaglens/evaluator';
import { type Attributes, trace } from '@opentelemetry/api';
import type { Assignment } from '../context/assignment.js';
import {
  ERROR_TYPE,
  FEATURE_FLAG_CONTEXT_ID,
  FEATURE_FLAG_ERROR_MESSAGE,
  FEATURE_FLAG_EVALUATION_EVENT,
  FEATURE_FLAG_KEY,
  FEATURE_FLAG_PROVIDER_NAME,
  FEATURE_FLAG_RESULT_REASON,
  FEATURE_FLAG_RESULT_VARIANT,
  FEATURE_FLAG_VERSION,
} from '../semconv.js';

/** What telemetry needs of an evaluation; both flaglens and OpenFeature evaluation details fit. */
export interface EvaluationRecord {
  readonly flagKey: string;
  readonly variant?: string | undefined;
  readonly reason?: string | undefined;
  readonly errorCode?: string | undefined;
  readonly errorMessage?: string | undefined;
  readonly version?: number | string | undefined;
}

/** How evaluations are described in telemetry. */
export interface EvaluationEventOptions {
  /** `feature_flag.provider.name`. */
  readonly providerName: string;
  /** The targeting key, put in `feature_flag.context.id` only when the service opted in (it identifies a user). */
  readonly contextId?: string | undefined;
}

/**
 * The attributes of a `feature_flag.evaluation` event. The conventions spell reasons and error
 * codes in lower case (`targeting_match`, `flag_not_found`), OpenFeature in upper case.
 */
export function evaluationEventAttributes(details: EvaluationRecord, options: EvaluationEventOptions): Attributes {
  const attributes: Attributes = {
    [FEATURE_FLAG_KEY]: details.flagKey,
    [FEATURE_FLAG_PROVIDER_NAME]: options.providerName,
  };
  if (details.reason !== undefined) attributes[FEATURE_FLAG_RESULT_REASON] = details.reason.toLowerCase();
  if (details.variant !== undefined) attributes[FEATURE_FLAG_RESULT_VARIANT] = details.variant;
  if (details.version !== undefined) attributes[FEATURE_FLAG_VERSION] = String(details.version);
  if (options.contextId !== undefined) attributes[FEATURE_FLAG_CONTEXT_ID] = options.contextId;
  if (details.errorCode !== undefined) attributes[ERROR_TYPE] = details.errorCode.toLowerCase();
  if (details.errorMessage !== undefined) attributes[FEATURE_FLAG_ERROR_MESSAGE] = details.errorMessage;
  return attributes;
}

/** Adds a `feature_flag.evaluation` event to the active span, if there is one. Never throws. */
export function recordEvaluationEvent(details: EvaluationRecord, options: EvaluationEventOptions): void {
  try {
    trace.getActiveSpan()?.addEvent(FEATURE_FLAG_EVALUATION_EVENT, evaluationEventAttributes(details, options));
  } catch {
    // Telemetry about a decision must not undo the decision.
  }
}

/** The assignment an evaluation made. */
export function assignmentOf(details: EvaluationDetails<unknown>): Assignment {
  return {
    flagKey: details.flagKey,
    variant: details.variant,
    reason: details.reason,
    version: details.version,
    value: details.value as Assignment['value'],
  };
}
