/**
 * Attribute and event names from the OpenTelemetry semantic conventions for feature flags
 * (semconv 1.45, release candidate). Copied rather than imported from
 * `@opentelemetry/semantic-conventions/incubating`, as that package advises for unstable names:
 * its incubating entry may rename them in a minor release.
 */
export const FEATURE_FLAG_KEY = 'feature_flag.key';
export const FEATURE_FLAG_RESULT_VARIANT = 'feature_flag.result.variant';
export const FEATURE_FLAG_RESULT_REASON = 'feature_flag.result.reason';
export const FEATURE_FLAG_PROVIDER_NAME = 'feature_flag.provider.name';
export const FEATURE_FLAG_CONTEXT_ID = 'feature_flag.context.id';
export const FEATURE_FLAG_VERSION = 'feature_flag.version';
export const FEATURE_FLAG_SET_ID = 'feature_flag.set.id';
export const FEATURE_FLAG_ERROR_MESSAGE = 'feature_flag.error.message';
/** Stable `error.type`; the conventions use it for a failed evaluation's error code. */
export const ERROR_TYPE = 'error.type';
/** Event name for one flag evaluation. */
export const FEATURE_FLAG_EVALUATION_EVENT = 'feature_flag.evaluation';

/** Every flag active in a context, as `key=variant`; ours, since the conventions carry one flag per span. */
export const FLAGLENS_ASSIGNMENTS = 'flaglens.assignments';
/** Links a span to the prediction it produced, so an outcome can be traced back. */
export const FLAGLENS_PREDICTION_ID = 'flaglens.prediction.id';
/** `served` or `shadow`. */
export const FLAGLENS_MODE = 'flaglens.mode';
/** The model label of the variant that ran. */
export const FLAGLENS_MODEL = 'flaglens.model';

/** Provider name stamped on spans and events unless configured otherwise (the evaluator's provider metadata name). */
export const DEFAULT_PROVIDER_NAME = 'flaglens';

/**
 * GenAI attributes (semconv 1.45 incubating, now maintained in open-telemetry/semantic-conventions-genai),
 * copied for the same reason as the feature-flag names. `gen_ai.usage.*` replaced the older
 * `prompt_tokens` / `completion_tokens` spellings.
 */
export const GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
/** Estimated cost of the call in US dollars, from the variant's price table; ours, the conventions have none. */
export const FLAGLENS_LLM_COST_USD = 'flaglens.llm.cost_usd';
