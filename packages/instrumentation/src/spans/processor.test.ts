import { context, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { bindAssignments, contextWithAssignments } from '../context/active.js';
import { startTracing } from '../test/tracing.js';
import { FlagSpanProcessor } from './processor.js';

const { exporter } = startTracing();

const tracer = () => trace.getTracer('test');

afterEach(() => exporter.reset());

describe('FlagSpanProcessor', () => {
  it('stamps a span started inside an assigned context with the feature_flag attributes', () => {
    bindAssignments([{ flagKey: 'ai-model', variant: 'candidate', version: 3 }], () => tracer().startSpan('work').end());
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes).toMatchObject({
      'feature_flag.key': 'ai-model',
      'feature_flag.result.variant': 'candidate',
      'feature_flag.provider.name': 'flaglens',
      'feature_flag.version': '3',
      'flaglens.assignments': ['ai-model=candidate'],
    });
  });

  it('puts the innermost flag in feature_flag.* and every active flag in flaglens.assignments', () => {
    bindAssignments([{ flagKey: 'ai-model', variant: 'candidate' }], () =>
      bindAssignments([{ flagKey: 'reranker', variant: 'on' }], () => tracer().startSpan('nested').end()),
    );
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['feature_flag.key']).toBe('reranker');
    expect(span?.attributes['feature_flag.result.variant']).toBe('on');
    expect(span?.attributes['flaglens.assignments']).toEqual(['ai-model=candidate', 'reranker=on']);
  });

  it('moves a re-assigned flag to the innermost position with its new variant', () => {
    const outer = contextWithAssignments(context.active(), [
      { flagKey: 'ai-model', variant: 'control' },
      { flagKey: 'reranker', variant: 'off' },
    ]);
    const inner = contextWithAssignments(outer, [{ flagKey: 'ai-model', variant: 'candidate' }]);
    context.with(inner, () => tracer().startSpan('again').end());
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['flaglens.assignments']).toEqual(['reranker=off', 'ai-model=candidate']);
    expect(span?.attributes['feature_flag.key']).toBe('ai-model');
  });

  it('marks the default served by a failed flag as __default__ and leaves the variant attribute out', () => {
    bindAssignments([{ flagKey: 'missing', variant: undefined }], () => tracer().startSpan('fallback').end());
    const [span] = exporter.getFinishedSpans();
    expect(span?.attributes['flaglens.assignments']).toEqual(['missing=__default__']);
    expect(span?.attributes).not.toHaveProperty('feature_flag.result.variant');
  });

  it('leaves spans outside any assignment untouched', () => {
    tracer().startSpan('plain').end();
    const [span] = exporter.getFinishedSpans();
    expect(Object.keys(span?.attributes ?? {}).filter((key) => key.startsWith('feature_flag') || key.startsWith('flaglens'))).toEqual([]);
  });

  it('stamps child spans of async work started in the assigned context', async () => {
    await bindAssignments([{ flagKey: 'ai-model', variant: 'candidate' }], async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      tracer().startSpan('later').end();
    });
    expect(exporter.getFinishedSpans()[0]?.attributes['feature_flag.result.variant']).toBe('candidate');
  });

  it('never throws from onStart, even when the span refuses attributes', () => {
    const processor = new FlagSpanProcessor();
    const broken = {
      setAttributes() {
        throw new Error('span is broken');
      },
    } as unknown as Span;
    const assigned = contextWithAssignments(context.active(), [{ flagKey: 'ai-model', variant: 'candidate' }]);
    expect(() => processor.onStart(broken, assigned)).not.toThrow();
    expect(() => processor.onEnd(broken)).not.toThrow();
  });
});
