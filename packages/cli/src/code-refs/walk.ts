import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** Source files the scanner parses; declaration files hold no calls. */
const SOURCE = /\.(?:[cm]?[jt]s|[jt]sx)$/;
const DECLARATION = /\.d\.[cm]?ts$/;

/** Folders never scanned: dependencies, build outputs and VCS data (a `.gitignore` negation can bring one back). */
const SKIPPED = ['node_modules', 'dist', 'build', 'out', 'coverage', '.git', '.next*', '.turbo', '.flaglens'];

const toPosix = (path: string) => path.split(sep).join('/');

/**
 * A rule of `<folder>/.gitignore` as a rule of the repository root's, so one matcher holds every level
 * and a deeper file's rules, added later, win as in Git: a rule with a slash before its end is anchored
 * to the folder, any other matches at every depth below it.
 */
function rebase(rule: string, folder: string): string {
  if (folder === '') return rule;
  const negation = rule.startsWith('!') ? '!' : '';
  const pattern = rule.slice(negation.length);
  const anchored = pattern.replace(/\/+$/, '').includes('/');
  return `${negation}${folder}/${anchored ? pattern.replace(/^\//, '') : `**/${pattern}`}`;
}

/** The matcher for `folder` (relative to the repository root): its parent's plus the folder's own `.gitignore`. */
async function withGitignore(parent: Ignore, base: string, folder: string): Promise<Ignore> {
  const text = await readFile(join(base, folder, '.gitignore'), 'utf8').catch(() => undefined);
  if (text === undefined) return parent;
  const rules = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
  return ignore({ ignorecase: false })
    .add(parent)
    .add(rules.map((rule) => rebase(rule, folder)));
}

/** The root of the Git work tree holding `dir` (the nearest folder up with a `.git`), or `dir` outside one. */
async function workTreeOf(dir: string): Promise<string> {
  for (let at = dir; ; at = dirname(at)) {
    if (
      await stat(join(at, '.git')).then(
        () => true,
        () => false,
      )
    )
      return at;
    if (dirname(at) === at) return dir;
  }
}

/**
 * Every source file under `root`, as paths relative to it with `/` separators, in a stable order. Skips
 * {@link SKIPPED} and what the `.gitignore` files of the work tree ignore, from its root down (negations,
 * directory patterns and anchored paths as Git reads them; case-sensitive, as Git on Linux).
 */
export async function sourceFiles(root: string): Promise<string[]> {
  const base = await workTreeOf(root);
  let rules = ignore({ ignorecase: false }).add(SKIPPED);
  // The .gitignore files between the work tree's root and the scanned folder apply too.
  const above = toPosix(relative(base, root));
  const folders = above === '' ? [''] : ['', ...above.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'))];
  for (const folder of folders.slice(0, -1)) rules = await withGitignore(rules, base, folder);
  const found: string[] = [];
  const visit = async (folder: string, inherited: Ignore): Promise<void> => {
    const matcher = await withGitignore(inherited, base, folder);
    const entries = await readdir(join(base, folder), { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!matcher.ignores(`${path}/`)) await visit(path, matcher);
      } else if (entry.isFile() && SOURCE.test(entry.name) && !DECLARATION.test(entry.name) && !matcher.ignores(path)) {
        found.push(toPosix(relative(root, join(base, path))));
      }
    }
  };
  await visit(above, rules);
  return found;
}
