import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('@flaglens/cli as a consumer sees it', () => {
  it('publishes the flaglens bin and its entry point, and no tests or test helpers', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '-w', '@flaglens/cli'], { cwd: root, encoding: 'utf8' });
    const [pack] = JSON.parse(out) as { files: { path: string; mode: number }[] }[];
    const files = (pack?.files ?? []).map((file) => file.path);
    expect(files).toEqual(expect.arrayContaining(['dist/bin.js', 'dist/index.js', 'dist/index.d.ts', 'README.md', 'package.json']));
    expect(files.filter((file) => file.includes('.test.') || file.includes('test-io'))).toEqual([]);
  });

  it('imports through its package name', async () => {
    const cli = await import('@flaglens/cli');
    expect(typeof cli.runCli).toBe('function');
    expect(cli.findCodeRefs('a.ts', "flags.evaluate('k', {}, 1)")).toHaveLength(1);
  });
});
