import type { Compared, Delta, Figure } from '@/src/server/analysis/types';

/**
 * How a figure of a candidate reads against control. `shifted` is for drift, which has no better side;
 * `info` is for figures without a test (request counts).
 */
export type Verdict = 'better' | 'worse' | 'not-significant' | 'insufficient' | 'shifted' | 'no-test' | 'info';

/** Which side of a delta is good news. */
export type Direction = 'higher-is-better' | 'lower-is-better';

/** Words and an icon for each verdict, so colour is never the only signal. */
export const VERDICT_LABELS: Record<Verdict, { icon: string; words: string }> = {
  better: { icon: '✔', words: 'Better' },
  worse: { icon: '✖', words: 'Worse' },
  'not-significant': { icon: '=', words: 'No significant difference' },
  insufficient: { icon: '…', words: 'Not enough data' },
  shifted: { icon: '⚠', words: 'Distribution shifted' },
  'no-test': { icon: '–', words: 'No test available' },
  info: { icon: '·', words: '' },
};

/** The first figure of the pair that is short of data, variant first. */
export function shortFigure(compared: Pick<Compared, 'variant' | 'control'>): Extract<Figure, { status: 'insufficient' }> | undefined {
  if (compared.variant.status === 'insufficient') return compared.variant;
  if (compared.control.status === 'insufficient') return compared.control;
  return undefined;
}

/** The verdict of a delta: a significant move is better or worse by the figure's direction. */
export function verdictOf(compared: Compared, direction: Direction): Verdict {
  if (shortFigure(compared)) return 'insufficient';
  const delta: Delta | undefined = compared.delta;
  // Over JSON an undefined difference arrives as null.
  if (!delta || typeof delta.value !== 'number' || !Number.isFinite(delta.value)) return 'no-test';
  if (!delta.significant || delta.value === 0) return 'not-significant';
  const up = delta.value > 0;
  return up === (direction === 'higher-is-better') ? 'better' : 'worse';
}

/** "Not enough data: 60 of 100 requests (candidate)". */
export function insufficientText(compared: Pick<Compared, 'variant' | 'control'>): string {
  const short = shortFigure(compared);
  if (!short) return '';
  const side = compared.variant.status === 'insufficient' ? 'this variant' : 'control';
  return `${VERDICT_LABELS.insufficient.words}: ${short.have.toLocaleString('en-US')} of ${short.needed.toLocaleString('en-US')} ${short.unit} (${side})`;
}
