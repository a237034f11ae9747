import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  type LogRecordProcessor,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { exportRequested, processorsFromEnv, type SignalExport } from './exporters-from-env.js';

/**
 * Builds the log exporters from `OTEL_LOGS_EXPORTER` (`otlp`, `console`, `none`) and the OTLP protocol
 * variables, as the Node SDK would. We build them ourselves because the SDK configures exporters from
 * the environment only when no processor is passed, and the flag processor must come first.
 * Nothing is exported unless a variable asks, as for traces.
 */
export function logExportFromEnv(env: NodeJS.ProcessEnv): SignalExport<LogRecordProcessor> {
  if (!exportRequested(env, 'LOGS')) return { processors: [], description: 'log export off' };
  return processorsFromEnv<LogRecordProcessor>(env, 'LOGS', {
    console: () => new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }),
    otlp: {
      'http/json': () => new BatchLogRecordProcessor({ exporter: new OtlpJsonLogExporter() }),
      'http/protobuf': () => new BatchLogRecordProcessor({ exporter: new OtlpProtoLogExporter() }),
    },
  });
}
