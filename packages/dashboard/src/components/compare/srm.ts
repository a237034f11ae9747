import type { Comparison } from '@/src/server/analysis/types';
import { formatPValue, formatValue } from './format';

/** What the split check says, in words: a mismatch banner, a quiet "split holds", or "too early to tell". */
export type SplitCheck =
  | { kind: 'mismatch'; pValue: string; detail: string }
  | { kind: 'holds'; pValue: string }
  | { kind: 'insufficient'; detail: string };

/** Reads the sample-ratio-mismatch figure of a comparison into the banner's words. */
export function splitCheck(comparison: Pick<Comparison, 'srm'>): SplitCheck {
  const srm = comparison.srm;
  if (srm.status === 'insufficient') {
    return {
      kind: 'insufficient',
      detail: `The split check needs ${srm.needed.toLocaleString('en-US')} ${srm.unit}; ${srm.have.toLocaleString('en-US')} so far.`,
    };
  }
  const pValue = formatPValue(srm.value.pValue);
  if (!srm.value.mismatch) return { kind: 'holds', pValue };
  const arms = Object.keys(srm.value.expectedShares).map(
    (variant) =>
      `${variant} got ${formatValue(srm.value.observedShares[variant] ?? 0, 'proportion')} of requests, expected ${formatValue(srm.value.expectedShares[variant] ?? 0, 'proportion')}`,
  );
  return {
    kind: 'mismatch',
    pValue,
    detail: `${arms.join('; ')} (chi-square ${formatPValue(srm.value.pValue)}, flagged below ${srm.value.threshold}).`,
  };
}
