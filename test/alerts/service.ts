import { createFlagClient, type FlagClient } from '@flaglens/evaluator';
import { MetricPush, VariantMetrics } from '@flaglens/instrumentation';
import { Registry } from 'prom-client';

/** Healthy latency of either model: 20–44 ms, spread evenly (in seconds). */
const healthy = (i: number) => 0.02 + ((i * 7919) % 25) / 1000;
/** The regressed candidate: 300–444 ms. */
const regressed = (i: number) => 0.3 + ((i * 7919) % 25) * 0.006;
/** Whether request `i` was predicted right: 90% of the time when healthy, 60% when the candidate's accuracy regressed. */
const correct = (i: number, accuracy: number) => (i * 7919) % 100 < accuracy * 100;

/** What regresses: the candidate's latency, or its accuracy (outcomes recorded right after each request). */
export type Regression = 'latency' | 'accuracy';

export interface SimulatedService {
  client: FlagClient;
  push: MetricPush;
  /** Requests served per variant so far. */
  served: Record<string, number>;
  /** From now on the candidate's latency (default) or accuracy regresses; returns the moment (Date.now) it did: t0. */
  regress(what?: Regression): number;
  close(): Promise<void>;
}

/**
 * An instrumented service in this process: `requestsPerTick` simulated requests every `tickMs` on `flag`
 * (default `ai-model`), each routed by the real SDK client (a fresh user each, so the flag's split applies),
 * recorded with VariantMetrics (latency, and a judged outcome right away), which MetricPush sends to the
 * control plane every `pushMs`.
 */
export async function startService(options: {
  url: string;
  sdkKey: string;
  flag?: string;
  tickMs?: number;
  requestsPerTick?: number;
  pushMs?: number;
}): Promise<SimulatedService> {
  const { url, sdkKey, flag = 'ai-model', tickMs = 50, requestsPerTick = 10, pushMs = 1_000 } = options;
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const client = createFlagClient({ url, sdkKey, logger: quiet });
  await client.ready();
  const registry = new Registry();
  const metrics = new VariantMetrics({ registry });
  const push = new MetricPush({ url, sdkKey, registry, intervalMs: pushMs, maxBackoffMs: 1_000, timeoutMs: 2_000 });
  const served: Record<string, number> = {};
  let request = 0;
  let candidateSlow = false;
  let candidateWrong = false;
  const timer = setInterval(() => {
    for (let n = 0; n < requestsPerTick; n++) {
      request += 1;
      const { value, variant, reason } = client.evaluate(flag, { targetingKey: `user-${request}` }, 'model-control');
      const name = variant ?? 'default';
      metrics.evaluation(flag, name, reason ?? 'UNKNOWN');
      const seconds = name === 'candidate' && candidateSlow ? regressed(request) : healthy(request);
      const labels = { flag, variant: name, model: String(value) };
      metrics.inference(labels, 'served', seconds);
      metrics.outcome(labels, { correct: correct(request, name === 'candidate' && candidateWrong ? 0.6 : 0.9) });
      served[name] = (served[name] ?? 0) + 1;
    }
  }, tickMs);
  push.start();
  return {
    client,
    push,
    served,
    regress(what = 'latency') {
      if (what === 'latency') candidateSlow = true;
      else candidateWrong = true;
      return Date.now();
    },
    async close() {
      clearInterval(timer);
      await push.stop();
      await client.close();
    },
  };
}
