export { flaglensMiddleware, recordOutcome, routeInference, trackBusinessEvent, withAssignments } from './api.js';
export { assignmentsIn, bindAssignments, contextWithAssignments } from './context/active.js';
export { type Assignment, DEFAULT_VARIANT_LABEL } from './context/assignment.js';
export { ASSIGNMENTS_BAGGAGE_KEY } from './context/baggage.js';
export { type AssignmentMiddlewareOptions, assignmentMiddleware, type Middleware } from './express/middleware.js';
export { type BusinessEventOptions, FlagTelemetry, type FlagTelemetryOptions } from './flag-telemetry.js';
export { collectProcessMetricsOnce } from './health/process-metrics.js';
export { ACTIVE_WINDOW_MS, VariantActivity } from './health/variant-activity.js';
export type {
  InferenceResult,
  InferenceRoute,
  ModelCall,
  ModelCallReport,
  PredictionSummary,
  ServedVariant,
  ShadowChoice,
} from './inference/types.js';
export type { ModelPrice, TokenUsage } from './llm/usage.js';
export { type LogCorrelation, logMixin } from './logs/log-mixin.js';
export { FlagLogRecordProcessor } from './logs/log-processor.js';
export { ABSOLUTE_ERROR_BUCKETS, DURATION_BUCKETS, SCORE_BUCKETS } from './metrics/buckets.js';
export { type MetricsServer, type MetricsServerOptions, metricsHandler, startMetricsServer } from './metrics/http.js';
export { LabelGuard, type LabelGuardOptions, type LabelLimit, OTHER_LABEL_VALUE } from './metrics/label-guard.js';
export { LlmMetrics } from './metrics/llm-metrics.js';
export { MetricName } from './metrics/names.js';
export { type JudgedOutcome, OutcomeMetrics, type OutcomeSlices } from './metrics/outcome-metrics.js';
export { MetricPush, type MetricPushOptions } from './metrics/push.js';
export { type ShadowDropReason, ShadowMetrics } from './metrics/shadow-metrics.js';
export { type Mode, type VariantLabels, VariantMetrics, type VariantMetricsOptions } from './metrics/variant-metrics.js';
export { evaluationHook } from './openfeature/evaluation-hook.js';
export type { PredictionStoreOptions } from './outcomes/prediction-store.js';
export type { ExplicitOutcome, OutcomeValue } from './outcomes/record-outcome.js';
export { type StartOptions, shutdown, start } from './sdk/start.js';
export { type ShadowOptions, ShadowRunner } from './shadow/runner.js';
export { FlagSpanProcessor } from './spans/processor.js';
