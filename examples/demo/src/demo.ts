import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ApiError, ManagementApi } from './api.js';
import type { DemoOptions } from './args.js';
import { banner } from './banner.js';
import { DASHBOARD_DIR, NEXT_BIN, RECEIVER_SERVER, SERVICE_DIR, TRAFFIC_CLI } from './paths.js';
import { killGroupsNow, type Part, startPart } from './processes.js';
import { seed } from './seed.js';
import { type DemoState, ensureDir, readState, stateFile, writeState } from './state.js';

type Log = (name: string, line: string) => void;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Fails early, naming the option, when something already listens on one of the demo's ports. */
async function assertPortFree(port: number, option: string): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', () => reject(new Error(`port ${port} is in use: stop what runs there or pass ${option}=<another port>`)));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Polls `probe` every 250 ms until it is true; throws when `part` exits first, `timeoutMs` passes or `signal` aborts. */
async function waitUntil(part: Part, probe: () => Promise<boolean>, timeoutMs: number, what: string, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    signal.throwIfAborted();
    if (part.child.exitCode !== null || part.child.signalCode !== null)
      throw new Error(`${part.name} exited before ${what}:\n${part.output()}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** The admin token: printed by a brand-new store, else `FLAGLENS_ADMIN_TOKEN`, else the one kept from an earlier run. */
async function adminToken(planeUrl: string, printed: string, state: DemoState, dir: string): Promise<string> {
  const candidates = [/fl_admin_\S+/.exec(printed)?.[0], process.env.FLAGLENS_ADMIN_TOKEN, state.adminToken];
  for (const token of candidates) if (token && (await new ManagementApi(planeUrl, token).works())) return token;
  throw new Error(
    `no working admin token: the store already existed, and ${stateFile(dir)} has none that works. ` +
      'Set FLAGLENS_ADMIN_TOKEN to an admin token of this control plane, or start over with --fresh (embedded store only).',
  );
}

/** The running demo: `stop()` ends every part in order (traffic, service, receiver, control plane). */
export interface RunningDemo {
  readonly planeUrl: string;
  readonly adminToken: string;
  /** Resolves when a part other than the traffic exits on its own (the demo is then broken). */
  readonly failed: Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the control plane (embedded store in `<dir>/pglite`, or `DATABASE_URL`), seeds it through its API, then
 * the webhook receiver, the instrumented credit-risk service and the traffic generator, each as a child process
 * in its own process group with its lines prefixed in the log. An abort of `signal` while starting stops what
 * was started and rejects.
 */
export async function startDemo(options: DemoOptions, log: Log, signal: AbortSignal): Promise<RunningDemo> {
  const { ports } = options;
  await assertPortFree(ports.plane, '--port');
  await assertPortFree(ports.service, '--service-port');
  await assertPortFree(ports.receiver, '--receiver-port');
  if (options.fresh) rmSync(options.dir, { recursive: true, force: true });
  ensureDir(options.dir);
  let state = readState(options.dir);

  const parts: Part[] = [];
  // If the demo itself dies without stopping its parts, none of them outlives it.
  const killAll = () => killGroupsNow(parts);
  process.once('exit', killAll);
  const stop = async () => {
    for (const part of [...parts].reverse()) await part.stop(part.name === 'traffic' ? 'SIGINT' : 'SIGTERM');
    process.removeListener('exit', killAll);
  };
  const start = (part: Parameters<typeof startPart>[0]) => {
    const started = startPart(part);
    parts.push(started);
    return started;
  };

  try {
    const planeUrl = `http://127.0.0.1:${ports.plane}`;
    log(
      'demo',
      `starting the control plane on ${planeUrl} (${process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded store in ${join(options.dir, 'pglite')}`})`,
    );
    const plane = start({
      name: 'plane',
      args: [NEXT_BIN, 'start', '--port', String(ports.plane), '--hostname', '127.0.0.1'],
      cwd: DASHBOARD_DIR,
      env: {
        ...process.env,
        NEXT_TELEMETRY_DISABLED: '1',
        FLAGLENS_DATA_DIR: join(options.dir, 'pglite'),
        FLAGLENS_URL: planeUrl,
        FLAGLENS_ALERT_INTERVAL: process.env.FLAGLENS_ALERT_INTERVAL ?? '5s',
        FLAGLENS_WEBHOOK_ALLOW_PRIVATE: '1',
      },
      log,
      // The token is shown in the banner, once everything runs.
      quiet: (line) => line.includes('fl_admin_'),
    });
    const answers401 = async () => (await fetch(`${planeUrl}/api/v1/flags`, { signal: AbortSignal.timeout(2_000) })).status === 401;
    await waitUntil(plane, answers401, 120_000, 'the control plane answering', signal);
    const token = await adminToken(planeUrl, plane.output(), state, options.dir);
    state = { ...state, adminToken: token };
    writeState(options.dir, state);

    const receiverUrl = `http://127.0.0.1:${ports.receiver}/hooks/flaglens`;
    log('demo', 'seeding: SDK key, webhook channel, flag risk-model, alert rules, rollout plan');
    state = await seed(new ManagementApi(planeUrl, token), state, { receiverUrl, hold: options.hold });
    writeState(options.dir, state);
    signal.throwIfAborted();

    const receiver = start({
      name: 'receiver',
      args: [RECEIVER_SERVER],
      cwd: options.dir,
      env: { ...process.env, PORT: String(ports.receiver), HOST: '127.0.0.1', FLAGLENS_WEBHOOK_SECRET: state.webhook?.secret ?? '' },
      log,
    });
    const serviceUrl = `http://127.0.0.1:${ports.service}`;
    const service = start({
      name: 'service',
      args: ['--import', '@flaglens/instrumentation/register', 'dist/server.js'],
      cwd: SERVICE_DIR,
      env: {
        ...process.env,
        PORT: String(ports.service),
        HOST: '127.0.0.1',
        FLAGLENS_URL: planeUrl,
        FLAGLENS_SDK_KEY: state.sdkKey ?? '',
        FAULT_INJECTION: '1',
        // Outcomes carry the applicant's region and plan, so the comparison shows quality per segment.
        FLAGLENS_SLICE_LABELS: process.env.FLAGLENS_SLICE_LABELS ?? 'region,plan',
        OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME ?? 'credit-risk',
        // Traces go where OTEL_* says; with nothing set there is no collector to send them to.
        OTEL_TRACES_EXPORTER: process.env.OTEL_TRACES_EXPORTER ?? (process.env.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none'),
      },
      log,
    });
    await waitUntil(
      receiver,
      async () => (await fetch(`http://127.0.0.1:${ports.receiver}/healthz`)).ok,
      30_000,
      'the receiver answering',
      signal,
    );
    await waitUntil(service, async () => (await fetch(`${serviceUrl}/healthz`)).ok, 60_000, 'the service answering', signal);
    start({
      name: 'traffic',
      args: [
        TRAFFIC_CLI,
        `--scenario=${options.scenario}`,
        `--target=${serviceUrl}`,
        `--rate=${options.rate}`,
        `--duration=${options.duration}`,
        `--regress-after=${options.regressAfter}`,
        '--progress=10s',
      ],
      cwd: options.dir,
      env: process.env,
      log,
    });
    signal.throwIfAborted();
    for (const line of banner(options, planeUrl, token, stateFile(options.dir)).split('\n')) log('demo', line);

    const failed = Promise.race([plane, receiver, service].map((part) => part.exited.then((code) => `${part.name} exited (${code})`)));
    return { planeUrl, adminToken: token, failed, stop };
  } catch (error) {
    await stop();
    if (error instanceof ApiError) throw new Error(`seeding the control plane failed: ${error.message}`);
    throw error;
  }
}
