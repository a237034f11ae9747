import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

// Two levels below the package folder both as source (src/testing) and as built (dist/testing).
const DASHBOARD_DIR = fileURLToPath(new URL('../..', import.meta.url));
const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

/** A `next start` process of the control plane. */
export interface RunningPlane {
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** SIGTERM, then SIGKILL after 5 s, to its whole process group; resolves once it has exited. */
  stop(): Promise<void>;
  /** SIGKILL to its whole process group at once, as a crash would; resolves once it has exited. */
  kill(): Promise<void>;
}

/** A port nothing listens on right now (the kernel's choice, released straight away). */
export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

async function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  const timeout = new Promise<false>((resolve) => setTimeout(resolve, timeoutMs, false).unref());
  return Promise.race([once(child, 'exit').then(() => true), timeout]);
}

/**
 * Starts the built control plane (`npm run build -w @flaglens/dashboard` first) on a loopback port and
 * resolves once it answers HTTP: a free port, or `port` to bring a killed one back where its clients expect it.
 * `env` adds to this process's environment, e.g. `{ FLAGLENS_DATA_DIR: tempDir }` for a throwaway PGlite store.
 *
 * @example
 * const plane = await startControlPlane({ FLAGLENS_DATA_DIR: mkdtempSync(join(tmpdir(), 'plane-')) });
 * const flags = await fetch(`${plane.url}/api/v1/flags`, { headers: { authorization: `Bearer ${adminTokenOf(plane)}` } });
 * await plane.stop();
 */
export async function startControlPlane(env: Record<string, string>, readyTimeoutMs = 60_000, port?: number): Promise<RunningPlane> {
  port ??= await freePort();
  // Its own process group, so stop() reaches anything `next start` spawns too.
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: DASHBOARD_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  const running: RunningPlane = {
    url: `http://127.0.0.1:${port}`,
    output: () => printed,
    async stop() {
      signal('SIGTERM');
      if (await exited(child, 5_000)) return;
      signal('SIGKILL');
      await exited(child, 5_000);
    },
    async kill() {
      signal('SIGKILL');
      await exited(child, 5_000);
    },
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`control plane exited with ${child.exitCode}:\n${printed}`);
    // Any answer from the API (401 without a token) means migrations ran and routes are served.
    const status = await fetch(`${running.url}/api/v1/flags`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 401) return running;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await running.stop();
  throw new Error(`control plane not ready within ${readyTimeoutMs} ms:\n${printed}`);
}

/** The admin token a control plane prints on its first start. */
export function adminTokenOf(plane: RunningPlane): string {
  const token = /fl_admin_\S+/.exec(plane.output())?.[0];
  if (!token) throw new Error(`no admin token printed:\n${plane.output()}`);
  return token;
}
