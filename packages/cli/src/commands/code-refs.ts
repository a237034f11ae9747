import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type CodeRef, findCodeRefs } from '../code-refs/find.js';
import { type CodeRefsReport, compareRefs, renderReport } from '../code-refs/report.js';
import { sourceFiles } from '../code-refs/walk.js';
import { CliError, EXIT } from '../exit.js';
import { formatOfPath, parseFlagsetFile } from '../flagset/formats.js';
import { FLAG_SET_ANSWER, type FlagsetFile } from '../flagset/types.js';
import { output, progress } from '../io.js';
import type { Action, CommandContext, Wrap } from './context.js';
import { readText } from './files.js';

interface Options {
  flags?: string;
  push?: boolean;
  repository?: string;
  commit?: string;
  exitCode?: boolean;
}

async function scan(root: string, say: (line: string) => void): Promise<{ files: number; refs: CodeRef[] }> {
  const isDirectory = await stat(root).then(
    (found) => found.isDirectory(),
    () => false,
  );
  if (!isDirectory) throw new CliError(`${root} is not a folder`);
  const files = await sourceFiles(root);
  const refs: CodeRef[] = [];
  for (const [index, file] of files.entries()) {
    refs.push(...findCodeRefs(file, await readFile(resolve(root, file), 'utf8')));
    if ((index + 1) % 200 === 0) say(`scanned ${index + 1} of ${files.length} files`);
  }
  say(`scanned ${files.length} files: ${refs.length} references`);
  return { files: files.length, refs };
}

/** The flag set to compare with: `--flags <file>`, else the control plane's when a token is there, else none. */
async function definedFlags(context: CommandContext<Options>): Promise<{ environment: string; keys: string[] } | null> {
  const { flags } = context.options;
  if (flags) {
    const file = parseFlagsetFile(await readText(context.io, flags), formatOfPath(flags), flags);
    return { environment: file.environment ?? flags, keys: Object.keys(file.flags) };
  }
  if (!context.options.push && !context.options.token && !context.io.env.FLAGLENS_TOKEN) return null;
  const file = await context.client().request<FlagsetFile>('GET', '/flagset', { expect: FLAG_SET_ANSWER });
  return { environment: file.environment ?? context.client().connection.environment, keys: Object.keys(file.flags) };
}

const codeRefs: Action<Options> = async ([dir = '.'], context) => {
  const { io, options } = context;
  const say = progress(io, options);
  const root = resolve(io.cwd, dir);
  const { files, refs } = await scan(root, say);
  const defined = await definedFlags(context);
  const report: CodeRefsReport = {
    root: dir,
    scannedAt: new Date().toISOString(),
    files,
    refs,
    environment: defined?.environment ?? null,
    ...compareRefs(refs, defined?.keys ?? null),
  };
  if (options.push) {
    const repository = options.repository ?? io.env.GITHUB_REPOSITORY ?? io.env.CI_PROJECT_PATH;
    const commit = options.commit ?? io.env.GITHUB_SHA ?? io.env.CI_COMMIT_SHA;
    await context.client().request('PUT', '/code-refs', { body: { repository, commit, scannedAt: report.scannedAt, refs } });
    say(`pushed ${refs.length} references to ${context.client().connection.url}`);
  }
  output(io, options, report, () => renderReport(report));
  if (options.exitCode && report.undefinedFlags.length > 0) context.exitCode = EXIT.failure;
};

/** `flaglens code-refs <dir>`. */
export function codeRefsCommand(program: Command, wrap: Wrap): void {
  program
    .command('code-refs')
    .description('find where flag keys are used in TypeScript/JavaScript; report undefined and unreferenced flags')
    .argument('[dir]', 'the source folder', '.')
    .option('--flags <file>', 'compare with this exported flag set instead of asking the control plane')
    .option('--push', "send the references to the control plane, for each flag's page")
    .option('--repository <name>', 'recorded with a push (default $GITHUB_REPOSITORY or $CI_PROJECT_PATH)')
    .option('--commit <sha>', 'recorded with a push (default $GITHUB_SHA or $CI_COMMIT_SHA)')
    .option('--exit-code', 'exit 1 when the code uses a key the flag set does not define')
    .action(wrap(codeRefs));
}
