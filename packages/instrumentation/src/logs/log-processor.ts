import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import { assignmentAttributesIn } from '../context/active.js';

/**
 * Adds the active flag assignments to every log record emitted through the OpenTelemetry logs API
 * (`feature_flag.key`, `feature_flag.result.variant`, `feature_flag.provider.name`,
 * `flaglens.assignments`), as {@link FlagSpanProcessor} does for spans. The SDK already takes the
 * trace and span ids from the same context, so a record emitted inside a request, by a logs bridge
 * such as `@opentelemetry/instrumentation-pino` or by `logs.getLogger().emit()`, leads to both the
 * variant and the trace. Put it first among the logger provider's processors, so exporters see the
 * attributes.
 *
 * @example
 * new NodeSDK({ logRecordProcessors: [new FlagLogRecordProcessor(), new BatchLogRecordProcessor(exporter)] });
 */
export class FlagLogRecordProcessor implements LogRecordProcessor {
  /** Stamps the record with the assignments of the context it was emitted in. Never throws. */
  onEmit(logRecord: ReadWriteLogRecord, context?: Context): void {
    if (!context) return;
    try {
      const attributes = assignmentAttributesIn(context);
      if (attributes) logRecord.setAttributes(attributes);
    } catch {
      // A record without the attributes is better than a lost record or a failing log call.
    }
  }

  /** Nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Holds no resources. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
