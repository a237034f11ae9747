import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the built CLI (`npm test` builds first) and resolves with its exit code and output. */
function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('flaglens-demo on the command line', () => {
  it('--help prints the options and exits 0', async () => {
    const { code, stdout } = await run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--scenario=<name>');
  });

  it('a wrong option exits 2 naming it, before starting anything', async () => {
    const { code, stderr } = await run('--scenario=meltdown');
    expect(code).toBe(2);
    expect(stderr).toContain('--scenario must be one of');
  });

  it('a port in use exits 1 naming the option to change', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const address = taken.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const { code, stdout } = await run(`--port=${port}`);
      expect(code).toBe(1);
      expect(stdout).toContain(`port ${port} is in use: stop what runs there or pass --port=<another port>`);
    } finally {
      taken.close();
    }
  });
});
