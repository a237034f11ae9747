import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** Span processors for the exporters the standard `OTEL_*` variables ask for, and a phrase for the start-up log. */
export interface TraceExport {
  readonly processors: SpanProcessor[];
  readonly description: string;
}

/** Whether the environment asks for any OpenTelemetry export of `signal` (an exporter named, or an OTLP endpoint set). */
export function exportRequested(env: NodeJS.ProcessEnv, signal: 'TRACES' | 'METRICS' | 'LOGS'): boolean {
  return Boolean(env[`OTEL_${signal}_EXPORTER`] || env.OTEL_EXPORTER_OTLP_ENDPOINT || env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`]);
}

/**
 * Builds the trace exporters from `OTEL_TRACES_EXPORTER` (`otlp`, `console`, `none`) and the OTLP
 * protocol variables. Unlike the SDK's own default, nothing is exported when no variable asks for
 * it: a service without a collector then logs no connection errors, and still gets stamped spans
 * for any processor passed in code.
 */
export function traceExportFromEnv(env: NodeJS.ProcessEnv): TraceExport {
  if (!exportRequested(env, 'TRACES'))
    return { processors: [], description: 'trace export off (set OTEL_EXPORTER_OTLP_ENDPOINT to export)' };
  const names = (env.OTEL_TRACES_EXPORTER ?? 'otlp')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.includes('none')) return { processors: [], description: 'trace export off (OTEL_TRACES_EXPORTER=none)' };
  const processors: SpanProcessor[] = [];
  const described: string[] = [];
  for (const name of names) {
    if (name === 'console') {
      processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
      described.push('console');
    } else if (name === 'otlp') {
      const protocol = env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
      if (protocol === 'http/json') processors.push(new BatchSpanProcessor(new OtlpJsonExporter()));
      else if (protocol === 'http/protobuf') processors.push(new BatchSpanProcessor(new OtlpProtoExporter()));
      else {
        described.push(`otlp ${protocol} unsupported (use http/protobuf or http/json)`);
        continue;
      }
      described.push(`otlp ${protocol}`);
    } else {
      described.push(`unknown exporter ${name} ignored`);
    }
  }
  return { processors, description: `traces → ${described.join(', ')}` };
}
