import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type expressModule from 'express';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { collectProcessMetricsOnce } from '../health/process-metrics.js';
import { listen, type Running } from '../test/servers.js';
import { metricsHandler, startMetricsServer } from './http.js';
import { VariantMetrics } from './variant-metrics.js';

const express = createRequire(import.meta.url)('express') as typeof expressModule;
const labels = { flag: 'ai-model', variant: 'candidate', model: 'gbdt' };

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/** A registry holding every metric this package writes, each with data, plus the process metrics. */
function populated(): Registry {
  const registry = new Registry();
  collectProcessMetricsOnce(registry);
  const metrics = new VariantMetrics({ registry });
  metrics.inference(labels, 'served', 0.1);
  metrics.inference(labels, 'shadow', 0.2, 'ModelTimeout');
  metrics.evaluation('ai-model', 'candidate', 'SPLIT');
  metrics.prediction(labels, 'shadow', { score: 0.3, class: 'spam' });
  metrics.outcome(labels, { correct: false, absoluteError: 2 });
  metrics.businessEvent('ai-model', 'candidate', 'purchase', 3);
  metrics.unmatchedOutcome();
  metrics.shadow.agreement(labels, 'control', false);
  metrics.shadow.dropped('ai-model', 'candidate', 'no_model');
  metrics.llm.usage(labels, 'shadow', { inputTokens: 10, outputTokens: 5 }, 0.0001);
  return registry;
}

function hasPromtool(): boolean {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('startMetricsServer', () => {
  it('serves the registry on its own port and nothing else', async () => {
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: populated() });
    open.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const text = await response.text();
    expect(text).toContain('flaglens_variant_active{flag="ai-model",variant="candidate"} 1');
    expect(text).toContain('process_resident_memory_bytes');
    expect((await fetch(server.url.replace('/metrics', '/admin'))).status).toBe(404);
  });

  it('reports a port in use instead of starting twice', async () => {
    const first = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: new Registry() });
    open.push(first);
    const port = Number(new URL(first.url).port);
    await expect(startMetricsServer({ port, host: '127.0.0.1', registry: new Registry() })).rejects.toThrow(/EADDRINUSE/);
  });

  it.runIf(hasPromtool())('produces exposition text, process metrics included, that promtool check metrics accepts', async () => {
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry: populated() });
    open.push(server);
    const text = await (await fetch(server.url)).text();
    for (const name of [
      'flaglens_shadow_agreement_total',
      'flaglens_llm_cost_usd_total',
      'flaglens_variant_active',
      'nodejs_eventloop_lag_p99_seconds',
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    const problems = `${check.stdout}${check.stderr}`.split('\n').filter(Boolean);
    // prom-client names three of its default gauges `_total`; promtool lints that, and it is not ours to rename.
    const promClientOwn = /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;
    expect(problems.filter((line) => !promClientOwn.test(line))).toEqual([]);
  });
});

describe('metricsHandler', () => {
  it('answers a scrape inside an express app', async () => {
    const app = express();
    app.get('/metrics', metricsHandler(populated()));
    const running: Running = await listen(createServer(app));
    open.push(running);
    const text = await (await fetch(`${running.url}/metrics`)).text();
    expect(text).toContain('flaglens_llm_tokens_total{flag="ai-model",variant="candidate",model="gbdt",mode="shadow",type="input"} 10');
  });

  it('answers 500 instead of hanging when a collect callback fails', async () => {
    const registry = new Registry();
    registry.registerMetric(
      new (await import('prom-client')).Gauge({
        name: 'broken',
        help: 'fails',
        registers: [],
        collect: () => {
          throw new Error('boom');
        },
      }),
    );
    const running = await listen(createServer(metricsHandler(registry)));
    open.push(running);
    const response = await fetch(running.url);
    expect(response.status).toBe(500);
  });
});
