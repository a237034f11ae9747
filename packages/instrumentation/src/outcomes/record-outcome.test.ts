import { FlagEvaluator } from '@flaglens/evaluator';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FlagTelemetry } from '../flag-telemetry.js';
import { flagSet } from '../test/flags.js';

function setup(predictions = {}) {
  const registry = new Registry();
  return { registry, flaglens: new FlagTelemetry({ flags: new FlagEvaluator(flagSet), metrics: { registry }, predictions }) };
}

const count = (text: string, series: string) => Number(new RegExp(`${series.replace(/[{}]/g, '\\$&')} (\\S+)`).exec(text)?.[1] ?? 0);

describe('recordOutcome', () => {
  it('joins 10,000 outcomes arriving out of order to the variants that made the predictions', async () => {
    const { flaglens, registry } = setup();
    const made: { id: string; variant: string; label: string }[] = [];
    for (let i = 0; i < 10_000; i++) {
      const plan = i % 4 === 0 ? 'beta' : 'free';
      const label = i % 3 === 0 ? 'spam' : 'ham';
      const result = await flaglens.routeInference({
        flag: 'ai-model',
        context: { targetingKey: `u${i}`, plan },
        operation: 'classify',
        models: { control: () => label, candidate: () => label },
        describe: (output) => ({ class: output }),
      });
      made.push({ id: result.predictionId, variant: result.variant, label });
    }
    // Shuffle deterministically: ground truth rarely arrives in prediction order.
    const order = made.map((_, i) => (i * 7919) % made.length);
    let wrongOnPurpose = 0;
    for (const index of order) {
      const p = made[index];
      if (!p) continue;
      const correct = index % 10 !== 0;
      if (!correct && p.variant === 'candidate') wrongOnPurpose++;
      expect(flaglens.recordOutcome(p.id, correct ? p.label : 'other')).toBe(true);
    }
    const text = await registry.getSingleMetricAsString('flaglens_outcomes_total');
    const candidate = made.filter((p) => p.variant === 'candidate').length;
    expect(count(text, 'flaglens_outcomes_total{flag="ai-model",variant="candidate",model="gbdt",outcome="incorrect"}')).toBe(
      wrongOnPurpose,
    );
    expect(count(text, 'flaglens_outcomes_total{flag="ai-model",variant="candidate",model="gbdt",outcome="correct"}')).toBe(
      candidate - wrongOnPurpose,
    );
    expect(count(text, 'flaglens_outcomes_total{flag="ai-model",variant="control",model="logreg",outcome="correct"}')).toBeGreaterThan(0);
  });

  it('records the absolute error of a numeric prediction', async () => {
    const { flaglens, registry } = setup();
    const { predictionId } = await flaglens.routeInference({
      flag: 'ai-model',
      context: { targetingKey: 'u1', plan: 'beta' },
      operation: 'estimate',
      models: { candidate: () => 42 },
      describe: (value) => ({ value }),
    });
    expect(flaglens.recordOutcome(predictionId, 40)).toBe(true);
    const text = await registry.getSingleMetricAsString('flaglens_outcome_absolute_error');
    expect(text).toContain('flaglens_outcome_absolute_error_sum{flag="ai-model",variant="candidate",model="gbdt"} 2');
  });

  it('counts an outcome whose prediction was evicted as unmatched and returns false', async () => {
    const { flaglens, registry } = setup({ maxEntries: 1 });
    const run = () =>
      flaglens.routeInference({
        flag: 'ai-model',
        context: { targetingKey: 'u' },
        operation: 'classify',
        models: { control: () => 'ham' },
        describe: (c) => ({ class: c }),
      });
    const first = await run();
    await run();
    expect(flaglens.recordOutcome(first.predictionId, 'ham')).toBe(false);
    expect(flaglens.recordOutcome('never-seen', 'ham')).toBe(false);
    expect(await registry.getSingleMetricAsString('flaglens_outcomes_unmatched_total')).toContain('flaglens_outcomes_unmatched_total 2');
  });

  it('takes flag and variant explicitly for outcomes judged in another process', async () => {
    const { flaglens, registry } = setup();
    expect(flaglens.recordOutcome({ flag: 'ai-model', variant: 'control', model: 'logreg', predicted: 'spam', actual: 'ham' })).toBe(true);
    expect(await registry.getSingleMetricAsString('flaglens_outcomes_total')).toContain(
      'flaglens_outcomes_total{flag="ai-model",variant="control",model="logreg",outcome="incorrect"} 1',
    );
  });
});
