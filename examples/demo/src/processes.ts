import { type NodeGroup, startNodeGroup } from '@flaglens/dashboard/process';

/** One part of the demo: a Node.js child process in its own process group. */
export interface Part extends NodeGroup {
  readonly name: string;
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

/**
 * Starts a part with this Node.js, in its own process group, so Ctrl-C in the terminal reaches only the demo,
 * which then stops the parts in order, and so stopping a part reaches whatever it spawned too. Each part also
 * stops by itself when the process that started it is gone (see `startNodeGroup`).
 */
export function startPart(options: PartOptions): Part {
  const group = startNodeGroup(options.args, {
    cwd: options.cwd,
    env: options.env,
    onLine: (line) => {
      if (!options.quiet?.(line)) options.log(options.name, line);
    },
  });
  return { name: options.name, ...group };
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
