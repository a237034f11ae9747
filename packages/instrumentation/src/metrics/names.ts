/** The metric names this package registers; the control plane's analysis reads the same names. */
export const MetricName = {
  INFERENCE_DURATION: 'flaglens_inference_duration_seconds',
  INFERENCE_ERRORS: 'flaglens_inference_errors_total',
  FLAG_EVALUATIONS: 'flaglens_flag_evaluations_total',
  PREDICTION_SCORE: 'flaglens_prediction_score',
  PREDICTED_CLASS: 'flaglens_predicted_class_total',
  OUTCOMES: 'flaglens_outcomes_total',
  OUTCOME_ABSOLUTE_ERROR: 'flaglens_outcome_absolute_error',
  OUTCOMES_UNMATCHED: 'flaglens_outcomes_unmatched_total',
  BUSINESS_EVENTS: 'flaglens_business_events_total',
  BUSINESS_EVENT_VALUE: 'flaglens_business_event_value_total',
  LABEL_OVERFLOW: 'flaglens_label_overflow_total',
  SHADOW_AGREEMENT: 'flaglens_shadow_agreement_total',
  SHADOW_DROPPED: 'flaglens_shadow_dropped_total',
  LLM_TOKENS: 'flaglens_llm_tokens_total',
  LLM_COST: 'flaglens_llm_cost_usd_total',
  VARIANT_ACTIVE: 'flaglens_variant_active',
} as const;
