import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Source files the scanner parses; declaration files hold no calls. */
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/** Folders never scanned: dependencies, build outputs and VCS data. */
const SKIPPED = ['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.next*', '.turbo', '.flaglens'];

/** A `.gitignore` name pattern (`*` wildcards, an optional trailing `/`) as a test of one path segment. */
function namePattern(pattern: string): RegExp {
  const body = pattern
    .replace(/\/$/, '')
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*');
  return new RegExp(`^${body}$`);
}

/**
 * The skip list plus the simple entries of the root `.gitignore`: names and name globs (`*.log`, `tmp/`),
 * matched against every path segment. Entries with a slash inside or a `!` are not understood and ignored.
 */
async function skipPatterns(root: string): Promise<RegExp[]> {
  const ignored = await readFile(join(root, '.gitignore'), 'utf8').catch(() => '');
  const simple = ignored
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!') && !line.replace(/^\/|\/$/g, '').includes('/'))
    .map((line) => line.replace(/^\//, ''));
  return [...SKIPPED, ...simple].map(namePattern);
}

/** Every source file under `root`, as paths relative to it with `/` separators, in a stable order. */
export async function sourceFiles(root: string): Promise<string[]> {
  const skip = await skipPatterns(root);
  const found: string[] = [];
  const visit = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (skip.some((pattern) => pattern.test(entry.name))) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name))
        found.push(relative(root, path).split(sep).join('/'));
    }
  };
  await visit(root);
  return found;
}
