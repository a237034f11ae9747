import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseTrafficArgs, UsageError } from '../src/args.js';

describe('parseTrafficArgs', () => {
  it('defaults to healthy loopback traffic that stops by itself', () => {
    expect(parseTrafficArgs([])).toEqual({
      scenario: 'healthy',
      target: 'http://127.0.0.1:3001',
      rate: 20,
      durationMs: 600_000,
      requests: Number.POSITIVE_INFINITY,
      users: 2_000,
      regressAfterMs: 30_000,
      seed: 1,
      progressMs: 1_000,
    });
    expect(parseTrafficArgs(['--help'])).toBeUndefined();
  });

  it('reads every option', () => {
    const options = parseTrafficArgs([
      '--scenario=srm-bug',
      '--target=http://localhost:4000/',
      '--rate=5.5',
      '--duration=90s',
      '--requests=100',
      '--users=50',
      '--regress-after=0s',
      '--seed=7',
    ]);
    expect(options).toMatchObject({ scenario: 'srm-bug', target: 'http://localhost:4000', rate: 5.5, durationMs: 90_000 });
    expect(options).toMatchObject({ requests: 100, users: 50, regressAfterMs: 0, seed: 7 });
  });

  it.each([
    [['--scenario=chaos'], '--scenario must be one of'],
    [['--rate=0'], '--rate'],
    [['--rate=fast'], '--rate'],
    [['--duration=10'], '--duration'],
    [['--target=ftp://127.0.0.1'], '--target'],
    [['--target=http://192.168.1.9:3001'], 'pass --allow-remote'],
    [['--seed=-1'], '--seed'],
    [['--sped=3'], "Unknown option '--sped'"],
    [['extra'], 'extra'],
  ])('refuses %j naming the option', (argv, message) => {
    expect(() => parseTrafficArgs(argv)).toThrow(UsageError);
    expect(() => parseTrafficArgs(argv)).toThrow(message);
  });

  it('sends to another host only when asked to', () => {
    expect(parseTrafficArgs(['--target=http://10.0.0.2:3001', '--allow-remote'])?.target).toBe('http://10.0.0.2:3001');
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m and h', () => {
    expect([parseDuration('250ms'), parseDuration('30s'), parseDuration('10m'), parseDuration('1h')]).toEqual([
      250, 30_000, 600_000, 3_600_000,
    ]);
    expect(parseDuration('1.5m')).toBeUndefined();
  });
});

describe('flaglens-traffic on the command line', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const run = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [cli, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });

  it('--help exits 0 and a mistake exits 2 naming the option', async () => {
    expect(await run('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('--scenario=<name>') });
    const wrong = await run('--duration=forever');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--duration must be a duration');
  });
});
