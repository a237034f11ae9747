/**
 * flaglens analysis library: pure statistics over the per-variant aggregates the control plane stores.
 * Methods and their sources: ./README.md.
 */
export { compareEvent, eventRateFigure, eventValueFigure } from './business';
export { type ChiSquare, chiSquareGoodnessOfFit, chiSquareHomogeneity, chiSquareSf } from './chi-square';
export { type ClassificationQuality, type ClassQuality, classificationQuality } from './classification';
export { compareVariants } from './compare';
export { comparedProportion } from './compared';
export { jensenShannon, psi } from './divergence';
export { alignHistograms, classDrift, type DriftReport, histogramDrift } from './drift';
export { DEFAULT_MINIMUMS, DEFAULT_OPTIONS, isOk, resolveOptions } from './guards';
export { addHistograms, bucketCounts, histogramTotal } from './histogram';
export { holmAdjust } from './holm';
export { type KolmogorovSmirnov, ksBucketed } from './ks';
export { quantileDelta, quantileFigure } from './latency';
export { meanAbsoluteError, meanDelta } from './mean-error';
export { normalCdf, normalQuantile } from './normal';
export { type Count, proportionDelta, proportionFigure, wilsonInterval } from './proportion';
export { histogramQuantile } from './quantile';
export { type MeanSummary, mixingRho2, mixtureSequentialTest, type PreviousLook, type SequentialTest } from './sequential';
export { type Assignment, type SampleRatioMismatch, sampleRatioMismatch } from './srm';
export type * from './types';
