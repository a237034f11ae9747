import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateDataset, trainTestSplit } from '../src/data.js';
import { accuracy, loadModels, majorityBaseline, readSavedModels, trainModels } from '../src/models.js';

const saved = readSavedModels(fileURLToPath(new URL('../models/risk-models.json.gz', import.meta.url)));

describe('data generator', () => {
  it('is seeded: the same seed gives the same rows, another seed other rows', () => {
    expect(generateDataset(200, 1)).toEqual(generateDataset(200, 1));
    expect(generateDataset(200, 2)).not.toEqual(generateDataset(200, 1));
  });

  it('draws a plausible share of defaults', () => {
    const rows = generateDataset(4000, 42);
    const rate = rows.filter((r) => r.defaulted).length / rows.length;
    expect(rate).toBeGreaterThan(0.2);
    expect(rate).toBeLessThan(0.45);
  });
});

describe('training', () => {
  it('is deterministic: training twice gives identical models', () => {
    const options = { rows: 800, seed: 3, forest: { trees: 4, maxDepth: 4 } };
    const first = trainModels(options);
    expect(trainModels(options)).toEqual(first);
    expect(first.heldOut.v1).toBeGreaterThan(first.heldOut.baseline);
    expect(first.heldOut.v2).toBeGreaterThan(first.heldOut.baseline);
  });

  it('the shipped models beat the majority baseline on the held-out split, as recorded', () => {
    const { train, test } = trainTestSplit(generateDataset(saved.trainedOn.rows, saved.trainedOn.seed));
    expect(train).toHaveLength(saved.trainedOn.trainRows);
    const { v1, v2 } = loadModels(saved);
    const baseline = majorityBaseline(train, test);
    expect(baseline).toBe(saved.heldOut.baseline);
    expect(accuracy(v1, test)).toBe(saved.heldOut.v1);
    expect(accuracy(v2, test)).toBe(saved.heldOut.v2);
    expect(saved.heldOut.v1).toBeGreaterThan(baseline + 0.05);
    expect(saved.heldOut.v2).toBeGreaterThan(baseline + 0.05);
  });

  it('scores are probabilities and rise with the debt ratio', () => {
    const { v1, v2 } = loadModels(saved);
    const applicant = { income: 50, debtRatio: 0.2, age: 40, historyYears: 12, latePayments: 0, region: 'east', plan: 'plus' } as const;
    for (const model of [v1, v2]) {
      const low = model.predictProbability(applicant);
      const high = model.predictProbability({ ...applicant, debtRatio: 0.9, historyYears: 1, latePayments: 3 });
      expect(low).toBeGreaterThanOrEqual(0);
      expect(high).toBeLessThanOrEqual(1);
      expect(high).toBeGreaterThan(low);
    }
  });
});
