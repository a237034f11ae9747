import { FlagEvaluator } from '@flaglens/evaluator';
import { FlaglensProvider } from '@flaglens/evaluator/openfeature';
import { OpenFeature } from '@openfeature/server-sdk';
import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { bindAssignments } from '../context/active.js';
import { FlagTelemetry } from '../flag-telemetry.js';
import { beta, flagSet, free } from '../test/flags.js';
import { startTracing } from '../test/tracing.js';

// Binding assignments needs the SDK's context manager, as in a service.
startTracing();

function setup() {
  const registry = new Registry();
  const evaluator = new FlagEvaluator(flagSet);
  return { registry, evaluator, flaglens: new FlagTelemetry({ flags: evaluator, metrics: { registry } }) };
}

afterAll(() => OpenFeature.close());

describe('business events', () => {
  it('attributes an event to the variant of every routing flag by re-evaluating the context', async () => {
    const { flaglens, registry } = setup();
    flaglens.trackBusinessEvent('purchase', beta, { value: 30 });
    flaglens.trackBusinessEvent('purchase', free, { value: 5 });
    const text = await registry.metrics();
    expect(text).toContain('flaglens_business_events_total{flag="ai-model",variant="candidate",event="purchase"} 1');
    expect(text).toContain('flaglens_business_events_total{flag="reranker",variant="off",event="purchase"} 1');
    expect(text).toContain('flaglens_business_event_value_total{flag="ai-model",variant="candidate",event="purchase"} 30');
    expect(text).toContain('flaglens_business_event_value_total{flag="ai-model",variant="control",event="purchase"} 5');
  });

  it('does not count re-evaluations for attribution as flag evaluations', async () => {
    const { flaglens, registry } = setup();
    flaglens.trackBusinessEvent('signup', beta);
    expect(await registry.getSingleMetricAsString('flaglens_flag_evaluations_total')).not.toContain('flag="ai-model"');
  });

  it('prefers the assignment bound to the current request', async () => {
    const { flaglens, registry } = setup();
    bindAssignments([{ flagKey: 'ai-model', variant: 'candidate' }], () =>
      flaglens.trackBusinessEvent('click', free, { flags: ['ai-model'] }),
    );
    expect(await registry.getSingleMetricAsString('flaglens_business_events_total')).toContain('variant="candidate",event="click"} 1');
  });

  it('adds Σ value² per request, not per event: two purchases of 10 in one request add 20², apart 10² each', async () => {
    const { flaglens, registry } = setup();
    const series = 'flaglens_business_event_value_squared_total{flag="ai-model",variant="candidate",event="purchase"}';
    const squares = async () => Number(new RegExp(`${series.replace(/[{}]/g, '\\$&')} (\\S+)`).exec(await registry.metrics())?.[1]);
    flaglens.withAssignments(beta, () => {
      flaglens.trackBusinessEvent('purchase', beta, { value: 10 });
      // A nested binding (an inner routed call, say) is still the same request.
      flaglens.withAssignments(beta, () => flaglens.trackBusinessEvent('purchase', beta, { value: 10 }), ['reranker']);
    });
    expect(await squares()).toBe(400);
    flaglens.trackBusinessEvent('purchase', beta, { value: 10 });
    flaglens.trackBusinessEvent('purchase', beta, { value: 10 });
    expect(await squares()).toBe(600);
    // Another request starts from zero again.
    flaglens.withAssignments(beta, () => flaglens.trackBusinessEvent('purchase', beta, { value: 3 }));
    expect(await squares()).toBe(609);
  });

  it('receives OpenFeature client.track() calls through the provider tracker', async () => {
    const { flaglens, registry, evaluator } = setup();
    await OpenFeature.setProviderAndWait(new FlaglensProvider(evaluator, { tracker: flaglens.tracker }));
    OpenFeature.getClient().track('checkout', beta, { value: 12.5 });
    await new Promise((resolve) => setImmediate(resolve));
    const text = await registry.getSingleMetricAsString('flaglens_business_event_value_total');
    expect(text).toContain('flaglens_business_event_value_total{flag="ai-model",variant="candidate",event="checkout"} 12.5');
  });
});
