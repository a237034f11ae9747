import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

let child: ChildProcess;
let base: string;
let output = '';
let dir: string;

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function applicant(i: number): Record<string, unknown> {
  return {
    userId: `user-${i}`,
    income: 30 + (i % 7) * 12,
    debtRatio: 0.1 + (i % 9) * 0.09,
    age: 22 + (i % 40),
    historyYears: i % 15,
    latePayments: i % 4,
    region: ['north', 'south', 'east', 'west'][i % 4],
    plan: ['basic', 'plus', 'premium'][i % 3],
  };
}

beforeAll(async () => {
  if (!existsSync(join(root, 'dist/server.js'))) throw new Error('build first: npm run build -w @flaglens/example-express-inference');
  dir = mkdtempSync(join(tmpdir(), 'flaglens-express-inference-'));
  // The shipped flag file at 50/50, so both variants serve a handful of users.
  const flags = JSON.parse(readFileSync(join(root, 'flags/risk-model.json'), 'utf8'));
  flags.flags['risk-model'].fallthrough.split.arms = [
    { variant: 'v1', weight: 5000 },
    { variant: 'v2', weight: 5000 },
  ];
  const flagsFile = join(dir, 'flags.json');
  writeFileSync(flagsFile, JSON.stringify(flags));

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    FLAGLENS_FLAGS_FILE: flagsFile,
    OTEL_TRACES_EXPORTER: 'none',
    FAULT_INJECTION: '1',
  };
  for (const key of ['FLAGLENS_URL', 'FLAGLENS_SDK_KEY', 'FLAGLENS_METRICS_PORT', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'NODE_OPTIONS'])
    delete env[key];
  child = spawn(process.execPath, ['--import', '@flaglens/instrumentation/register', 'dist/server.js'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`service did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('express-inference service', () => {
  const scored: { userId: string; predictionId: string; variant: string; score: number }[] = [];

  it('starts with the flag file and reports its models', async () => {
    expect(output).toContain('flaglens: started');
    expect(output).toContain('1 flags from');
    const health = (await (await fetch(`${base}/healthz`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', models: ['logreg', 'random-forest'] });
  });

  it('POST /score routes users to both variants, each with its own model, stickily', async () => {
    for (let i = 0; i < 40; i++) {
      const { status, json } = await post('/score', applicant(i));
      expect(status).toBe(200);
      expect(json.model).toBe(json.variant === 'v1' ? 'logreg' : 'random-forest');
      expect(json.score).toBeGreaterThanOrEqual(0);
      expect(json.score).toBeLessThanOrEqual(1);
      expect(json.decision).toBe((json.score as number) < 0.5 ? 'approve' : 'decline');
      expect(json.predictionId).toMatch(/^[0-9a-f-]{36}$/);
      scored.push({
        userId: `user-${i}`,
        predictionId: json.predictionId as string,
        variant: json.variant as string,
        score: json.score as number,
      });
    }
    const variants = new Set(scored.map((s) => s.variant));
    expect(variants).toEqual(new Set(['v1', 'v2']));
    // The same user gets the same variant again.
    const again = await post('/score', applicant(0));
    expect(again.json.variant).toBe(scored[0]?.variant);
    expect(again.json.score).toBe(scored[0]?.score);
  });

  it('POST /score rejects an invalid application', async () => {
    expect((await post('/score', { ...applicant(1), userId: '' })).status).toBe(400);
    const { status, json } = await post('/score', { ...applicant(1), region: 'mars' });
    expect(status).toBe(400);
    expect(json.error).toContain('region');
  });

  it('POST /feedback joins ground truth to its prediction once', async () => {
    for (const [i, s] of scored.entries()) {
      const { status, json } = await post('/feedback', { predictionId: s.predictionId, defaulted: i % 3 === 0 });
      expect(status).toBe(200);
      expect(json.matched).toBe(true);
    }
    const first = scored[0];
    expect((await post('/feedback', { predictionId: first?.predictionId, defaulted: true })).json.matched).toBe(false);
    expect((await post('/feedback', { predictionId: 'no-such-prediction', defaulted: true })).status).toBe(404);
    expect((await post('/feedback', { predictionId: first?.predictionId, defaulted: 'yes' })).status).toBe(400);
  });

  it('POST /convert counts the business event for the user’s variant', async () => {
    for (const s of scored.slice(0, 10)) {
      const { status } = await post('/convert', { userId: s.userId, value: 1000 });
      expect(status).toBe(202);
    }
    expect((await post('/convert', { userId: 'u', value: -5 })).status).toBe(400);
  });

  it('GET /metrics exposes flaglens_* series by variant and model', async () => {
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const count = (variant: string) => scored.filter((s) => s.variant === variant).length + (scored[0]?.variant === variant ? 1 : 0);
    for (const [variant, model] of [
      ['v1', 'logreg'],
      ['v2', 'random-forest'],
    ] as const) {
      const labels = `flag="risk-model",variant="${variant}",model="${model}",mode="served"`;
      expect(text).toContain(`flaglens_inference_duration_seconds_count{${labels}} ${count(variant)}`);
      expect(text).toContain(`flaglens_prediction_score_count{${labels}}`);
      const outcomes = [
        ...text.matchAll(new RegExp(`^flaglens_outcomes_total\\{[^}]*variant="${variant}",model="${model}"[^}]*\\} (\\d+)`, 'gm')),
      ];
      const judged = outcomes.reduce((sum, m) => sum + Number(m[1]), 0);
      expect(judged).toBe(scored.filter((s) => s.variant === variant).length);
    }
    const converted = [...text.matchAll(/^flaglens_business_events_total\{[^}]*event="loan_converted"[^}]*\} (\d+)/gm)];
    expect(converted.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(10);
    expect(text).toMatch(/^flaglens_business_event_value_total\{flag="risk-model",variant="v[12]",event="loan_converted"\} \d+/m);
  });

  it('PUT /admin/faults really slows and flips the faulty variant’s model, DELETE restores it', async () => {
    const first = scored[0];
    if (!first) throw new Error('nothing scored');
    const user = applicant(0);
    const put = (faults: unknown) =>
      fetch(`${base}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(faults) });
    const bad = await put({ [first.variant]: { latencyMs: 'slow' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('latencyMs');
    expect(await (await fetch(`${base}/admin/faults`)).json()).toEqual({});

    expect((await put({ [first.variant]: { latencyMs: 250, wrongRate: 1 } })).status).toBe(200);
    const started = performance.now();
    const faulty = await post('/score', user);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect(faulty.json.variant).toBe(first.variant);
    expect(faulty.json.score).toBeCloseTo(1 - first.score, 3);

    expect((await fetch(`${base}/admin/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await post('/score', user)).json.score).toBe(first.score);
  });
});
