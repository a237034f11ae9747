import { execFileSync } from 'node:child_process';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { MetricName } from './names.js';
import { VariantMetrics } from './variant-metrics.js';

const labels = { flag: 'ai-model', variant: 'candidate', model: 'gbdt' };

function promtool(): string | undefined {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return 'promtool';
  } catch {
    return undefined;
  }
}

describe('VariantMetrics', () => {
  it('registers every documented metric with explicit buckets', async () => {
    const registry = new Registry();
    const metrics = new VariantMetrics({ registry });
    metrics.inference(labels, 'served', 0.042);
    const text = await registry.metrics();
    for (const name of Object.values(MetricName)) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain(
      'flaglens_inference_duration_seconds_bucket{le="0.05",flag="ai-model",variant="candidate",model="gbdt",mode="served"} 1',
    );
    expect(text).toContain(
      'flaglens_inference_duration_seconds_bucket{le="0.025",flag="ai-model",variant="candidate",model="gbdt",mode="served"} 0',
    );
  });

  it('reuses metrics already in the registry, so a second instance does not throw on duplicate names', async () => {
    const registry = new Registry();
    const first = new VariantMetrics({ registry });
    const second = new VariantMetrics({ registry });
    first.businessEvent('ai-model', 'candidate', 'purchase', 10);
    second.businessEvent('ai-model', 'candidate', 'purchase', 5);
    const text = await registry.metrics();
    expect(text).toContain('flaglens_business_events_total{flag="ai-model",variant="candidate",event="purchase"} 2');
    expect(text).toContain('flaglens_business_event_value_total{flag="ai-model",variant="candidate",event="purchase"} 15');
    // 10² + 5²: the variance of value per request needs the sum of squares beside the sum.
    expect(text).toContain('flaglens_business_event_value_squared_total{flag="ai-model",variant="candidate",event="purchase"} 125');
  });

  it('refuses slice labels that are not label names, are reserved, or are too many', () => {
    expect(() => new VariantMetrics({ registry: new Registry(), sliceLabels: ['user id'] })).toThrow(RangeError);
    expect(() => new VariantMetrics({ registry: new Registry(), sliceLabels: ['variant'] })).toThrow(/reserved/);
    expect(() => new VariantMetrics({ registry: new Registry(), sliceLabels: ['a', 'b', 'c', 'd', 'e'] })).toThrow(/at most 4/);
  });

  it('refuses to reuse a same-named metric with other labels rather than record under wrong ones', () => {
    const registry = new Registry();
    new Counter({ name: MetricName.OUTCOMES, help: 'theirs', labelNames: ['service'], registers: [registry] });
    expect(() => new VariantMetrics({ registry })).toThrow(/already registered/);
  });

  it('keeps series bounded under a cardinality attack of 100,000 distinct label values', async () => {
    const registry = new Registry();
    const metrics = new VariantMetrics({ registry, labelLimits: { class: { allow: ['spam', 'ham'], cap: 10 } } });
    const heapBefore = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100_000; i++) {
      metrics.prediction({ ...labels, variant: `user-${i}` }, 'served', { class: `class-${i}`, score: 0.5 });
    }
    const text = await registry.metrics();
    const classSeries = text.split('\n').filter((line) => line.startsWith('flaglens_predicted_class_total{'));
    // 50 learned variants (the default cap) plus __other__, times 10 learned classes plus __other__.
    expect(classSeries.length).toBeLessThanOrEqual(51 * 11);
    expect(text).toContain('variant="__other__"');
    expect(text).toMatch(/flaglens_label_overflow_total\{label="variant"\} 99950/);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(50 * 1024 * 1024);
  });

  it('ignores non-finite scores and negative event values instead of throwing', async () => {
    const registry = new Registry();
    const metrics = new VariantMetrics({ registry });
    expect(() => metrics.prediction(labels, 'served', { score: Number.NaN })).not.toThrow();
    expect(() => metrics.businessEvent('ai-model', 'candidate', 'refund', -5)).not.toThrow();
    expect(await registry.getSingleMetricAsString(MetricName.BUSINESS_EVENTS)).toContain('event="refund"} 1');
  });

  it.runIf(promtool())('produces exposition text that promtool check metrics accepts', async () => {
    const registry = new Registry();
    const metrics = new VariantMetrics({ registry });
    metrics.inference(labels, 'served', 0.1, 'ModelTimeout');
    metrics.evaluation('ai-model', 'candidate', 'SPLIT');
    metrics.prediction(labels, 'shadow', { score: 0.3, class: 'spam' });
    metrics.outcome(labels, { correct: true, absoluteError: 0.5, predictedClass: 'spam', actualClass: 'ham' }, { mode: 'shadow' });
    metrics.businessEvent('ai-model', 'candidate', 'purchase', 3);
    metrics.unmatchedOutcome();
    metrics.shadow.agreement(labels, 'control', true);
    metrics.shadow.dropped('ai-model', 'candidate', 'concurrency');
    metrics.llm.usage(labels, 'served', { inputTokens: 1200, outputTokens: 300 }, 0.00036);
    const output = execFileSync('promtool', ['check', 'metrics'], { input: await registry.metrics() }).toString();
    expect(output).toBe('');
  });
});
