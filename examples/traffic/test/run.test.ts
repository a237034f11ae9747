import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '@flaglens/dashboard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrafficArgs } from '../src/args.js';
import { runTraffic } from '../src/run.js';

// The real credit-risk service, started as its README says, with the shipped flag at 50/50 and the fault switch on.
const SERVICE_DIR = dirname(createRequire(import.meta.url).resolve('@flaglens/example-express-inference/package.json'));

let child: ChildProcess;
let dir: string;
let target: string;

const optionsFor = (...argv: string[]) => {
  const options = parseTrafficArgs([`--target=${target}`, '--rate=100', ...argv]);
  if (!options) throw new Error('no options');
  return options;
};

/** Mean served latency per variant, in seconds, from the service's own /metrics. */
async function meanLatency(): Promise<Record<string, number>> {
  const text = await (await fetch(`${target}/metrics`)).text();
  const read = (what: string, variant: string) =>
    Number(new RegExp(`^flaglens_inference_duration_seconds_${what}\\{[^}]*variant="${variant}"[^}]*\\} (\\S+)`, 'm').exec(text)?.[1]);
  return Object.fromEntries(['v1', 'v2'].map((v) => [v, read('sum', v) / read('count', v)]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flaglens-traffic-'));
  const flags = JSON.parse(readFileSync(join(SERVICE_DIR, 'flags/risk-model.json'), 'utf8'));
  flags.flags['risk-model'].fallthrough.split.arms = [
    { variant: 'v1', weight: 5000 },
    { variant: 'v2', weight: 5000 },
  ];
  writeFileSync(join(dir, 'flags.json'), JSON.stringify(flags));
  const port = await freePort();
  target = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', FAULT_INJECTION: '1' };
  Object.assign(env, { FLAGLENS_FLAGS_FILE: join(dir, 'flags.json'), OTEL_TRACES_EXPORTER: 'none' });
  for (const key of ['FLAGLENS_URL', 'FLAGLENS_SDK_KEY', 'FLAGLENS_METRICS_PORT', 'NODE_OPTIONS']) delete env[key];
  child = spawn(process.execPath, ['--import', '@flaglens/instrumentation/register', 'dist/server.js'], {
    cwd: SERVICE_DIR,
    env,
    stdio: 'ignore',
  });
}, 30_000);

afterAll(async () => {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('runTraffic against the real service', () => {
  it('latency-regression really slows the candidate’s model, then clears the fault', async () => {
    const stats = await runTraffic(optionsFor('--scenario=latency-regression', '--regress-after=0s', '--requests=60'));
    expect(stats).toMatchObject({ phase: 'degraded', sent: 60, errors: 0 });
    expect(Object.keys(stats.byVariant).sort()).toEqual(['v1', 'v2']);
    // Ground truth arrives late and some never does; all that was due has been sent by the end.
    expect(stats.feedback.pending).toBe(0);
    expect(stats.feedback.sent + stats.feedback.withheld).toBe(60);
    expect(stats.feedback.withheld).toBeGreaterThan(0);
    const latency = await meanLatency();
    expect(latency.v2).toBeGreaterThan(0.25);
    expect(latency.v1).toBeLessThan(0.05);
    expect(await (await fetch(`${target}/admin/faults`)).json()).toEqual({});
  }, 40_000);

  it('srm-bug re-sends every request the candidate answers, so it is evaluated twice as often', async () => {
    const stats = await runTraffic(optionsFor('--scenario=srm-bug', '--regress-after=0s', '--requests=80', '--seed=5'));
    expect(stats.errors).toBe(0);
    expect(stats.retries).toBeGreaterThan(10);
    expect(stats.byVariant.v2).toBe(2 * stats.retries);
    expect((stats.byVariant.v1 ?? 0) + (stats.byVariant.v2 ?? 0)).toBe(stats.sent);
  }, 40_000);

  it('stops at once when aborted, dropping the ground truth still due', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 1_500);
    const started = Date.now();
    const stats = await runTraffic(optionsFor('--scenario=accuracy-regression', '--regress-after=0s', '--duration=1h'), {
      signal: stop.signal,
    });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(stats.sent).toBeGreaterThan(20);
    expect(stats.feedback.pending).toBeGreaterThan(0);
    expect(await (await fetch(`${target}/admin/faults`)).json()).toEqual({});
  }, 20_000);

  it('sends at a rate below one request a second', async () => {
    const stats = await runTraffic(optionsFor('--rate=0.5', '--requests=2', '--duration=6s'));
    expect(stats).toMatchObject({ sent: 2, errors: 0 });
  }, 20_000);

  it('stopped while the service is still down, it stops cleanly without touching the faults', async () => {
    const options = { ...optionsFor('--scenario=latency-regression'), target: `http://127.0.0.1:${await freePort()}` };
    const stats = await runTraffic(options, { signal: AbortSignal.timeout(300) });
    expect(stats).toMatchObject({ sent: 0, errors: 0 });
  }, 20_000);
});
