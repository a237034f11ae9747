import { FlagEvaluator, type FlagSetInput } from '@flaglens/evaluator';
import { SpanStatusCode } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { FlagTelemetry } from '../flag-telemetry.js';
import { startTracing } from '../test/tracing.js';
import type { ShadowOptions } from './runner.js';

const { exporter } = startTracing();
afterEach(() => exporter.reset());

/** Control serves everyone and names the candidate as its shadow. */
const shadowed: FlagSetInput = {
  flags: {
    'ai-model': {
      type: 'object',
      variants: { control: { model: 'logreg', shadow: { variant: 'candidate', sampleRate: 0.5 } }, candidate: { model: 'gbdt' } },
      fallthrough: { variant: 'control' },
    },
  },
};
const user = { targetingKey: 'user-1' };
type Output = { label: string };
const describe_ = (o: Output) => ({ class: o.label });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function setup(shadow: ShadowOptions = { random: () => 0.1 }) {
  const registry = new Registry();
  const flaglens = new FlagTelemetry({ flags: new FlagEvaluator(shadowed), metrics: { registry }, shadow });
  const metric = async (name: string) => (await registry.getSingleMetricAsString(name)) ?? '';
  return { flaglens, metric };
}

function route(flaglens: FlagTelemetry, candidate: () => Output | Promise<Output>) {
  return flaglens.routeInference({
    flag: 'ai-model',
    context: user,
    operation: 'classify',
    describe: describe_,
    models: {
      control: () => ({ label: 'ham' }),
      candidate,
    },
  });
}

describe('shadow runs', () => {
  it('answers with the served variant without waiting for a slow shadow', async () => {
    const { flaglens, metric } = setup();
    let finish = (_: Output) => {};
    const slow = () =>
      new Promise<Output>((resolve) => {
        finish = resolve;
      });
    const started = performance.now();
    const result = await route(flaglens, slow);
    expect(result).toMatchObject({ variant: 'control', output: { label: 'ham' } });
    expect(performance.now() - started).toBeLessThan(50);
    await settle();
    expect(flaglens.shadows.inFlight).toBe(1);
    finish({ label: 'spam' });
    await settle();
    expect(await metric('flaglens_inference_duration_seconds')).toContain(
      '_count{flag="ai-model",variant="candidate",model="gbdt",mode="shadow"} 1',
    );
    expect(flaglens.shadows.inFlight).toBe(0);
  });

  it('hands the response back before a synchronous shadow model starts', async () => {
    const { flaglens } = setup();
    const order: string[] = [];
    await route(flaglens, () => {
      order.push('shadow');
      return { label: 'ham' };
    });
    order.push('response');
    await settle();
    expect(order).toEqual(['response', 'shadow']);
  });

  it('never fails the response when the shadow throws or rejects, and records the error with mode="shadow"', async () => {
    const { flaglens, metric } = setup();
    const thrown = await route(flaglens, () => {
      throw new TypeError('bad input');
    });
    const rejected = await route(flaglens, () => Promise.reject(new RangeError('model down')));
    expect([thrown.output, rejected.output]).toEqual([{ label: 'ham' }, { label: 'ham' }]);
    await settle();
    const errors = await metric('flaglens_inference_errors_total');
    expect(errors).toContain('variant="candidate",model="gbdt",mode="shadow",type="TypeError"} 1');
    expect(errors).toContain('variant="candidate",model="gbdt",mode="shadow",type="RangeError"} 1');
    const spans = exporter.getFinishedSpans().filter((s) => s.attributes['flaglens.mode'] === 'shadow');
    expect(spans.map((s) => s.status.code)).toEqual([SpanStatusCode.ERROR, SpanStatusCode.ERROR]);
  });

  it('keeps at most maxConcurrent shadow calls in flight and counts the dropped ones', async () => {
    const { flaglens, metric } = setup({ maxConcurrent: 2, random: () => 0 });
    const pending: (() => void)[] = [];
    let running = 0;
    let peak = 0;
    const held = () =>
      new Promise<Output>((resolve) => {
        peak = Math.max(peak, ++running);
        pending.push(() => {
          running--;
          resolve({ label: 'ham' });
        });
      });
    for (let i = 0; i < 10; i++) await route(flaglens, held);
    await settle();
    expect(peak).toBe(2);
    expect(await metric('flaglens_shadow_dropped_total')).toContain('{flag="ai-model",variant="candidate",reason="concurrency"} 8');
    for (const release of pending.splice(0)) release();
    await settle();
    await route(flaglens, held);
    await settle();
    expect(running).toBe(1);
  });

  it('counts agreement between the shadow and the served prediction for the same input', async () => {
    const { flaglens, metric } = setup();
    await route(flaglens, () => ({ label: 'ham' }));
    await route(flaglens, () => ({ label: 'spam' }));
    await route(flaglens, () => ({ label: 'ham' }));
    await settle();
    const agreement = await metric('flaglens_shadow_agreement_total');
    expect(agreement).toContain('{flag="ai-model",variant="candidate",model="gbdt",served_variant="control",agree="true"} 2');
    expect(agreement).toContain('{flag="ai-model",variant="candidate",model="gbdt",served_variant="control",agree="false"} 1');
    expect(await metric('flaglens_predicted_class_total')).toContain('model="gbdt",mode="shadow",class="spam"} 1');
  });

  it('judges the shadow prediction with the same ground truth, as mode="shadow"', async () => {
    const { flaglens, metric } = setup();
    const right = await route(flaglens, () => ({ label: 'spam' }));
    const wrong = await route(flaglens, () => ({ label: 'ham' }));
    await settle();
    expect(flaglens.recordOutcome(right.predictionId, 'spam')).toBe(true);
    expect(flaglens.recordOutcome(wrong.predictionId, 'spam')).toBe(true);
    const outcomes = await metric('flaglens_outcomes_total');
    const shadow = '{flag="ai-model",variant="candidate",model="gbdt",mode="shadow"';
    expect(outcomes).toContain(`${shadow},outcome="correct",predicted_class="spam",actual_class="spam"} 1`);
    expect(outcomes).toContain(`${shadow},outcome="incorrect",predicted_class="ham",actual_class="spam"} 1`);
    // The served control said ham both times.
    expect(outcomes).toContain(
      '{flag="ai-model",variant="control",model="logreg",mode="served",outcome="incorrect",predicted_class="ham",actual_class="spam"} 2',
    );
  });

  it('judges a shadow that finishes after the ground truth arrived, once, and then forgets the prediction', async () => {
    const { flaglens, metric } = setup();
    const finish: ((output: Output) => void)[] = [];
    const slow = () => new Promise<Output>((resolve) => finish.push(resolve));
    const judged = await route(flaglens, slow);
    const failing = await route(flaglens, () => Promise.reject(new Error('candidate down')));
    // The truth comes back with the response, before the shadow even started.
    expect(flaglens.recordOutcome(judged.predictionId, 'spam')).toBe(true);
    expect(flaglens.recordOutcome(failing.predictionId, 'spam')).toBe(true);
    expect(flaglens.recordOutcome(judged.predictionId, 'spam')).toBe(false);
    await settle();
    finish[0]?.({ label: 'spam' });
    await settle();
    expect(await metric('flaglens_outcomes_total')).toContain(
      '{flag="ai-model",variant="candidate",model="gbdt",mode="shadow",outcome="correct",predicted_class="spam",actual_class="spam"} 1',
    );
    expect(flaglens.predictions.size).toBe(0);
  });

  it('runs only the sampled share of calls', async () => {
    const { flaglens } = setup({ random: () => 0.7 });
    let calls = 0;
    await route(flaglens, () => {
      calls++;
      return { label: 'ham' };
    });
    await settle();
    expect(calls).toBe(0);
  });

  it('stamps the shadow span with the shadow variant and links it to the served span', async () => {
    const { flaglens } = setup();
    await route(flaglens, () => ({ label: 'ham' }));
    await settle();
    const served = exporter.getFinishedSpans().find((s) => s.attributes['flaglens.mode'] === 'served');
    const shadow = exporter.getFinishedSpans().find((s) => s.attributes['flaglens.mode'] === 'shadow');
    expect(shadow?.attributes).toMatchObject({ 'feature_flag.result.variant': 'candidate', 'flaglens.model': 'gbdt' });
    expect(shadow?.links[0]?.context.spanId).toBe(served?.spanContext().spanId);
    expect(served?.attributes['feature_flag.result.variant']).toBe('control');
  });

  it('takes the shadow from the route for flags whose values cannot name one', async () => {
    const registry = new Registry();
    const flags = new FlagEvaluator({
      flags: { llm: { type: 'string', variants: { small: 'mini', large: 'big' }, fallthrough: { variant: 'small' } } },
    });
    const flaglens = new FlagTelemetry({ flags, metrics: { registry } });
    const ran: string[] = [];
    await flaglens.routeInference({
      flag: 'llm',
      context: user,
      operation: 'chat',
      shadow: { variant: 'large' },
      models: { small: () => ran.push('small'), large: () => ran.push('large') },
      agree: (served, shadow) => served === shadow,
    });
    await settle();
    expect(ran).toEqual(['small', 'large']);
    expect(await registry.getSingleMetricAsString('flaglens_shadow_agreement_total')).toContain('served_variant="small",agree="false"} 1');
  });
});
