import type * as Http from 'node:http';
import { createRequire } from 'node:module';
import { FlagEvaluator } from '@flaglens/evaluator';
import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type ExpressModule from 'express';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FlagTelemetry } from '../flag-telemetry.js';
import { flagSet } from '../test/flags.js';
import { listen, modelServerHandler, type Running } from '../test/servers.js';
import { startTracing } from '../test/tracing.js';
import { assignmentMiddleware } from './middleware.js';

const { exporter } = startTracing();
// Loaded through require after tracing starts, so the http and express instrumentations patch them.
const require = createRequire(import.meta.url);
const http = require('node:http') as typeof Http;
const express = require('express') as typeof ExpressModule;

const registry = new Registry();
const flaglens = new FlagTelemetry({ flags: new FlagEvaluator(flagSet), metrics: { registry } });
const modelHeaders: Http.IncomingHttpHeaders[] = [];
let model: Running;
let service: Running;
let downstream: Running;

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

function app(options: { propagate?: boolean; acceptBaggage?: boolean }): Http.Server {
  const a = express();
  a.use(
    assignmentMiddleware<ExpressModule.Request>(flaglens, {
      context: (req) => ({ targetingKey: req.get('x-user') ?? '', plan: req.get('x-plan') ?? 'free' }),
      ...options,
    }),
  );
  a.get('/predict', async (_req, res) => {
    const viaHttp = await getJson(`${model.url}/v1/predict`);
    const viaFetch = await (await fetch(`${model.url}/v1/predict`)).json();
    res.json({ viaHttp, viaFetch });
  });
  a.get('/fail', () => {
    throw new Error('handler failed');
  });
  return http.createServer(a);
}

async function call(url: string, headers: Record<string, string>): Promise<number> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return response.status;
}

const byKind = (kind: SpanKind) => exporter.getFinishedSpans().filter((span) => span.kind === kind);
const serverSpan = () => byKind(SpanKind.SERVER).find((span) => span.attributes['http.route'] === '/predict');
const variantOf = (span: ReadableSpan | undefined) => span?.attributes['feature_flag.result.variant'];

beforeAll(async () => {
  model = await listen(http.createServer(modelServerHandler(modelHeaders)));
  service = await listen(app({}));
  downstream = await listen(app({ propagate: true, acceptBaggage: true }));
});
afterAll(async () => {
  await Promise.all([model.close(), service.close(), downstream.close()]);
});
afterEach(() => {
  exporter.reset();
  modelHeaders.length = 0;
});

describe('assignmentMiddleware on a real express app', () => {
  it('stamps the outgoing http and fetch calls to the model server with the request variant', async () => {
    expect(await call(`${service.url}/predict`, { 'x-user': 'u1', 'x-plan': 'beta' })).toBe(200);
    const clients = byKind(SpanKind.CLIENT).filter((span) => String(span.attributes['url.full'] ?? '').startsWith(model.url));
    expect(clients.length).toBe(2);
    for (const span of clients) {
      expect(span.attributes['feature_flag.key']).toBe('reranker');
      expect(span.attributes['flaglens.assignments']).toEqual(['ai-model=candidate', 'reranker=on']);
      expect(span.attributes['feature_flag.provider.name']).toBe('flaglens');
    }
  });

  it('stamps the server span of the request and records one evaluation event per routing flag', async () => {
    await call(`${service.url}/predict`, { 'x-user': 'u2', 'x-plan': 'free' });
    expect(serverSpan()?.attributes['flaglens.assignments']).toEqual(['ai-model=control', 'reranker=off']);
    // The conventions put the event on the span active during the evaluation: express's middleware span.
    const events = exporter.getFinishedSpans().flatMap((span) => span.events.filter((event) => event.name === 'feature_flag.evaluation'));
    expect(events.map((event) => event.attributes)).toEqual([
      {
        'feature_flag.key': 'ai-model',
        'feature_flag.provider.name': 'flaglens',
        'feature_flag.result.reason': 'default',
        'feature_flag.result.variant': 'control',
        'feature_flag.version': '3',
      },
      expect.objectContaining({ 'feature_flag.key': 'reranker', 'feature_flag.result.variant': 'off' }),
    ]);
  });

  it('stamps express handler spans', async () => {
    await call(`${service.url}/predict`, { 'x-user': 'u1', 'x-plan': 'beta' });
    const handler = exporter.getFinishedSpans().find((span) => span.attributes['express.type'] === 'request_handler');
    expect(variantOf(handler)).toBe('on');
  });

  it('counts each evaluation once per request', async () => {
    const before = await registry.getSingleMetricAsString('flaglens_flag_evaluations_total');
    await call(`${service.url}/predict`, { 'x-user': 'u3', 'x-plan': 'beta' });
    const after = await registry.getSingleMetricAsString('flaglens_flag_evaluations_total');
    const count = (text: string) => Number(/flag="ai-model",variant="candidate",reason="TARGETING_MATCH"} (\d+)/.exec(text)?.[1] ?? 0);
    expect(count(after) - count(before)).toBe(1);
  });

  it('sends no flaglens baggage downstream unless asked to', async () => {
    await call(`${service.url}/predict`, { 'x-user': 'u1', 'x-plan': 'beta' });
    expect(modelHeaders.length).toBe(2);
    for (const headers of modelHeaders) expect(headers.baggage ?? '').not.toContain('flaglens.assignments');
  });

  it('propagates the assignments downstream in W3C baggage when asked to', async () => {
    await call(`${downstream.url}/predict`, { 'x-user': 'u1', 'x-plan': 'beta' });
    expect(modelHeaders.length).toBe(2);
    for (const headers of modelHeaders) {
      expect(decodeURIComponent(String(headers.baggage))).toContain('flaglens.assignments=ai-model=candidate,reranker=on');
    }
  });

  it('takes an upstream service assignment from baggage, over its own evaluation, when trusted', async () => {
    await call(`${downstream.url}/predict`, { 'x-user': 'u1', 'x-plan': 'free', baggage: 'flaglens.assignments=ai-model%3Dcandidate' });
    expect(serverSpan()?.attributes['flaglens.assignments']).toEqual(['ai-model=candidate', 'reranker=off']);
  });

  it('ignores baggage naming a variant the flag does not have', async () => {
    await call(`${downstream.url}/predict`, { 'x-user': 'u1', 'x-plan': 'free', baggage: 'flaglens.assignments=ai-model%3Dpwned' });
    expect(serverSpan()?.attributes['flaglens.assignments']).toEqual(['ai-model=control', 'reranker=off']);
  });

  it('lets the request through without assignments when the context callback throws', async () => {
    const a = express();
    a.use(
      assignmentMiddleware(flaglens, {
        context: () => {
          throw new Error('no user');
        },
      }),
    );
    a.get('/', (_req, res) => {
      res.send('ok');
    });
    const server = await listen(http.createServer(a));
    try {
      expect(await call(`${server.url}/`, {})).toBe(200);
    } finally {
      await server.close();
    }
  });
});
