import { Readable } from 'node:stream';
import type { Io } from './io.js';

/** An Io that records what a command writes, for tests; stdin holds `input`. */
export function captureIo(options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string; tty?: boolean } = {}) {
  let out = '';
  let err = '';
  const stdin = Object.assign(Readable.from([options.input ?? '']), { isTTY: options.tty ?? false });
  const io: Io = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty ?? false },
    stdin,
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
  };
  return { io, stdout: () => out, stderr: () => err };
}
