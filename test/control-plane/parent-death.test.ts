import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventReader } from '@flaglens/dashboard/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { adminApi } from './admin.js';

const TESTING = import.meta.resolve('@flaglens/dashboard/testing');

describe('a control plane started with startControlPlane', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flaglens-parent-death-'));
  const stream = new AbortController();
  let parent: ChildProcess | undefined;
  let planePid = 0;

  afterAll(() => {
    stream.abort();
    parent?.kill('SIGKILL');
    try {
      if (planePid) process.kill(-planePid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops, with its whole process group, when the process that started it is killed with SIGKILL while a stream is open', async () => {
    // A test runner that starts a control plane, as vitest does, and prints where it runs.
    const script = `
      import { adminTokenOf, startControlPlane } from ${JSON.stringify(TESTING)};
      const plane = await startControlPlane({ FLAGLENS_DATA_DIR: ${JSON.stringify(dataDir)}, DATABASE_URL: '' });
      console.log(JSON.stringify({ url: plane.url, pid: plane.pid, token: adminTokenOf(plane) }));
      setInterval(() => {}, 1000);
    `;
    parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(parent.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    const { url, pid, token } = JSON.parse(line.toString()) as { url: string; pid: number; token: string };
    planePid = pid;

    // An open SSE stream makes `next start` wait for it on SIGTERM, as a service's flag stream would.
    const sdkKey = await adminApi(url, token).createSdkKey('parent-death');
    const response = await fetch(`${url}/api/v1/stream`, { headers: { authorization: `Bearer ${sdkKey}` }, signal: stream.signal });
    const events = new EventReader(response.body);
    await events.nextOf('flags', 5_000);

    parent.kill('SIGKILL');
    // Signal 0 to a group throws (ESRCH) once no process is left in it: the watchdog notices within 0.5 s,
    // sends SIGTERM, and SIGKILL to the group 5 s later when the open stream holds the server up.
    await vi.waitFor(() => expect(() => process.kill(-pid, 0)).toThrow(), { timeout: 20_000, interval: 100 });
    expect(() => process.kill(pid, 0)).toThrow();
    await events.ended(2_000);
  }, 90_000);
});
