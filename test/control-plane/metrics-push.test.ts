import { rmSync } from 'node:fs';
import { MetricPush, VariantMetrics } from '@flaglens/instrumentation';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelFlag, type SdkFixture, startSdkFixture } from './admin.js';

// The contract between the two packages: what @flaglens/instrumentation pushes, the control
// plane's ingest endpoint stores, label for label, with nothing dropped.

let fixture: SdkFixture;

beforeAll(async () => {
  fixture = await startSdkFixture('flaglens-push-');
  await fixture.admin.putFlag('ai-model', modelFlag);
}, 90_000);

afterAll(async () => {
  await fixture?.plane.stop();
  if (fixture) rmSync(fixture.dataDir, { recursive: true, force: true });
});

function recordTraffic(metrics: VariantMetrics, requests: number): void {
  for (let i = 0; i < requests; i++) {
    const variant = i % 10 === 0 ? 'small' : 'large';
    const labels = { flag: 'ai-model', variant, model: variant === 'small' ? 'gpt-a' : 'gpt-b' };
    metrics.inference(labels, 'served', 0.05 + (i % 7) / 100);
  }
}

describe('metric push from an instrumented service', () => {
  it('is accepted by the control plane on every push', async () => {
    const registry = new Registry();
    const metrics = new VariantMetrics({ registry });
    const push = new MetricPush({ url: fixture.plane.url, sdkKey: fixture.sdkKey, registry });
    recordTraffic(metrics, 100);
    expect(await push.pushOnce()).toBe(true);
    recordTraffic(metrics, 50);
    expect(await push.pushOnce()).toBe(true);
    expect(push.failures).toBe(0);
  });

  it('stores every flaglens counter and histogram the instrumentation exposes', async () => {
    const registry = new Registry();
    recordTraffic(new VariantMetrics({ registry }), 20);
    const response = await fetch(`${fixture.plane.url}/api/v1/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${fixture.sdkKey}`,
        'content-type': registry.contentType,
        'x-flaglens-instance': 'contract-test',
        'x-flaglens-push-time': String(Date.now()),
      },
      body: await registry.metrics(),
    });
    expect(response.status).toBe(200);
    const result = (await response.json()) as { status: string; samples: number; kept: number; dropped: { total: number } };
    expect(result.status).toBe('stored');
    expect(result.kept).toBeGreaterThan(0);
    // flaglens_variant_active (one gauge sample per variant) is for PromQL joins with process health on
    // the service's own /metrics; the control plane aggregates counters and histograms only.
    expect(result.dropped).toEqual({ total: 2, byReason: { unsupported_type: 2 } });
  });

  it('is refused without the SDK key, and nothing is stored', async () => {
    const registry = new Registry();
    recordTraffic(new VariantMetrics({ registry }), 5);
    const push = new MetricPush({ url: fixture.plane.url, sdkKey: 'fl_sdk_wrong', registry });
    expect(await push.pushOnce()).toBe(false);
    expect(push.failures).toBe(1);
  });
});
