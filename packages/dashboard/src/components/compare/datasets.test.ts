import { describe, expect, it } from 'vitest';
import { chartPanels } from './datasets';
import { regressionResponse } from './fixtures';
import { variantStyles } from './palette';

describe('chartPanels', () => {
  const response = regressionResponse();
  const styles = variantStyles(['control', 'candidate'], 'control');
  const panels = chartPanels(response.series, styles);
  const panel = (id: string) => panels.find((p) => p.id === id);

  it('draws share, latency quantiles, errors, quality and events in reading order', () => {
    expect(panels.map((p) => p.id)).toEqual([
      'share',
      'latency-p50',
      'latency-p95',
      'latency-p99',
      'error-rate',
      'accuracy',
      'precision',
      'recall',
      'f1',
      'drift-psi',
      'drift-js',
      'event-purchase',
    ]);
  });

  it('gives every chart one line per variant, styled the same everywhere', () => {
    const latency = panel('latency-p50');
    expect(latency?.datasets.map((d) => d.label)).toEqual(['control', 'candidate']);
    for (const p of panels.filter((x) => !x.id.startsWith('drift'))) {
      expect(p.datasets.map((d) => d.borderColor)).toEqual([styles.get('control')?.colour, styles.get('candidate')?.colour]);
    }
    expect(latency?.datasets[0]?.borderDash).toEqual([]);
    expect(latency?.datasets[1]?.borderDash.length).toBeGreaterThan(0);
    // Control underneath: where the lines coincide the candidate's dashes stay visible.
    expect(latency?.datasets.map((d) => d.order)).toEqual([1, 0]);
  });

  it('aligns points with the steps, leaving gaps where a step had too little data', () => {
    const latency = panel('latency-p50');
    expect(latency?.datasets[0]?.data).toHaveLength(60);
    expect(latency?.datasets[0]?.data[0]?.x).toBe(response.series.steps[0]);
    expect(latency?.datasets[1]?.data.slice(1).every((point) => point.y !== null && point.y > 0.4)).toBe(true);
    // The first step has 10 requests: too few for any quantile, so a gap rather than a made-up point.
    expect(latency?.datasets[1]?.data[0]?.y).toBeNull();
    expect(latency?.datasets[0]?.spanGaps).toBe(false);
  });

  it('draws drift only for candidates, since control is the reference', () => {
    expect(panel('drift-psi')?.datasets.map((d) => d.variant)).toEqual(['candidate']);
  });

  it('summarises each chart in words and as a table', () => {
    const latency = panel('latency-p50');
    expect(latency?.summary).toMatch(
      /^Latency p50 per step\. control: latest [\d.]+ ms, mean [\d.]+ ms, range [\d.]+ ms–[\d.]+ ms; candidate: latest 5/,
    );
    expect(latency?.table.headers).toEqual(['Step start', 'control', 'candidate']);
    expect(latency?.table.rows).toHaveLength(60);
    expect(latency?.table.rows[0]?.[1]).toBe('—');
    expect(latency?.table.rows[1]?.[1]).toMatch(/ ms$/);
  });

  const quiet = (variant: string, errorRate: (number | null)[]) => ({
    variant,
    requests: errorRate.map(() => 10),
    share: errorRate.map(() => 0.5),
    latency: { p50: errorRate.map(() => null) },
    errorRate,
    cost: errorRate.map(() => 0),
    costPerRequest: errorRate.map(() => 0),
    accuracy: errorRate.map(() => null),
    macroPrecision: errorRate.map(() => null),
    macroRecall: errorRate.map(() => null),
    macroF1: errorRate.map((): number | null => null),
    drift: { psi: errorRate.map(() => null), jensenShannon: errorRate.map(() => null) },
    events: {},
  });

  it('leaves out charts no variant has data for', () => {
    const bare = { steps: [0, 60_000], variants: [quiet('control', [0, 0.1]), quiet('candidate', [0.1, null])] };
    expect(chartPanels(bare, styles).map((p) => p.id)).toEqual(['share', 'error-rate']);
    expect(chartPanels(bare, styles)[1]?.table.rows[1]).toEqual([expect.stringMatching(/^\d\d:\d\d$/), '10.0%', '—']);
  });

  it('draws cost once the service records it, and macro figures once outcomes name their classes', () => {
    const withCost = { steps: [0], variants: [{ ...quiet('control', [null]), costPerRequest: [0.002], macroF1: [0.8] }] };
    expect(chartPanels(withCost, styles).map((p) => p.id)).toEqual(['share', 'f1', 'cost']);
  });

  it('spans the whole window and dots values a line cannot show', () => {
    const latency = panel('latency-p50');
    expect(latency?.range).toEqual({ min: response.series.steps[0], max: response.series.steps[59] });
    const sparse = { steps: [0, 1, 2, 3, 4], variants: [quiet('control', [0.1, null, 0.2, 0.3, null])] };
    expect(chartPanels(sparse, styles).find((p) => p.id === 'error-rate')?.datasets[0]?.pointRadius).toEqual([3, 0, 2, 2, 0]);
  });
});
