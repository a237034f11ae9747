import { FlagEvaluator, type FlagSetInput } from '@flaglens/evaluator';
import { contextWithAssignments, FlagSpanProcessor, FlagTelemetry } from '@flaglens/instrumentation';
import { type Context, context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { ExportResultCode } from '@opentelemetry/core';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { Histogram, Registry } from 'prom-client';

/** Accepts every batch and keeps nothing: export cost is not what is measured, and memory must not grow. */
class DiscardingExporter implements SpanExporter {
  exported = 0;
  export(spans: ReadableSpan[], done: (result: { code: ExportResultCode }) => void): void {
    this.exported += spans.length;
    done({ code: ExportResultCode.SUCCESS });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

// Large enough that a timed run never fills the queue: a full queue drops spans, which is cheaper
// than keeping them and would flatter whichever side dropped more. Batches are flushed between runs.
const QUEUE = { maxQueueSize: 1 << 17, maxExportBatchSize: 512, scheduledDelayMillis: 60_000 };

export const flagSet: FlagSetInput = {
  flags: {
    'ai-model': {
      type: 'object',
      variants: { control: { model: 'logreg' }, candidate: { model: 'gbdt' } },
      fallthrough: {
        split: {
          arms: [
            { variant: 'control', weight: 9000 },
            { variant: 'candidate', weight: 1000 },
          ],
        },
      },
      version: 3,
    },
  },
};

/** Everything the subjects share: two tracer providers (plain and with the flag processor), a registry, the telemetry. */
export interface Bench {
  readonly plainTracer: ReturnType<BasicTracerProvider['getTracer']>;
  readonly flagTracer: ReturnType<BasicTracerProvider['getTracer']>;
  readonly telemetry: FlagTelemetry;
  readonly floorHistogram: Histogram<'flag' | 'variant'>;
  /** A request context with the routing flag bound, as the middleware leaves it. */
  readonly assigned: Context;
  readonly exporters: readonly DiscardingExporter[];
  flush(): Promise<void>;
  /** A FlagTelemetry with empty metrics and outcome store, for the heap figure. */
  fresh(): FlagTelemetry;
}

export function setUp(): Bench {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const plainExporter = new DiscardingExporter();
  const flagExporter = new DiscardingExporter();
  const plainProcessor = new BatchSpanProcessor(plainExporter, QUEUE);
  const flagProcessor = new BatchSpanProcessor(flagExporter, QUEUE);
  const plain = new BasicTracerProvider({ spanProcessors: [plainProcessor] });
  const flagged = new BasicTracerProvider({ spanProcessors: [new FlagSpanProcessor(), flagProcessor] });
  // routeInference uses the global tracer: the flag pipeline, as `start()` sets it up.
  trace.setGlobalTracerProvider(flagged);
  const registry = new Registry();
  const evaluator = new FlagEvaluator(flagSet);
  const telemetry = new FlagTelemetry({ flags: evaluator, metrics: { registry } });
  const floorHistogram = new Histogram({
    name: 'floor_duration_seconds',
    help: 'The floor: one observe with two labels.',
    labelNames: ['flag', 'variant'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const assignment = telemetry.evaluate('ai-model', { targetingKey: 'user-42' });
  const assigned = contextWithAssignments(ROOT_CONTEXT, [assignment]);
  return {
    plainTracer: plain.getTracer('bench'),
    flagTracer: flagged.getTracer('bench'),
    telemetry,
    floorHistogram,
    assigned,
    exporters: [plainExporter, flagExporter],
    fresh: () => new FlagTelemetry({ flags: evaluator, metrics: { registry: new Registry() } }),
    flush: async () => {
      await Promise.all([plainProcessor.forceFlush(), flagProcessor.forceFlush()]);
    },
  };
}
