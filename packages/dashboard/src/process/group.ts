import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A Node.js child process in its own process group, which stops by itself once its parent is gone. */
export interface NodeGroup {
  readonly child: ChildProcess;
  /** Everything it printed so far (the last 256 KiB). */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited; 1 if it could not start. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** `signal` to its whole group, SIGKILL after `graceMs`; resolves once it has exited, leaving nothing in its group. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface NodeGroupOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Called with each line it prints, on stdout or stderr. */
  readonly onLine?: (line: string) => void;
}

const OUTPUT_CAP = 256 * 1024;
const EXIT_WITH_PARENT = new URL('./exit-with-parent.js', import.meta.url).href;

/**
 * Runs `node <args>` with this Node.js, in its own process group, so Ctrl-C in a terminal reaches only the parent,
 * which then stops its children in order, and so stopping one reaches whatever it spawned too. The child also loads
 * `exit-with-parent.js`, so it stops when the process that started it is gone, even killed with SIGKILL.
 *
 * @example
 * const plane = startNodeGroup([NEXT_BIN, 'start', '--port', '3000'], { cwd: DASHBOARD_DIR, env: process.env });
 * await plane.stop();
 */
export function startNodeGroup(args: readonly string[], options: NodeGroupOptions): NodeGroup {
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  const onLine = (line: string) => {
    printed = `${printed}${line}\n`.slice(-OUTPUT_CAP);
    options.onLine?.(line);
  };
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', onLine);
  }
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 0));
    child.once('error', (error) => {
      onLine(`could not start: ${error.message}`);
      resolve(1);
    });
  });
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  };
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 8_000) => {
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup(signal);
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    // Anything it left behind in its group goes with it.
    signalGroup('SIGKILL');
  };
  return { child, output: () => printed, exited, stop };
}
