import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import { RandomForestClassifier } from 'ml-random-forest';
import { type Applicant, type Example, encode, generateDataset, trainTestSplit } from './data.js';

/** A trained credit-risk model: the probability that an applicant defaults. */
export interface RiskModel {
  /** The model label the flag's variant names (`value.model`). */
  readonly name: string;
  predictProbability(applicant: Applicant): number;
}

/** Training settings; the defaults are what the service uses. */
export interface TrainingOptions {
  /** Rows generated; 75% train, 25% held out. */
  readonly rows?: number;
  /** Seed of the data generator. */
  readonly seed?: number;
}

export const LOGREG_MODEL = 'logreg';
export const FOREST_MODEL = 'random-forest';

/** What `npm run train` writes to `models/risk-models.json` and the service loads at start. */
export interface SavedModels {
  readonly trainedOn: { readonly rows: number; readonly seed: number; readonly trainRows: number };
  readonly heldOut: { readonly baseline: number; readonly v1: number; readonly v2: number };
  readonly v1: SavedLogisticRegression;
  readonly v2: ReturnType<RandomForestClassifier['toJSON']>;
}

export interface SavedLogisticRegression {
  readonly mean: number[];
  readonly scale: number[];
  readonly model: unknown;
}

/**
 * v1: logistic regression (mljs `ml-logistic-regression`, batch gradient descent) on standardised
 * features with an intercept column.
 */
export function trainLogisticRegression(train: readonly Example[]): SavedLogisticRegression {
  const raw = train.map(encode);
  const width = raw[0]?.length ?? 0;
  const mean = new Array<number>(width).fill(0);
  const variance = new Array<number>(width).fill(0);
  for (const row of raw) {
    for (const [j, v] of row.entries()) mean[j] = (mean[j] ?? 0) + v / raw.length;
  }
  for (const row of raw) {
    for (const [j, v] of row.entries()) variance[j] = (variance[j] ?? 0) + (v - (mean[j] ?? 0)) ** 2 / raw.length;
  }
  const scale = variance.map((v) => Math.sqrt(v) || 1);
  const model = new LogisticRegression({ numSteps: 1500, learningRate: 0.5 / raw.length });
  model.train(new Matrix(raw.map((row) => standardise(row, mean, scale))), Matrix.columnVector(train.map((e) => (e.defaulted ? 1 : 0))));
  return JSON.parse(JSON.stringify({ mean, scale, model: model.toJSON() }));
}

function standardise(row: readonly number[], mean: readonly number[], scale: readonly number[]): number[] {
  return [1, ...row.map((v, j) => (v - (mean[j] ?? 0)) / (scale[j] ?? 1))];
}

export function loadLogisticRegression(saved: SavedLogisticRegression): RiskModel {
  const model = LogisticRegression.load(saved.model);
  // One-vs-all with two classes: classifier 0 separates class 0 (repaid) from the rest, so its
  // score is the probability of class 1 (defaulted).
  const classifier = model.classifiers[0];
  if (!classifier) throw new Error('logistic regression model has no classifier');
  return {
    name: LOGREG_MODEL,
    predictProbability: (applicant) => classifier.testScores(new Matrix([standardise(encode(applicant), saved.mean, saved.scale)]))[0] ?? 0,
  };
}

/** Forest settings; `npm run train` uses the defaults, tests a smaller forest. */
export interface ForestOptions {
  readonly trees?: number;
  readonly maxDepth?: number;
  readonly seed?: number;
}

/** v2: a random forest of CART trees (mljs `ml-random-forest`), seeded, with sample bagging. */
export function trainRandomForest(train: readonly Example[], options: ForestOptions = {}): SavedModels['v2'] {
  const forest = new RandomForestClassifier({
    nEstimators: options.trees ?? 15,
    maxFeatures: 1.0,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    seed: options.seed ?? 7,
    treeOptions: { maxDepth: options.maxDepth ?? 7, minNumSamples: 15 },
  });
  forest.train(
    train.map(encode),
    train.map((e) => (e.defaulted ? 1 : 0)),
  );
  return JSON.parse(JSON.stringify(forest.toJSON()));
}

export function loadRandomForest(saved: SavedModels['v2']): RiskModel {
  const forest = RandomForestClassifier.load(saved);
  return {
    name: FOREST_MODEL,
    // The share of trees voting "defaulted".
    predictProbability: (applicant) => {
      const votes = forest.predictionValues([encode(applicant)]).getRow(0);
      return votes.reduce((sum, v) => sum + v, 0) / votes.length;
    },
  };
}

/** Share of rows where `probability ≥ 0.5` matches the drawn outcome. */
export function accuracy(model: RiskModel, rows: readonly Example[]): number {
  let right = 0;
  for (const row of rows) if (model.predictProbability(row) >= 0.5 === row.defaulted) right++;
  return right / rows.length;
}

/** Accuracy of always predicting the majority class of `train` on `test`. */
export function majorityBaseline(train: readonly Example[], test: readonly Example[]): number {
  const defaultRate = train.filter((e) => e.defaulted).length / train.length;
  const predictDefault = defaultRate >= 0.5;
  return test.filter((e) => e.defaulted === predictDefault).length / test.length;
}

/** Data set settings. */
export interface TrainingOptions {
  /** Rows generated; 75% train, 25% held out. */
  readonly rows?: number;
  /** Seed of the data generator. */
  readonly seed?: number;
  readonly forest?: ForestOptions;
}

/** Generates the data set, trains both models and measures them on the held-out quarter. */
export function trainModels(options: TrainingOptions = {}): SavedModels {
  const rows = options.rows ?? 4000;
  const seed = options.seed ?? 42;
  const { train, test } = trainTestSplit(generateDataset(rows, seed));
  const v1 = trainLogisticRegression(train);
  const v2 = trainRandomForest(train, options.forest);
  return {
    trainedOn: { rows, seed, trainRows: train.length },
    heldOut: {
      baseline: majorityBaseline(train, test),
      v1: accuracy(loadLogisticRegression(v1), test),
      v2: accuracy(loadRandomForest(v2), test),
    },
    v1,
    v2,
  };
}

/** The two models of a saved file, by the model name the flag's variants use. */
export function loadModels(saved: SavedModels): { readonly v1: RiskModel; readonly v2: RiskModel } {
  return { v1: loadLogisticRegression(saved.v1), v2: loadRandomForest(saved.v2) };
}

/** Reads what `npm run train` wrote: gzipped JSON (`.gz`) or plain JSON. */
export function readSavedModels(file: string): SavedModels {
  const bytes = readFileSync(file);
  return JSON.parse((file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')) as SavedModels;
}
