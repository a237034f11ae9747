import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  type LogRecordProcessor,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { exportRequested } from './trace-export.js';

/** Log record processors for the exporters the `OTEL_*` variables ask for, and a phrase for the start-up log. */
export interface LogExport {
  readonly processors: LogRecordProcessor[];
  readonly description: string;
}

/**
 * Builds the log exporters from `OTEL_LOGS_EXPORTER` (`otlp`, `console`, `none`) and the OTLP protocol
 * variables, as the Node SDK would. We build them ourselves because the SDK configures exporters from
 * the environment only when no processor is passed, and the flag processor must come first.
 * Nothing is exported unless a variable asks, as for traces.
 */
export function logExportFromEnv(env: NodeJS.ProcessEnv): LogExport {
  if (!exportRequested(env, 'LOGS')) return { processors: [], description: 'log export off' };
  const names = (env.OTEL_LOGS_EXPORTER ?? 'otlp')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.includes('none')) return { processors: [], description: 'log export off (OTEL_LOGS_EXPORTER=none)' };
  const processors: LogRecordProcessor[] = [];
  const described: string[] = [];
  for (const name of names) {
    if (name === 'console') {
      processors.push(new SimpleLogRecordProcessor({ exporter: new ConsoleLogRecordExporter() }));
      described.push('console');
    } else if (name === 'otlp') {
      const protocol = env.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
      if (protocol === 'http/json') processors.push(new BatchLogRecordProcessor({ exporter: new OtlpJsonLogExporter() }));
      else if (protocol === 'http/protobuf') processors.push(new BatchLogRecordProcessor({ exporter: new OtlpProtoLogExporter() }));
      else {
        described.push(`otlp ${protocol} unsupported (use http/protobuf or http/json)`);
        continue;
      }
      described.push(`otlp ${protocol}`);
    } else {
      described.push(`unknown exporter ${name} ignored`);
    }
  }
  return { processors, description: `logs → ${described.join(', ')}` };
}
