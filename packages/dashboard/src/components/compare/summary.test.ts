import { describe, expect, it } from 'vitest';
import { compareVariants } from '@/src/server/analysis/compare';
import { candidateWindow, controlWindow, regressionResponse } from './fixtures';
import { summarise } from './summary';

describe('summarise', () => {
  const [candidate] = summarise(regressionResponse().summary);
  const row = (figure: string) => candidate?.rows.find((r) => r.figure === figure);

  it('marks shadow runs, in their headline and row ids, and counts their calls instead of a configured share', () => {
    const [shadow] = summarise(regressionResponse().summary, { shadow: true });
    expect(shadow).toMatchObject({ variant: 'candidate', shadow: true });
    expect(shadow?.headline).toMatch(/^candidate \(shadow\) against control: /);
    expect(shadow?.rows[0]).toMatchObject({ id: 'shadow:candidate:requests', figure: 'Shadow calls (share of served)' });
    expect(candidate?.shadow).toBe(false);
  });

  it('has one summary per candidate, none for control', () => {
    expect(summarise(regressionResponse().summary).map((s) => [s.variant, s.control])).toEqual([['candidate', 'control']]);
  });

  it('shows the seeded latency regression as significant and worse, with the method', () => {
    const p50 = row('Latency p50');
    expect(p50).toMatchObject({ verdict: 'worse', verdictText: 'Worse', method: 'order-statistic intervals do not overlap' });
    expect(p50?.delta).toMatch(/^\+\d+(\.\d+)? ms$/);
    expect(p50?.relative).toMatch(/^\+\d+%$/);
    expect(candidate?.headline).toContain('worse on Latency p50');
  });

  it('calls unchanged figures not significant, with the p-value and interval of the difference', () => {
    const errors = row('Error rate');
    expect(errors).toMatchObject({ verdict: 'not-significant', delta: '0 pp', pValue: 'p = 1.00' });
    expect(errors?.deltaInterval).toMatch(/^\[−\d\.\d+ pp, \+\d\.\d+ pp\]$/);
    expect(errors?.method).toContain('newcombe');
    expect(row('Accuracy')?.verdict).toBe('not-significant');
  });

  it('calls a lower error rate better and a lower accuracy worse', () => {
    const better = candidateWindow();
    better.errors = { timeout: 20 };
    better.confusion = {
      classes: ['approve', 'reject'],
      matrix: [
        [800, 200],
        [200, 800],
      ],
    };
    const [s] = summarise(compareVariants({ control: 'control', variants: [controlWindow(), better] }));
    expect(s?.rows.find((r) => r.figure === 'Error rate')?.verdict).toBe('better');
    expect(s?.rows.find((r) => r.figure === 'Accuracy')?.verdict).toBe('worse');
  });

  it('says how much data is missing instead of showing a number that looks certain', () => {
    const young = { ...candidateWindow(0.005), weightBasisPoints: 100 };
    const [s] = summarise(compareVariants({ control: 'control', variants: [{ ...controlWindow(), weightBasisPoints: 9900 }, young] }));
    const errors = s?.rows.find((r) => r.figure === 'Error rate');
    expect(errors).toMatchObject({ verdict: 'insufficient', value: '—' });
    expect(errors?.verdictText).toBe('Not enough data: 50 of 100 requests (this variant)');
    expect(errors?.delta).toBeUndefined();
    expect(s?.headline).toContain('not enough data yet for');
  });

  it('leaves out quality rows for a model without labelled outcomes', () => {
    const c = controlWindow();
    const v = candidateWindow();
    delete c.confusion;
    delete v.confusion;
    const [s] = summarise(compareVariants({ control: 'control', variants: [c, v] }));
    expect(s?.rows.some((r) => r.group === 'Quality')).toBe(false);
    expect(s?.rows.find((r) => r.figure === 'Error rate')).toBeDefined();
  });

  it('reads drift as shifted when the distribution test rejects, naming the PSI thresholds', () => {
    const shifted = candidateWindow();
    shifted.score = { bounds: [0.25, 0.5, 0.75, Number.POSITIVE_INFINITY], counts: [1000, 3000, 6000, 10_000] };
    const [s] = summarise(compareVariants({ control: 'control', variants: [controlWindow(), shifted] }));
    const drift = s?.rows.find((r) => r.figure === 'Prediction scores');
    expect(drift).toMatchObject({ verdict: 'shifted', group: 'Drift vs control', pValue: 'p < 0.001' });
    expect(drift?.value).toMatch(/^PSI 0\.\d+ · JS 0\.\d+/);
    expect(drift?.method).toContain('Kolmogorov');
  });

  it('treats a business event as better when higher unless it is named lower-is-better', () => {
    const v = candidateWindow();
    v.events = { purchase: { events: 1300, valueSum: 65_000 } };
    const comparison = compareVariants({ control: 'control', variants: [controlWindow(), v] });
    const rate = (options = {}) => summarise(comparison, options)[0]?.rows.find((r) => r.figure === 'purchase per request');
    expect(rate()?.verdict).toBe('better');
    expect(rate({ lowerIsBetterEvents: ['purchase'] })?.verdict).toBe('worse');
    expect(rate()?.method).toBe('mSPRT normal mixture (always valid)');
  });

  it('shows the estimated cost per variant when the service records one', () => {
    const { summary } = regressionResponse();
    const withCost = summarise(summary, { costUsd: { control: 11.8, candidate: 23.6 } })[0];
    expect(withCost?.rows.find((r) => r.figure === 'Cost (estimated)')).toMatchObject({
      control: '$11.8 ($0.00010 per request)',
      value: '$23.6 ($0.00020 per request)',
      verdict: 'info',
    });
    expect(summarise(summary, { costUsd: { control: 0, candidate: 0 } })[0]?.rows.some((r) => r.figure === 'Cost (estimated)')).toBe(false);
  });

  it('reads a response after JSON, where open interval edges are null', () => {
    const { summary } = regressionResponse();
    const wire = JSON.parse(JSON.stringify(summary, (_, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
    expect(summarise(wire)).toEqual(summarise(summary));
  });
});
