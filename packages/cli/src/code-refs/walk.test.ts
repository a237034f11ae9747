import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sourceFiles } from './walk.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A folder holding `files` (path → text); the folder is the returned path. */
function tree(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'flaglens-walk-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  return root;
}

describe('sourceFiles and .gitignore', () => {
  it('reads the .gitignore of every folder, anchored to that folder', () =>
    expect(
      sourceFiles(
        tree({
          'pkg/.gitignore': '/local.ts\ncache/\n',
          'pkg/local.ts': '',
          'pkg/sub/local.ts': '',
          'pkg/cache/a.ts': '',
          'pkg/sub/cache/b.ts': '',
          'local.ts': '',
          'cache/c.ts': '',
        }),
      ),
    ).resolves.toEqual(['cache/c.ts', 'local.ts', 'pkg/sub/local.ts']));

  it('follows negations, in the same file and in a deeper one', () =>
    expect(
      sourceFiles(
        tree({
          '.gitignore': '*.gen.ts\n!keep.gen.ts\ngenerated/\n',
          'a.gen.ts': '',
          'keep.gen.ts': '',
          'generated/x.ts': '',
          'app/.gitignore': '!generated/\n',
          'app/generated/y.ts': '',
          'app/b.gen.ts': '',
        }),
      ),
    ).resolves.toEqual(['app/generated/y.ts', 'keep.gen.ts']));

  it('matches directory patterns, and patterns with a slash from the folder of their .gitignore', () =>
    expect(
      sourceFiles(
        tree({
          '.gitignore': 'tmp/\nsrc/legacy/*.ts\n**/fixtures/**\n',
          'tmp/a.ts': '',
          'src/tmp.ts': '',
          'src/legacy/old.ts': '',
          'src/legacy/deep/kept.ts': '',
          'lib/src/legacy/kept.ts': '',
          'test/fixtures/f.ts': '',
        }),
      ),
    ).resolves.toEqual(['lib/src/legacy/kept.ts', 'src/legacy/deep/kept.ts', 'src/tmp.ts']));

  it('applies the .gitignore files of the repository above the scanned folder', async () => {
    const repo = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.gitignore': 'services/api/generated/\n*.local.ts\n',
      'services/api/generated/client.ts': '',
      'services/api/main.ts': '',
      'services/api/dev.local.ts': '',
    });
    expect(await sourceFiles(join(repo, 'services/api'))).toEqual(['main.ts']);
  });

  it('treats case as Git on Linux does: patterns are case-sensitive', () =>
    expect(sourceFiles(tree({ '.gitignore': 'Generated/\n', 'generated/a.ts': '', 'Generated/b.ts': '' }))).resolves.toEqual([
      'generated/a.ts',
    ]));
});
