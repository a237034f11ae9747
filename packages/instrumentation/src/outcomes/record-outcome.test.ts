import { FlagEvaluator } from '@flaglens/evaluator';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { FlagTelemetry } from '../flag-telemetry.js';
import { MAX_OUTCOME_SERIES } from '../metrics/outcome-metrics.js';
import { flagSet } from '../test/flags.js';

function setup(predictions = {}, sliceLabels: string[] = []) {
  const registry = new Registry();
  return { registry, flaglens: new FlagTelemetry({ flags: new FlagEvaluator(flagSet), metrics: { registry, sliceLabels }, predictions }) };
}

/** The sum of every series of `text` whose labels include all of `labels`, as `sum by` would give. */
function sum(text: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^\w+\{(.*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const own = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => own[k] === v)) total += Number(match[2]);
  }
  return total;
}

describe('recordOutcome', () => {
  it('joins 10,000 outcomes arriving out of order to the variants, classes and slices of the predictions', async () => {
    const { flaglens, registry } = setup({}, ['plan']);
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
    const gbdt = { flag: 'ai-model', variant: 'candidate', model: 'gbdt', mode: 'served' };
    expect(sum(text, { ...gbdt, outcome: 'incorrect' })).toBe(wrongOnPurpose);
    expect(sum(text, { ...gbdt, outcome: 'correct' })).toBe(candidate - wrongOnPurpose);
    expect(sum(text, { variant: 'control', model: 'logreg', outcome: 'correct' })).toBeGreaterThan(0);
    // The confusion matrix per variant: every cell is the count of (predicted, actual) pairs made.
    for (const variant of ['candidate', 'control']) {
      for (const predicted of ['spam', 'ham']) {
        const pairs = made.map((p, index) => ({ ...p, index })).filter((p) => p.variant === variant && p.label === predicted);
        const wrong = pairs.filter((p) => p.index % 10 === 0).length;
        expect(sum(text, { variant, predicted_class: predicted, actual_class: 'other' }), `${variant} ${predicted}`).toBe(wrong);
        expect(sum(text, { variant, predicted_class: predicted, actual_class: predicted }), `${variant} ${predicted}`).toBe(
          pairs.length - wrong,
        );
      }
    }
    // The plan slice comes from the evaluation context of each prediction: beta users are the candidate's.
    expect(sum(text, { variant: 'candidate', plan: 'beta' })).toBe(candidate);
    expect(sum(text, { variant: 'control', plan: 'free' })).toBe(made.length - candidate);
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
    expect(text).toContain('flaglens_outcome_absolute_error_sum{flag="ai-model",variant="candidate",model="gbdt",mode="served"} 2');
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
    // A call without the truth (from JavaScript, say) is unmatched and leaves the prediction for the real one.
    const second = await run();
    expect(flaglens.recordOutcome(second.predictionId)).toBe(false);
    expect(flaglens.recordOutcome(second.predictionId, 'ham')).toBe(true);
    expect(flaglens.recordOutcome(first.predictionId, 'ham')).toBe(false);
    expect(flaglens.recordOutcome('never-seen', 'ham')).toBe(false);
    expect(await registry.getSingleMetricAsString('flaglens_outcomes_unmatched_total')).toContain('flaglens_outcomes_unmatched_total 3');
  });

  it('takes flag and variant explicitly for outcomes judged in another process', async () => {
    const { flaglens, registry } = setup();
    expect(flaglens.recordOutcome({ flag: 'ai-model', variant: 'control', model: 'logreg', predicted: 'spam', actual: 'ham' })).toBe(true);
    expect(await registry.getSingleMetricAsString('flaglens_outcomes_total')).toContain(
      'flaglens_outcomes_total{flag="ai-model",variant="control",model="logreg",mode="served",outcome="incorrect",predicted_class="spam",actual_class="ham"} 1',
    );
  });

  it('labels explicit outcomes with their mode and declared slices, and ignores undeclared ones', async () => {
    const { flaglens, registry } = setup({}, ['region']);
    const outcome = { flag: 'ai-model', variant: 'candidate', model: 'gbdt', predicted: 'spam', actual: 'spam' } as const;
    flaglens.recordOutcome({ ...outcome, mode: 'shadow', slices: { region: 'eu', user: 'u-123' } });
    expect(await registry.getSingleMetricAsString('flaglens_outcomes_total')).toContain(
      '{flag="ai-model",variant="candidate",model="gbdt",mode="shadow",outcome="correct",predicted_class="spam",actual_class="spam",region="eu"} 1',
    );
  });

  it("keeps the flag set's variants even when explicit outcomes with unknown variants came first", async () => {
    const { flaglens, registry } = setup();
    for (let i = 0; i < 60; i++) flaglens.recordOutcome({ flag: 'ai-model', variant: `typo-${i}`, predicted: 'a', actual: 'a' });
    flaglens.recordOutcome({ flag: 'ai-model', variant: 'candidate', model: 'gbdt', predicted: 'a', actual: 'b' });
    const text = (await registry.getSingleMetricAsString('flaglens_outcomes_total')) ?? '';
    expect(sum(text, { variant: 'candidate', outcome: 'incorrect' })).toBe(1);
  });

  it('bounds the product of classes and slices too: past the series budget, new cells fold into __other__, none lost', async () => {
    const { flaglens, registry } = setup({}, ['region']);
    let recorded = 0;
    for (let region = 0; region < 20; region++) {
      for (let predicted = 0; predicted < 30; predicted++) {
        for (let actual = 0; actual < 30; actual++) {
          const outcome = { flag: 'ai-model', variant: 'control', predicted: `c${predicted}`, actual: `c${actual}` };
          flaglens.recordOutcome({ ...outcome, slices: { region: `r${region}` } });
          recorded++;
        }
      }
    }
    const text = (await registry.getSingleMetricAsString('flaglens_outcomes_total')) ?? '';
    const series = text.split('\n').filter((line) => line.startsWith('flaglens_outcomes_total{'));
    expect(series.length).toBeLessThanOrEqual(MAX_OUTCOME_SERIES + 2 * 900);
    expect(sum(text, {})).toBe(recorded);
    expect(sum(text, { region: '__other__' })).toBeGreaterThan(0);
    const overflow = await registry.getSingleMetricAsString('flaglens_label_overflow_total');
    expect(overflow).toMatch(/label="outcome_series"\} [1-9]/);
  });

  it('keeps slice values bounded: past 20 distinct values per slice they become __other__', async () => {
    const { flaglens, registry } = setup({}, ['region']);
    for (let i = 0; i < 500; i++) {
      flaglens.recordOutcome({ flag: 'ai-model', variant: 'control', predicted: 'a', actual: 'a', slices: { region: `r${i}` } });
    }
    const text = (await registry.getSingleMetricAsString('flaglens_outcomes_total')) ?? '';
    const regions = new Set([...text.matchAll(/region="([^"]+)"/g)].map((m) => m[1]));
    expect(regions.size).toBe(21);
    expect(sum(text, { region: '__other__' })).toBe(480);
  });
});
