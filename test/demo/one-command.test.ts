import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@flaglens/dashboard/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningPrometheus, startPrometheus } from '../prometheus/prometheus.js';
import { poll } from './stack.js';

// The demo as a person runs it: `npm start -- <options>` is a build followed by the demo's own start script, which
// this runs through npm (the build is turbo's job before tests), in its own process group like a terminal's job,
// then stops it with SIGINT sent to that group, as Ctrl-C does, or ends it the ways a terminal's job can end badly
// (npm alone killed, the demo killed with SIGKILL), after which no process it started may be left.

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POSTGRES_URL = process.env.FLAGLENS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const dir = mkdtempSync(join(tmpdir(), 'flaglens-demo-'));

interface Demo {
  child: ChildProcess;
  output(): string;
  ports: { plane: number; service: number; receiver: number };
}

async function startDemo(scaleOut: Record<string, string> = {}, ports?: Demo['ports'], demoDir = dir): Promise<Demo> {
  ports ??= { plane: await freePort(), service: await freePort(), receiver: await freePort() };
  const args = [
    `--port=${ports.plane}`,
    `--service-port=${ports.service}`,
    `--receiver-port=${ports.receiver}`,
    `--dir=${demoDir}`,
    '--hold=5s',
  ];
  // Unless a test sets them, an empty DATABASE_URL and PROMETHEUS_URL keep the environment's from replacing the embedded store.
  const env = { ...process.env, DATABASE_URL: '', PROMETHEUS_URL: '', NO_COLOR: '1', ...scaleOut };
  const child = spawn('npm', ['run', 'start', '-w', '@flaglens/example-demo', '--', ...args], { cwd: ROOT, env, detached: true });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  return { child, output: () => printed, ports };
}

/** Every process descending from `pid` (its children's own process groups included), from /proc. */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: the ppid is the second field after it.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (parent: number) => {
    for (const [child, ppid] of parentOf) {
      if (ppid === parent) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The comparison's request counts per variant once both have some, and the metrics source it read. */
async function bothVariantsLive(demo: Demo, token: string, timeoutMs: number): Promise<{ source: string; counts: Record<string, number> }> {
  return poll(
    async () => {
      const response = await fetch(`http://127.0.0.1:${demo.ports.plane}/api/v1/flags/risk-model/compare?window=5m`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { source: string; summary: { variants: { variant: string; requests: { count: number } }[] } };
      const counts = Object.fromEntries(body.summary.variants.map((v) => [v.variant, v.requests.count]));
      return (counts.v1 ?? 0) > 0 && (counts.v2 ?? 0) > 0 ? { source: body.source, counts } : undefined;
    },
    timeoutMs,
    'both variants with data on the comparison',
  );
}

async function signInToken(demo: Demo): Promise<string> {
  return poll(async () => /sign in with (fl_admin_\S+)/.exec(demo.output())?.[1], 150_000, `the demo's banner\n${demo.output()}`);
}

/**
 * Ctrl-C: SIGINT to the job's process group, as a terminal sends it. npm itself may die of the signal at once;
 * what counts is that the demo stops every part and says so, and that nothing below npm is left.
 */
async function interrupt(demo: Demo): Promise<void> {
  const pid = demo.child.pid ?? 0;
  const parts = descendants(pid);
  process.kill(-pid, 'SIGINT');
  await stopped(demo, [pid, ...parts]);
  expect(demo.output()).toContain('SIGINT: stopping traffic, service, receiver and control plane');
}

/** Waits for the demo to say it stopped, then for every one of `pids` to be gone. */
async function stopped(demo: Demo, pids: number[]): Promise<void> {
  await poll(async () => (demo.output().includes('demo     │ stopped') ? true : undefined), 30_000, `the demo stopping:\n${demo.output()}`);
  await poll(async () => (pids.every((p) => !alive(p)) ? true : undefined), 10_000, 'every process of the demo gone');
}

/** The demo's own process (`node dist/cli.js`) among npm's descendants. */
function demoProcess(pids: number[]): number {
  const pid = pids.find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('dist/cli.js'));
  if (pid === undefined) throw new Error('no demo process below npm');
  return pid;
}

let running: Demo | undefined;

afterAll(() => {
  // Only if a test failed half-way: nothing may outlive the suite.
  if (running?.child.pid)
    for (const pid of [running.child.pid, ...descendants(running.child.pid)]) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the one-command demo', () => {
  it('starts everything, shows both variants live on the comparison, and stops cleanly on Ctrl-C', async () => {
    const demo = await startDemo();
    running = demo;
    const token = await signInToken(demo);
    expect(demo.output()).toContain(`dashboard    http://127.0.0.1:${demo.ports.plane}`);
    await poll(async () => (demo.output().includes('traffic  │ ') ? true : undefined), 10_000, 'the traffic started');
    for (const part of ['plane', 'service', 'receiver', 'traffic'])
      expect(demo.output()).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d ${part} +│ `, 'm'));
    expect(statSync(join(dir, 'demo-state.json')).mode & 0o777).toBe(0o600);

    const { source, counts } = await bothVariantsLive(demo, token, 60_000);
    expect(source).toBe('embedded');
    expect(counts.v1).toBeGreaterThan(counts.v2 ?? 0);

    // npm, its shell, the demo, and the control plane, service, receiver and traffic below it.
    expect(descendants(demo.child.pid ?? 0).length).toBeGreaterThanOrEqual(5);
    await interrupt(demo);
    running = undefined;
  }, 240_000);

  it('a second run on the same folder reuses its token and seeds again', async () => {
    const demo = await startDemo();
    running = demo;
    const first = JSON.parse(readFileSync(join(dir, 'demo-state.json'), 'utf8')) as { adminToken: string };
    expect(await signInToken(demo)).toBe(first.adminToken);
    const rollout = await fetch(`http://127.0.0.1:${demo.ports.plane}/api/v1/flags/risk-model/rollout`, {
      headers: { authorization: `Bearer ${first.adminToken}` },
    });
    expect(((await rollout.json()) as { status: string }).status).toBe('running');
    // npm killed on its own rather than its job: its shell goes with it, and the demo, left without a parent, stops.
    const npm = demo.child.pid ?? 0;
    const processes = descendants(npm);
    process.kill(npm, 'SIGTERM');
    await stopped(demo, [npm, ...processes]);
    expect(demo.output()).toContain('parent exited: stopping traffic, service, receiver and control plane');
    running = undefined;
  }, 240_000);

  it('leaves no part running when the demo itself is killed with SIGKILL', async () => {
    const demo = await startDemo();
    running = demo;
    await signInToken(demo);
    const processes = descendants(demo.child.pid ?? 0);
    process.kill(demoProcess(processes), 'SIGKILL');
    // Each part sees its parent gone within 0.5 s and stops; `next start` gets SIGKILL if it takes over 5 s.
    await poll(async () => (processes.every((p) => !alive(p)) ? true : undefined), 15_000, 'every part of the killed demo gone');
    running = undefined;
  }, 240_000);

  it('runs the scale-out setup: PostgreSQL from DATABASE_URL, figures from Prometheus at PROMETHEUS_URL', async () => {
    const database = `flaglens_demo_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    const ports = { plane: await freePort(), service: await freePort(), receiver: await freePort() };
    let prometheus: RunningPrometheus | undefined;
    const scaleDir = mkdtempSync(join(tmpdir(), 'flaglens-demo-scale-'));
    await admin(`create database ${database}`);
    try {
      // Prometheus scrapes the credit-risk service's /metrics, as the README's scrape config says.
      prometheus = await startPrometheus(`127.0.0.1:${ports.service}`);
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${database}`;
      const demo = await startDemo({ DATABASE_URL: url.toString(), PROMETHEUS_URL: prometheus.url }, ports, scaleDir);
      running = demo;
      const token = await signInToken(demo);
      expect(demo.output()).toContain('(DATABASE_URL)');
      const { source } = await bothVariantsLive(demo, token, 90_000);
      expect(source).toBe('prometheus');
      await interrupt(demo);
      running = undefined;
    } finally {
      await prometheus?.stop();
      await admin(`drop database if exists ${database} with (force)`);
      rmSync(scaleDir, { recursive: true, force: true });
    }
  }, 240_000);
});
