import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import type pinoModule from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { bindAssignments } from '../context/active.js';
import { startTracing } from '../test/tracing.js';
import { FlagLogRecordProcessor } from './log-processor.js';

startTracing();
const exporter = new InMemoryLogRecordExporter();
logs.setGlobalLoggerProvider(
  new LoggerProvider({ processors: [new FlagLogRecordProcessor(), new SimpleLogRecordProcessor({ exporter })] }),
);
registerInstrumentations({ instrumentations: [new PinoInstrumentation()] });
// Loaded after the instrumentation is registered, through require, which is what it patches.
const pino = createRequire(import.meta.url)('pino') as typeof pinoModule;
afterEach(() => exporter.reset());

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

describe('FlagLogRecordProcessor', () => {
  it('gives pino records bridged to OpenTelemetry the assignments and the trace id of the request', () => {
    const logger = pino(quiet);
    let traceId = '';
    trace.getTracer('test').startActiveSpan('request', (span) => {
      traceId = span.spanContext().traceId;
      bindAssignments([{ flagKey: 'ai-model', variant: 'candidate', version: 3 }], () => logger.info('classified'));
      span.end();
    });
    const [record] = exporter.getFinishedLogRecords();
    expect(record?.body).toBe('classified');
    expect(record?.spanContext?.traceId).toBe(traceId);
    expect(record?.attributes).toMatchObject({
      'feature_flag.key': 'ai-model',
      'feature_flag.result.variant': 'candidate',
      'feature_flag.provider.name': 'flaglens',
      'flaglens.assignments': ['ai-model=candidate'],
    });
  });

  it('stamps records emitted through the logs API directly, with every active flag', () => {
    bindAssignments([{ flagKey: 'ai-model', variant: 'control' }], () =>
      bindAssignments([{ flagKey: 'reranker', variant: 'on' }], () => logs.getLogger('app').emit({ body: 'ranked' })),
    );
    const [record] = exporter.getFinishedLogRecords();
    expect(record?.attributes['flaglens.assignments']).toEqual(['ai-model=control', 'reranker=on']);
  });

  it('leaves records outside an assigned context as they are', () => {
    logs.getLogger('app').emit({ body: 'startup', attributes: { phase: 'boot' } });
    expect(exporter.getFinishedLogRecords()[0]?.attributes).toEqual({ phase: 'boot' });
  });
});
