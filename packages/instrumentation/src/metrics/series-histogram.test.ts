import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesHistogram } from './series-histogram.js';

const config = { name: 'latency_seconds', help: 'Latency.', labelNames: ['flag', 'variant'], buckets: [0.01, 0.1, 1] };

describe('SeriesHistogram', () => {
  it("exposes exactly what prom-client's histogram exposes for the same observations", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ ...config, registers: [theirs] });
    const histogram = new SeriesHistogram({ ...config, registers: [ours] });
    const observations: [string, string, number][] = [
      ['ai-model', 'control', 0.005],
      ['ai-model', 'control', 0.1],
      ['ai-model', 'candidate', 0.5],
      ['ai-model', 'candidate', 7],
      ['ai-model', 'control', 0.01],
    ];
    const candidate = histogram.series(['ai-model', 'candidate']);
    for (const [flag, variant, value] of observations) {
      reference.observe({ flag, variant }, value);
      if (variant === 'candidate') histogram.observeInto(candidate, value);
      else histogram.observe({ flag, variant }, value);
    }
    const sorted = (text: string) => text.split('\n').sort();
    expect(sorted(await ours.metrics())).toEqual(sorted(await theirs.metrics()));
  });

  it('forgets its series on registry reset', async () => {
    const registry = new Registry();
    const histogram = new SeriesHistogram({ ...config, registers: [registry] });
    histogram.observe({ flag: 'f', variant: 'v' }, 1);
    registry.resetMetrics();
    expect(await registry.metrics()).not.toContain('latency_seconds_count');
  });
});
