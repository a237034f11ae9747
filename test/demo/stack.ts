import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagementApi, type Part, RECEIVER_SERVER, SERVICE_DIR, startPart, TRAFFIC_CLI } from '@flaglens/example-demo';
import { adminTokenOf, freePort, type RunningPlane, startControlPlane } from '../control-plane/server.js';

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

/** The full loop on 127.0.0.1: a control plane (PGlite, 1 s alert interval) and, once seeded, the demo's processes. */
export interface LoopStack {
  plane: RunningPlane;
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
  const parts: Part[] = [];
  const env = {
    FLAGLENS_DATA_DIR: dataDir,
    // An empty DATABASE_URL keeps a PostgreSQL URL from the environment from replacing the throwaway PGlite.
    DATABASE_URL: '',
    PROMETHEUS_URL: '',
    FLAGLENS_ALERT_INTERVAL: '1000ms',
    FLAGLENS_WEBHOOK_ALLOW_PRIVATE: '1',
    FLAGLENS_URL: `http://127.0.0.1:${port}`,
  };
  const plane = await startControlPlane(env, 90_000, port).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  const adminToken = adminTokenOf(plane);
  const receiverPort = await freePort();
  const start = (options: Omit<Parameters<typeof startPart>[0], 'log'>) => {
    const part = startPart({ ...options, log });
    parts.push(part);
    return part;
  };
  const healthy = async (part: Part, url: string) => {
    await poll(async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 60_000, `${part.name} answering`);
  };
  return {
    plane,
    api: new ManagementApi(plane.url, adminToken),
    adminToken,
    receiverPort,
    async startService(sdkKey) {
      const servicePort = await freePort();
      const url = `http://127.0.0.1:${servicePort}`;
      const serviceEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(servicePort), HOST: '127.0.0.1', FAULT_INJECTION: '1' };
      Object.assign(serviceEnv, { FLAGLENS_URL: plane.url, FLAGLENS_SDK_KEY: sdkKey, OTEL_TRACES_EXPORTER: 'none' });
      const part = start({
        name: 'service',
        command: process.execPath,
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
        command: process.execPath,
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
        command: process.execPath,
        args: [TRAFFIC_CLI, `--target=${target}`, '--progress=5s', ...args],
        cwd: dataDir,
        env: process.env,
      });
    },
    async stop() {
      for (const part of parts.reverse()) await part.stop(part.name === 'traffic' ? 'SIGINT' : 'SIGTERM');
      await plane.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
