import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { assignmentsIn } from '../context/active.js';
import { assignmentLabel } from '../context/assignment.js';
import { FLAGLENS_ASSIGNMENTS } from '../semconv.js';

/** Fields {@link logMixin} adds to a log record. */
export interface LogCorrelation {
  trace_id?: string;
  span_id?: string;
  trace_flags?: string;
  /** `key=variant` of every flag active in the context, as on spans. */
  'flaglens.assignments'?: string[];
}

/**
 * A pino `mixin`: every record logged inside a request carries the trace and span ids (named as
 * `@opentelemetry/instrumentation-pino` names them) and the request's flag assignments, so a log line
 * leads to the variant and the trace. Never throws; outside a request it adds nothing.
 *
 * @example
 * const logger = pino({ mixin: logMixin });
 */
export function logMixin(): LogCorrelation {
  try {
    const ctx = context.active();
    const fields: LogCorrelation = {};
    const spanContext = trace.getSpanContext(ctx);
    if (spanContext && isSpanContextValid(spanContext)) {
      fields.trace_id = spanContext.traceId;
      fields.span_id = spanContext.spanId;
      fields.trace_flags = `0${spanContext.traceFlags.toString(16)}`;
    }
    const assignments = assignmentsIn(ctx);
    if (assignments.length > 0) fields[FLAGLENS_ASSIGNMENTS] = assignments.map(assignmentLabel);
    return fields;
  } catch {
    return {};
  }
}
