import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { collectProcessMetricsOnce } from './process-metrics.js';
import { VariantActivity, variantActivityIn } from './variant-activity.js';

describe('process health', () => {
  it('registers the default process metrics once per registry, so a second start or the service itself cannot collide', async () => {
    const registry = new Registry();
    expect(collectProcessMetricsOnce(registry)).toBe(true);
    expect(collectProcessMetricsOnce(registry)).toBe(false);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
    expect(text).toContain('# TYPE process_resident_memory_bytes gauge');
  });

  it('lists the variants that ran within the window and forgets the rest', () => {
    const activity = new VariantActivity(1000);
    activity.touch('ai-model', 'control');
    const now = performance.now();
    expect(activity.active(now)).toEqual([{ flag: 'ai-model', variant: 'control' }]);
    expect(activity.active(now + 1001)).toEqual([]);
  });

  it('reports one activity per registry through flaglens_variant_active', async () => {
    const registry = new Registry();
    variantActivityIn(registry).touch('ai-model', 'candidate');
    expect(variantActivityIn(registry)).toBe(variantActivityIn(registry));
    expect(await registry.getSingleMetricAsString('flaglens_variant_active')).toContain('{flag="ai-model",variant="candidate"} 1');
  });
});
