import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flagSet } from '../test/flags.js';
import { otlpReceiver } from '../test/otlp-receiver.js';
import { listen } from '../test/servers.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const registerEntry = join(packageDir, 'dist/register.js');
const service = fileURLToPath(new URL('../test/fixtures/service.mjs', import.meta.url));

interface Service {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  stop(): Promise<number | null>;
}

/** Runs the fixture service as a user would: `node --import @flaglens/instrumentation/register service.mjs`. */
async function run(env: Record<string, string>): Promise<Service> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('OTEL_') && !key.startsWith('FLAGLENS_')));
  const child = spawn(process.execPath, ['--import', registerEntry, service], {
    env: { ...clean, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening (\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', () => reject(new Error(`service exited early:\n${output}`)));
  });
  return {
    child,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.stdin?.end();
      }),
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(() => {
  // The register entry is what `node --import` loads, so test the built package.
  execFileSync(process.execPath, [
    join(packageDir, '../../node_modules/typescript/bin/tsc'),
    '-p',
    join(packageDir, 'tsconfig.build.json'),
  ]);
}, 60_000);

describe('node --import @flaglens/instrumentation/register', () => {
  const receiverPromise = otlpReceiver();
  afterAll(async () => (await receiverPromise).close());

  it('makes a stock express service export variant-stamped spans over OTLP and expose per-variant metrics', async () => {
    const receiver = await receiverPromise;
    const flagsFile = join(mkdtempSync(join(tmpdir(), 'flaglens-')), 'flags.json');
    writeFileSync(flagsFile, JSON.stringify(flagSet));
    const metricsPort = await freePort();
    const svc = await run({
      FLAGLENS_FLAGS_FILE: flagsFile,
      FLAGLENS_METRICS_PORT: String(metricsPort),
      FLAGLENS_METRICS_HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'classifier',
    });
    const response = await fetch(`${svc.url}/classify`, { headers: { 'x-user': 'u1', 'x-plan': 'beta' } });
    expect(await response.json()).toMatchObject({ variant: 'candidate', model: 'gbdt', output: { label: 'spam' } });
    const metrics = await (await fetch(`${svc.url}/metrics`)).text();
    expect(metrics).toContain(
      'flaglens_inference_duration_seconds_count{flag="ai-model",variant="candidate",model="gbdt",mode="served"} 1',
    );
    expect(metrics).toContain('flaglens_flag_evaluations_total{flag="ai-model",variant="candidate",reason="TARGETING_MATCH"} 1');
    const served = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(served).toContain('flaglens_variant_active{flag="ai-model",variant="candidate"} 1');
    expect(served).toContain('# TYPE process_resident_memory_bytes gauge');
    expect(await svc.stop()).toBe(0);

    expect(svc.output()).toContain(
      `logs → otlp http/json; metrics in prom-client's default registry; metrics served on port ${metricsPort}`,
    );
    const log = receiver.logs.find((record) => record.body === 'classified');
    // Logged by the handler, outside the inference span: the request's assignments, in middleware order.
    expect(log?.attributes).toMatchObject({
      'feature_flag.key': 'reranker',
      'flaglens.assignments': ['ai-model=candidate', 'reranker=on'],
    });
    expect(log?.traceId).toMatch(/^[0-9a-f]{32}$/);

    expect(svc.output()).toContain(`flaglens: started; 2 flags from ${flagsFile}; traces → otlp http/json`);
    const modelCalls = receiver.spans.filter((span) => span.kind === 3 && String(span.attributes['url.full']).endsWith('/v1/predict'));
    expect(modelCalls.length).toBe(1);
    expect(modelCalls[0]?.attributes).toMatchObject({ 'feature_flag.key': 'ai-model', 'feature_flag.result.variant': 'candidate' });
    const classify = receiver.spans.find((span) => span.name === 'classify');
    expect(classify?.attributes['flaglens.assignments']).toEqual(['reranker=on', 'ai-model=candidate']);
    const server = receiver.spans.find((span) => span.kind === 2 && span.attributes['http.route'] === '/classify');
    expect(server?.attributes['feature_flag.result.variant']).toBeDefined();
  }, 30_000);

  it('starts a service with no variables, says what is off, and serves the fallback model', async () => {
    const svc = await run({});
    const response = await fetch(`${svc.url}/classify`, { headers: { 'x-user': 'u1', 'x-plan': 'beta' } });
    expect(await response.json()).toMatchObject({ variant: 'control', model: 'control' });
    expect(await svc.stop()).toBe(0);
    const startLine = svc
      .output()
      .split('\n')
      .find((line) => line.startsWith('flaglens: started'));
    expect(startLine).toBe(
      "flaglens: started; no flags (set FLAGLENS_URL and FLAGLENS_SDK_KEY, or FLAGLENS_FLAGS_FILE): every flag serves its default; trace export off (set OTEL_EXPORTER_OTLP_ENDPOINT to export); metrics in prom-client's default registry; metric push off",
    );
  }, 30_000);

  it('syncs flags from FLAGLENS_URL and pushes the metrics there with the SDK key, once more at exit', async () => {
    const pushes: { auth: string | undefined; body: string }[] = [];
    const controlPlane = await listen(
      createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        req.on('end', () => {
          if (req.url === '/api/v1/flags' && req.headers.authorization === 'Bearer sdk-test') {
            res.writeHead(200, { 'content-type': 'application/json', etag: '"v1"' }).end(JSON.stringify(flagSet));
          } else if (req.url === '/api/v1/ingest') {
            pushes.push({ auth: req.headers.authorization, body });
            res.writeHead(204).end();
          } else {
            // No stream here: the flag client falls back to polling.
            res.writeHead(404).end();
          }
        });
      }),
    );
    try {
      const svc = await run({ FLAGLENS_URL: controlPlane.url, FLAGLENS_SDK_KEY: 'sdk-test' });
      let variant: unknown;
      for (let attempt = 0; attempt < 50 && variant !== 'candidate'; attempt++) {
        const response = await fetch(`${svc.url}/classify`, { headers: { 'x-user': 'u1', 'x-plan': 'beta' } });
        variant = ((await response.json()) as { variant?: string }).variant;
        if (variant !== 'candidate') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(variant).toBe('candidate');
      expect(await svc.stop()).toBe(0);
      expect(svc.output()).toContain(`flags synced from ${controlPlane.url}; trace export off`);
      expect(svc.output()).toContain(`metrics pushed to ${controlPlane.url}/api/v1/ingest`);
      const last = pushes.at(-1);
      expect(last?.auth).toBe('Bearer sdk-test');
      expect(last?.body).toContain(
        'flaglens_inference_duration_seconds_count{flag="ai-model",variant="candidate",model="gbdt",mode="served"} 1',
      );
    } finally {
      await controlPlane.close();
    }
  }, 30_000);
});
