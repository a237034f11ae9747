import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The built package (`npm test` builds first); parts load the dashboard's dist/process/exit-with-parent.js.
const INDEX = new URL('../dist/index.js', import.meta.url).href;

let parent: ChildProcess | undefined;
let started: number[] = [];

/** Signal 0 checks that `pid` exists: it throws ESRCH once the process is gone (and reaped). */
const expectGone = (pid: number, timeout: number) =>
  vi.waitFor(() => expect(() => process.kill(pid, 0)).toThrow(), { timeout, interval: 100 });

afterEach(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone, as it should be.
    }
  }
  parent?.kill('SIGKILL');
});

/** A process that starts two parts as the demo does, one that stops on SIGTERM and one that ignores it, and prints their PIDs. */
async function startParent(): Promise<number[]> {
  const script = `
    import { startPart } from ${JSON.stringify(INDEX)};
    const part = (name, code) => startPart({ name, args: ['-e', code], cwd: process.cwd(), env: process.env, log: () => {} });
    const parts = [part('polite', 'setInterval(() => {}, 1000)'), part('stubborn', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)")];
    // Give each part a moment to load its watchdog, as the demo's parts have while it waits for them to answer.
    setTimeout(() => console.log(parts.map((p) => p.child.pid).join(' ')), 500);
    setInterval(() => {}, 1000);
  `;
  parent = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await once(parent.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  started = line.toString().trim().split(' ').map(Number);
  return started;
}

describe('the parts of the demo', () => {
  it('stop by themselves when the demo is killed with SIGKILL, a part that ignores SIGTERM too', async () => {
    const [polite = 0, stubborn = 0] = await startParent();
    for (const pid of [polite, stubborn]) process.kill(pid, 0);
    parent?.kill('SIGKILL');
    await expectGone(polite, 3_000);
    // SIGTERM first, then SIGKILL after the 5 s grace.
    await expectGone(stubborn, 8_000);
  }, 20_000);
});
