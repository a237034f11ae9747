import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { bindAssignments } from '../context/active.js';
import { startTracing } from '../test/tracing.js';
import { logMixin } from './log-mixin.js';

startTracing();

function capture(): { logger: ReturnType<typeof pino>; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ mixin: logMixin }, stream), lines: () => chunks.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

it('puts the trace id and the active assignments on pino records logged inside a request', () => {
  const { logger, lines } = capture();
  trace.getTracer('test').startActiveSpan('request', (span) => {
    bindAssignments([{ flagKey: 'ai-model', variant: 'candidate' }], () => logger.info('classified'));
    span.end();
  });
  const [line] = lines();
  expect(line).toMatchObject({ msg: 'classified', 'flaglens.assignments': ['ai-model=candidate'], trace_flags: '01' });
  expect(line?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
});

it('adds nothing outside a request', () => {
  const { logger, lines } = capture();
  logger.info('startup');
  expect(Object.keys(lines()[0] ?? {}).sort()).toEqual(['hostname', 'level', 'msg', 'pid', 'time']);
});
