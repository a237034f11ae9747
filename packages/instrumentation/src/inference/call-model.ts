import {
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanContext,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { FlagTelemetry } from '../flag-telemetry.js';
import { addUsage, costOf, priceOf, type TokenUsage, type UsageTotal, usageAttributes } from '../llm/usage.js';
import type { Mode, VariantLabels } from '../metrics/variant-labels.js';
import { safely } from '../safely.js';
import { ERROR_TYPE } from '../semconv.js';
import { errorType } from './labels.js';
import type { InferenceRoute, ModelCall, ModelCallReport, PredictionSummary, ServedVariant } from './types.js';

/** How one model call ended: its output and what `describe` said of it, or what it threw. */
export type CallOutcome<O> = (
  | { readonly ok: true; readonly output: O; readonly summary: PredictionSummary | undefined }
  | { readonly ok: false; readonly error: unknown }
) & {
  /** The call's span, for links from a shadow run. */
  readonly spanContext: SpanContext;
};

/** Where and how a model call runs. */
export interface CallSetting {
  readonly mode: Mode;
  /** Context the span starts in: the request's, with the variant's assignment bound. */
  readonly parent: Context;
  /** Span start options: the call's attributes, and links for a shadow run. */
  readonly span: { readonly attributes: Attributes; readonly links?: Link[] };
}

// The tracer is looked up per provider rather than per call: `getTracer` walks the provider's
// tracer cache on every call, which showed in the benchmark's profile. Keyed by provider, so a
// provider registered later (start() after import, tests) is still picked up.
let tracerOf: { provider: unknown; tracer: Tracer } | undefined;
function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (tracerOf?.provider !== provider) tracerOf = { provider, tracer: provider.getTracer('@flaglens/instrumentation') };
  return tracerOf.tracer;
}

/** Collects the usage a model call reports; allocated per call, only a few fields. */
class UsageReport implements ModelCallReport {
  total: UsageTotal | undefined;
  reportUsage(usage: TokenUsage): void {
    safely(() => {
      this.total ??= { inputTokens: 0, outputTokens: 0, model: undefined };
      addUsage(this.total, usage);
    });
  }
}

/**
 * Calls one variant's model inside a span named `route.operation`, records its latency, error,
 * prediction and token usage with the given mode, ends the span, and resolves to what `finish` makes
 * of the outcome (rejecting if `finish` throws: that is how the served path rethrows the model's
 * error). Telemetry failures are swallowed. `finish` runs inside the call's promise rather than in a
 * `.then` of it, which spares one promise per call.
 */
export function callModel<O, R>(
  telemetry: FlagTelemetry,
  route: InferenceRoute<O>,
  variant: ServedVariant,
  call: ModelCall<O>,
  setting: CallSetting,
  finish: (outcome: CallOutcome<O>) => R,
): Promise<R> {
  return tracer().startActiveSpan(route.operation, setting.span, setting.parent, async (span) => {
    const labels: VariantLabels = { flag: route.flag, variant: variant.name, model: variant.model };
    const report = new UsageReport();
    const started = performance.now();
    let outcome: CallOutcome<O>;
    try {
      const output = await call(variant, report);
      const seconds = (performance.now() - started) / 1000;
      let summary: PredictionSummary | undefined;
      try {
        telemetry.metrics.inference(labels, setting.mode, seconds);
        summary = route.describe?.(output);
        if (summary) telemetry.metrics.prediction(labels, setting.mode, summary);
        if (summary?.usage) report.reportUsage(summary.usage);
      } catch {
        // Losing a data point is better than failing the request it describes.
      }
      outcome = { ok: true, output, summary, spanContext: span.spanContext() };
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      safely(() => recordFailure(telemetry, span, labels, setting.mode, error, seconds));
      outcome = { ok: false, error, spanContext: span.spanContext() };
    }
    if (report.total) safely(() => recordUsage(telemetry, span, labels, setting.mode, variant, report.total as UsageTotal));
    span.end();
    return finish(outcome);
  });
}

function recordFailure(telemetry: FlagTelemetry, span: Span, labels: VariantLabels, mode: Mode, error: unknown, seconds: number): void {
  const type = errorType(error);
  telemetry.metrics.inference(labels, mode, seconds, type);
  span.setAttribute(ERROR_TYPE, type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
}

function recordUsage(
  telemetry: FlagTelemetry,
  span: Span,
  labels: VariantLabels,
  mode: Mode,
  variant: ServedVariant,
  total: UsageTotal,
): void {
  const cost = costOf(total, priceOf(variant.value, total.model ?? variant.model));
  span.setAttributes(usageAttributes(variant.model, total, cost));
  telemetry.metrics.llm.usage(labels, mode, total, cost);
}
