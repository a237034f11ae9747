/** Seconds; from 5 ms (a small local model) to 30 s (a long LLM completion). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

/** Scores in [0, 1] (probabilities): deciles, which is what PSI and KS on the bucketed distribution use. */
export const SCORE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/** Absolute regression error, in the target's own unit; roughly logarithmic. Override per service. */
export const ABSOLUTE_ERROR_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100] as const;
