import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { BatchSpanProcessor, ConsoleSpanExporter, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { exportRequested, processorsFromEnv, type SignalExport } from './exporters-from-env.js';

/**
 * Builds the trace exporters from `OTEL_TRACES_EXPORTER` (`otlp`, `console`, `none`) and the OTLP
 * protocol variables. Unlike the SDK's own default, nothing is exported when no variable asks for
 * it: a service without a collector then logs no connection errors, and still gets stamped spans
 * for any processor passed in code.
 */
export function traceExportFromEnv(env: NodeJS.ProcessEnv): SignalExport<SpanProcessor> {
  if (!exportRequested(env, 'TRACES'))
    return { processors: [], description: 'trace export off (set OTEL_EXPORTER_OTLP_ENDPOINT to export)' };
  return processorsFromEnv<SpanProcessor>(env, 'TRACES', {
    console: () => new SimpleSpanProcessor(new ConsoleSpanExporter()),
    otlp: {
      'http/json': () => new BatchSpanProcessor(new OtlpJsonExporter()),
      'http/protobuf': () => new BatchSpanProcessor(new OtlpProtoExporter()),
    },
  });
}
