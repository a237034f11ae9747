import { createInterface } from 'node:readline/promises';

/** Where a command reads and writes; a test passes its own to capture output. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});

/** Options every command shares. */
export interface GlobalOptions {
  url?: string;
  token?: string;
  env?: string;
  json?: boolean;
  progress?: boolean;
}

/** A line of progress on stderr, only for a person watching (a TTY) or when asked: never on stdout. */
export function progress(io: Io, options: GlobalOptions): (line: string) => void {
  const enabled = options.progress === true || io.stderr.isTTY === true;
  return (line) => {
    if (enabled) io.stderr.write(`${line}\n`);
  };
}

/** Writes `value` as JSON for scripts, or `human()` for people. */
export function output(io: Io, options: GlobalOptions, value: unknown, human: () => string): void {
  io.stdout.write(options.json ? `${JSON.stringify(value, null, 2)}\n` : human());
}

/** Asks a yes/no question on the terminal; false unless the answer starts with "y". */
export async function confirm(io: Io, question: string): Promise<boolean> {
  const prompt = createInterface({ input: io.stdin, output: io.stderr as NodeJS.WritableStream, terminal: false });
  try {
    return /^y/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}
