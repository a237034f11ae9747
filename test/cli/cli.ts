import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** The built `flaglens` bin, found through the workspace link as an installed CLI would be. */
const BIN = join(dirname(require.resolve('@flaglens/cli/package.json')), 'dist/bin.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `flaglens <args>` in its own process with `env` (FLAGLENS_URL, FLAGLENS_TOKEN…) and no terminal. */
export function flaglens(args: string[], env: Record<string, string>, cwd: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, cwd, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
