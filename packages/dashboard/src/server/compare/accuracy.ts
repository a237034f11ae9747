import { type AnalysisOptions, type Compared, type Count, comparedProportion } from '../analysis';
import type { OutcomeCounts } from './mapping';

/**
 * Accuracy from correct / judged outcomes, as the library compares any proportion (Wilson figures, Newcombe
 * delta). Outcomes that name no classes (older instrumentation) count here too, unlike in the confusion matrix.
 */
export function accuracyOf(v: OutcomeCounts, c: OutcomeCounts, options: AnalysisOptions, withDelta: boolean): Compared {
  const count = (o: OutcomeCounts): Count => ({ successes: o.correct, trials: o.judged });
  return comparedProportion(count(v), count(c), options.alpha, options.minimums.outcomes, 'labelled outcomes', withDelta);
}
