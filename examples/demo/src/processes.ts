import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** One part of the demo: a Node.js child process in its own process group. */
export interface Part {
  readonly name: string;
  readonly child: ChildProcess;
  /** Everything it printed so far (capped), for start-up checks. */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** `signal` to its whole group, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export interface PartOptions {
  readonly name: string;
  /** Node.js's arguments: options such as `--import`, the script, then the script's own. */
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Writes one prefixed line of the demo's log. */
  readonly log: (name: string, line: string) => void;
  /** Lines not to show (still kept in `output()`). */
  readonly quiet?: (line: string) => boolean;
}

const OUTPUT_CAP = 256 * 1024;
const EXIT_WITH_PARENT = new URL('./exit-with-parent.js', import.meta.url).href;

/**
 * Starts a part with this Node.js, in its own process group, so Ctrl-C in the terminal reaches only the demo,
 * which then stops the parts in order, and so stopping a part reaches whatever it spawned too. Each part also
 * stops by itself when the process that started it is gone (see `exit-with-parent.ts`).
 */
export function startPart(options: PartOptions): Part {
  const child = spawn(process.execPath, ['--import', EXIT_WITH_PARENT, ...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      printed = `${printed}${line}\n`.slice(-OUTPUT_CAP);
      if (!options.quiet?.(line)) options.log(options.name, line);
    });
  }
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 0));
    child.once('error', (error) => {
      options.log(options.name, `could not start: ${error.message}`);
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
    if (child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(signal);
    const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
    // Anything the part left behind in its group goes with it.
    signalGroup('SIGKILL');
  };
  return { name: options.name, child, output: () => printed, exited, stop };
}

/** SIGKILL to every part still running, synchronously: for when the demo itself is exiting. */
export function killGroupsNow(parts: readonly Part[]): void {
  for (const part of parts) {
    try {
      if (part.child.pid && part.child.exitCode === null) process.kill(-part.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
