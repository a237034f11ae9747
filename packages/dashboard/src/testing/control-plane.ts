import { once } from 'node:events';
import { createServer } from 'node:net';
import { startNodeGroup } from '../process/group.js';
import { DASHBOARD_DIR, NEXT_BIN } from '../process/paths.js';

/** A `next start` process of the control plane; it stops by itself if the process that started it dies. */
export interface RunningPlane {
  url: string;
  /** The `next start` process, leader of its own process group. */
  pid: number;
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
  // Its own process group, so stop() reaches anything `next start` spawns too; it stops by itself if this process dies.
  const plane = startNodeGroup([NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: DASHBOARD_DIR,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...env },
  });
  let exitedWith: number | NodeJS.Signals | undefined;
  void plane.exited.then((code) => {
    exitedWith = code;
  });
  const running: RunningPlane = {
    url: `http://127.0.0.1:${port}`,
    pid: plane.child.pid ?? 0,
    output: plane.output,
    stop: () => plane.stop('SIGTERM', 5_000),
    kill: () => plane.stop('SIGKILL', 0),
  };
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exitedWith !== undefined) throw new Error(`control plane exited with ${exitedWith}:\n${plane.output()}`);
    // Any answer from the API (401 without a token) means migrations ran and routes are served.
    const status = await fetch(`${running.url}/api/v1/flags`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 401) return running;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await running.stop();
  throw new Error(`control plane not ready within ${readyTimeoutMs} ms:\n${plane.output()}`);
}

/** The admin token a control plane prints on its first start. */
export function adminTokenOf(plane: RunningPlane): string {
  const token = /fl_admin_\S+/.exec(plane.output())?.[0];
  if (!token) throw new Error(`no admin token printed:\n${plane.output()}`);
  return token;
}
