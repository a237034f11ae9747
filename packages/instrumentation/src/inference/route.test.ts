import { FlagEvaluator } from '@flaglens/evaluator';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { bindAssignments } from '../context/active.js';
import { FlagTelemetry } from '../flag-telemetry.js';
import { beta, flagSet, free } from '../test/flags.js';
import { startTracing } from '../test/tracing.js';

const { exporter } = startTracing();
afterEach(() => exporter.reset());

function setup() {
  const registry = new Registry();
  const flaglens = new FlagTelemetry({ flags: new FlagEvaluator(flagSet), metrics: { registry } });
  return { registry, flaglens };
}

const models = {
  control: () => ({ label: 'ham', confidence: 0.7 }),
  candidate: async () => ({ label: 'spam', confidence: 0.95 }),
};
const describe_ = (r: { label: string; confidence: number }) => ({ class: r.label, score: r.confidence });

class ModelTimeout extends Error {
  override name = 'ModelTimeout';
}

describe('routeInference', () => {
  it("calls the evaluated variant's model and returns its output with a prediction id", async () => {
    const { flaglens } = setup();
    const result = await flaglens.routeInference({ flag: 'ai-model', context: beta, operation: 'classify', models, describe: describe_ });
    expect(result).toMatchObject({ output: { label: 'spam' }, variant: 'candidate', model: 'gbdt' });
    expect(result.predictionId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes the variant and its configuration to the model call', async () => {
    const { flaglens } = setup();
    const seen: unknown[] = [];
    await flaglens.routeInference({
      flag: 'ai-model',
      context: free,
      operation: 'classify',
      models: { control: (v) => seen.push(v), candidate: () => 0 },
    });
    expect(seen).toEqual([{ name: 'control', value: { model: 'logreg' }, model: 'logreg' }]);
  });

  it('runs the call inside a span named for the operation, stamped with the variant and the prediction id', async () => {
    const { flaglens } = setup();
    const { predictionId } = await flaglens.routeInference({ flag: 'ai-model', context: beta, operation: 'classify', models });
    const span = exporter.getFinishedSpans().find((s) => s.name === 'classify');
    expect(span?.attributes).toMatchObject({
      'feature_flag.key': 'ai-model',
      'feature_flag.result.variant': 'candidate',
      'flaglens.prediction.id': predictionId,
      'flaglens.mode': 'served',
      'flaglens.model': 'gbdt',
    });
  });

  it('stamps spans the model call starts itself', async () => {
    const { flaglens } = setup();
    await flaglens.routeInference({
      flag: 'ai-model',
      context: beta,
      operation: 'classify',
      models: { control: () => undefined, candidate: () => trace.getTracer('model-client').startSpan('POST /v1/predict').end() },
    });
    const inner = exporter.getFinishedSpans().find((s) => s.name === 'POST /v1/predict');
    expect(inner?.attributes['feature_flag.result.variant']).toBe('candidate');
  });

  it('rethrows the model error unchanged, marks the span and counts the error by type', async () => {
    const { flaglens, registry } = setup();
    const failure = new ModelTimeout('model took too long');
    const failing = flaglens.routeInference({
      flag: 'ai-model',
      context: beta,
      operation: 'classify',
      models: {
        control: () => 0,
        candidate: () => {
          throw failure;
        },
      },
    });
    await expect(failing).rejects.toBe(failure);
    const span = exporter.getFinishedSpans().find((s) => s.name === 'classify');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['error.type']).toBe('ModelTimeout');
    const errors = await registry.getSingleMetricAsString('flaglens_inference_errors_total');
    expect(errors).toContain(
      'flaglens_inference_errors_total{flag="ai-model",variant="candidate",model="gbdt",mode="served",type="ModelTimeout"} 1',
    );
  });

  it('rethrows a thrown non-Error value as it was', async () => {
    const { flaglens } = setup();
    const thrown = { code: 503 };
    const failing = flaglens.routeInference({
      flag: 'ai-model',
      context: free,
      operation: 'classify',
      models: { control: () => Promise.reject(thrown) },
    });
    await expect(failing).rejects.toBe(thrown);
  });

  it('records latency, score and class per variant', async () => {
    const { flaglens, registry } = setup();
    await flaglens.routeInference({ flag: 'ai-model', context: beta, operation: 'classify', models, describe: describe_ });
    await flaglens.routeInference({ flag: 'ai-model', context: free, operation: 'classify', models, describe: describe_ });
    const text = await registry.metrics();
    expect(text).toContain('flaglens_inference_duration_seconds_count{flag="ai-model",variant="candidate",model="gbdt",mode="served"} 1');
    expect(text).toContain('flaglens_inference_duration_seconds_count{flag="ai-model",variant="control",model="logreg",mode="served"} 1');
    expect(text).toContain('flaglens_prediction_score_bucket{le="1",flag="ai-model",variant="candidate",model="gbdt",mode="served"} 1');
    expect(text).toContain('flaglens_predicted_class_total{flag="ai-model",variant="control",model="logreg",mode="served",class="ham"} 1');
  });

  it('uses the assignment bound to the request instead of evaluating again', async () => {
    const { flaglens, registry } = setup();
    const result = await bindAssignments([{ flagKey: 'ai-model', variant: 'candidate', value: { model: 'gbdt' } }], () =>
      flaglens.routeInference({ flag: 'ai-model', context: free, operation: 'classify', models }),
    );
    expect(result.variant).toBe('candidate');
    expect(await registry.getSingleMetricAsString('flaglens_flag_evaluations_total')).not.toContain('flag="ai-model"');
  });

  it('runs the fallback model when the flag is missing and labels the call with it', async () => {
    const registry = new Registry();
    const flaglens = new FlagTelemetry({ flags: new FlagEvaluator({ flags: {} }), metrics: { registry } });
    const result = await flaglens.routeInference({
      flag: 'ai-model',
      context: beta,
      operation: 'classify',
      models,
      fallbackVariant: 'control',
    });
    expect(result.variant).toBe('control');
    const evaluations = await registry.getSingleMetricAsString('flaglens_flag_evaluations_total');
    expect(evaluations).toContain('flag="ai-model",variant="__default__",reason="ERROR"} 1');
  });

  it('keeps returning the output when recording metrics fails', async () => {
    const { flaglens } = setup();
    const result = await flaglens.routeInference({
      flag: 'ai-model',
      context: beta,
      operation: 'classify',
      models,
      describe: () => {
        throw new Error('bad describe');
      },
    });
    expect(result.output).toEqual({ label: 'spam', confidence: 0.95 });
  });

  it('never turns variant names from the flag set into __other__, however many there are', async () => {
    const variants = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`v${i}`, { model: `m${i}` }]));
    const many = { flags: { wide: { type: 'object' as const, variants, fallthrough: { variant: 'v79' } } } };
    const registry = new Registry();
    const flaglens = new FlagTelemetry({
      flags: new FlagEvaluator(many),
      metrics: { registry, labelLimits: { variant: { cap: 0 }, model: { cap: 0 } } },
    });
    const result = await flaglens.routeInference({ flag: 'wide', context: beta, operation: 'classify', models: { v79: () => 1 } });
    expect(result.model).toBe('m79');
    expect(await registry.getSingleMetricAsString('flaglens_inference_duration_seconds')).toContain('variant="v79",model="m79"');
  });
});
