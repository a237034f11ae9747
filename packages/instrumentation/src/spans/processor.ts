import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { assignmentAttributesIn } from '../context/active.js';

/**
 * Stamps every span started in a context that carries flag assignments with the feature-flag
 * semantic-convention attributes (`feature_flag.key`, `feature_flag.result.variant`,
 * `feature_flag.provider.name`, `feature_flag.version`) and `flaglens.assignments`.
 * Put it first in the tracer provider's processors so exporters see the attributes.
 *
 * @example
 * new NodeSDK({ spanProcessors: [new FlagSpanProcessor(), new BatchSpanProcessor(exporter)] });
 */
export class FlagSpanProcessor implements SpanProcessor {
  /**
   * Adds the active assignments' attributes to a starting span. Never throws: a tracing aid must not
   * break the span, or the request, it describes.
   */
  onStart(span: Span, parentContext: Context): void {
    try {
      const attributes = assignmentAttributesIn(parentContext);
      if (attributes) span.setAttributes(attributes);
    } catch {
      // Nothing useful can be done here; the span goes on without the attributes.
    }
  }

  /** Does nothing: the attributes are set when the span starts. */
  onEnd(_span: ReadableSpan): void {}

  /** Nothing is buffered, so there is nothing to flush. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Holds no resources. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
