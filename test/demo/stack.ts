import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@flaglens/dashboard/testing';
import {
  DASHBOARD_DIR,
  ManagementApi,
  NEXT_BIN,
  type Part,
  RECEIVER_SERVER,
  SERVICE_DIR,
  startPart,
  TRAFFIC_CLI,
} from '@flaglens/example-demo';

/** Lines of every part, for a failing test's message. */
const logs: string[] = [];
const log = (name: string, line: string) => {
  logs.push(`${name} │ ${line}`);
};

/** The tail of everything the parts printed. */
export const partLogs = () => logs.slice(-80).join('\n');

/** Polls `probe` every 250 ms until it returns a value; rejects after `timeoutMs`, with the parts' logs. */
export async function poll<T>(probe: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${partLogs()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * The full loop on 127.0.0.1: a control plane (PGlite, 1 s alert interval) and, once seeded, the demo's processes,
 * every one started as the demo starts its parts, so none outlives the test run, even one that is killed.
 */
export interface LoopStack {
  planeUrl: string;
  api: ManagementApi;
  adminToken: string;
  receiverPort: number;
  /** The instrumented credit-risk service, started as its README says, with the fault switch on. */
  startService(sdkKey: string): Promise<{ part: Part; url: string }>;
  startReceiver(secret: string): Promise<Part>;
  startTraffic(target: string, ...args: string[]): Part;
  stop(): Promise<void>;
}

export async function startLoopStack(): Promise<LoopStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'flaglens-loop-'));
  const port = await freePort();
  const planeUrl = `http://127.0.0.1:${port}`;
  const parts: Part[] = [];
  const start = (options: Omit<Parameters<typeof startPart>[0], 'log'>) => {
    const part = startPart({ ...options, log });
    parts.push(part);
    return part;
  };
  const stop = async () => {
    for (const part of parts.reverse()) await part.stop(part.name === 'traffic' ? 'SIGINT' : 'SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const plane = start({
    name: 'plane',
    args: [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
    cwd: DASHBOARD_DIR,
    env: {
      ...process.env,
      NEXT_TELEMETRY_DISABLED: '1',
      FLAGLENS_DATA_DIR: dataDir,
      // An empty DATABASE_URL keeps a PostgreSQL URL from the environment from replacing the throwaway PGlite.
      DATABASE_URL: '',
      PROMETHEUS_URL: '',
      FLAGLENS_ALERT_INTERVAL: '1000ms',
      FLAGLENS_WEBHOOK_ALLOW_PRIVATE: '1',
      FLAGLENS_URL: planeUrl,
    },
  });
  let adminToken: string;
  try {
    // Any answer from the API (401 without a token) means migrations ran and routes are served.
    const answered = async () => {
      if (plane.child.exitCode !== null) return 'exited';
      return (await fetch(`${planeUrl}/api/v1/flags`)).status === 401 ? 'answered' : undefined;
    };
    if ((await poll(answered, 90_000, 'the control plane answering')) === 'exited')
      throw new Error(`the control plane exited\n${partLogs()}`);
    adminToken = /fl_admin_\S+/.exec(plane.output())?.[0] ?? '';
    if (!adminToken) throw new Error(`no admin token printed:\n${plane.output()}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const receiverPort = await freePort();
  const healthy = async (part: Part, url: string) => {
    await poll(async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 60_000, `${part.name} answering`);
  };
  return {
    planeUrl,
    api: new ManagementApi(planeUrl, adminToken),
    adminToken,
    receiverPort,
    async startService(sdkKey) {
      const servicePort = await freePort();
      const url = `http://127.0.0.1:${servicePort}`;
      const serviceEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(servicePort), HOST: '127.0.0.1', FAULT_INJECTION: '1' };
      Object.assign(serviceEnv, { FLAGLENS_URL: planeUrl, FLAGLENS_SDK_KEY: sdkKey, OTEL_TRACES_EXPORTER: 'none' });
      const part = start({
        name: 'service',
        args: ['--import', '@flaglens/instrumentation/register', 'dist/server.js'],
        cwd: SERVICE_DIR,
        env: serviceEnv,
      });
      await healthy(part, url);
      return { part, url };
    },
    async startReceiver(secret) {
      const part = start({
        name: 'receiver',
        args: [RECEIVER_SERVER],
        cwd: dataDir,
        env: { ...process.env, PORT: String(receiverPort), HOST: '127.0.0.1', FLAGLENS_WEBHOOK_SECRET: secret },
      });
      await healthy(part, `http://127.0.0.1:${receiverPort}`);
      return part;
    },
    startTraffic(target, ...args) {
      return start({
        name: 'traffic',
        args: [TRAFFIC_CLI, `--target=${target}`, '--progress=5s', ...args],
        cwd: dataDir,
        env: process.env,
      });
    },
    stop,
  };
}
