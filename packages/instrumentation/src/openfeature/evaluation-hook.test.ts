import { FlagEvaluator } from '@flaglens/evaluator';
import { FlaglensProvider } from '@flaglens/evaluator/openfeature';
import { OpenFeature } from '@openfeature/server-sdk';
import { trace } from '@opentelemetry/api';
import { Registry } from 'prom-client';
import { afterAll, expect, it } from 'vitest';
import { FlagTelemetry } from '../flag-telemetry.js';
import { beta, flagSet } from '../test/flags.js';
import { startTracing } from '../test/tracing.js';
import { evaluationHook } from './evaluation-hook.js';

const { exporter } = startTracing();
afterAll(() => OpenFeature.close());

it('records evaluations made through an OpenFeature client as events and counts', async () => {
  const registry = new Registry();
  const evaluator = new FlagEvaluator(flagSet);
  const telemetry = new FlagTelemetry({ flags: evaluator, metrics: { registry } });
  await OpenFeature.setProviderAndWait(new FlaglensProvider(evaluator));
  const client = OpenFeature.getClient();
  client.addHooks(evaluationHook(() => telemetry));
  await trace.getTracer('test').startActiveSpan('request', async (span) => {
    await client.getStringValue('reranker', 'none', beta);
    span.end();
  });
  const [span] = exporter.getFinishedSpans();
  expect(span?.events.map((event) => event.attributes)).toEqual([
    {
      'feature_flag.key': 'reranker',
      'feature_flag.provider.name': 'flaglens',
      'feature_flag.result.reason': 'targeting_match',
      'feature_flag.result.variant': 'on',
      'feature_flag.version': '1',
    },
  ]);
  expect(await registry.getSingleMetricAsString('flaglens_flag_evaluations_total')).toContain(
    'flaglens_flag_evaluations_total{flag="reranker",variant="on",reason="TARGETING_MATCH"} 1',
  );
});
