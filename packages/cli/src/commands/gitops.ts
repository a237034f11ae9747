import { type Command, InvalidArgumentError } from 'commander';
import { CliError, EXIT } from '../exit.js';
import { type Format, formatOfPath, isFormat, parseFlagsetFile, serialize } from '../flagset/formats.js';
import { hasChanges, renderPlan } from '../flagset/render.js';
import { APPLY_ANSWER, type ApplyResult, FLAG_SET_ANSWER, type FlagsetFile } from '../flagset/types.js';
import { output, progress } from '../io.js';
import type { Action, Wrap } from './context.js';
import { readText, writeText } from './files.js';

const exportSet: Action<{ format?: Format; output?: string }> = async (_, context) => {
  const { output: target } = context.options;
  const format = context.options.format ?? (target ? formatOfPath(target) : 'json');
  // Without -o the file itself is the output; --json promises a script JSON there.
  if (!target && context.options.json && format === 'yaml')
    throw new CliError('--json and --format yaml: the export on stdout would be YAML', EXIT.usage);
  const file = await context.client().request<FlagsetFile>('GET', '/flagset', { expect: FLAG_SET_ANSWER });
  const text = serialize(file, format);
  if (!target) {
    context.io.stdout.write(text);
    return;
  }
  await writeText(context.io, target, text);
  const count = Object.keys(file.flags).length;
  output(
    context.io,
    context.options,
    { environment: file.environment, flags: count, format, file: target },
    () => `wrote ${count} flags of ${file.environment} to ${target} (${format})\n`,
  );
};

const apply: Action<{ format?: Format; dryRun?: boolean; prune?: boolean; exitCode?: boolean }> = async ([source = ''], context) => {
  const { dryRun = false, prune = false } = context.options;
  // A real apply that failed on "changes found" would be a failure after the changes were written.
  if (context.options.exitCode && !dryRun)
    throw new CliError('--exit-code needs --dry-run: it reports whether applying would change anything', EXIT.usage);
  const format = context.options.format ?? formatOfPath(source);
  const file = parseFlagsetFile(await readText(context.io, source), format, source);
  const environment = context.client().connection.environment;
  const say = progress(context.io, context.options);
  if (file.environment !== undefined && file.environment !== environment) {
    context.io.stderr.write(`note: ${source} was exported from ${file.environment}; applying it to ${environment}\n`);
  }
  say(`${dryRun ? 'planning' : 'applying'} ${Object.keys(file.flags).length} flags to ${environment}…`);
  const result = await context.client().request<ApplyResult>('POST', '/flagset/apply', {
    body: { ...file, dryRun, prune },
    expect: APPLY_ANSWER,
  });
  const segments = result.segments ?? [];
  output(
    context.io,
    context.options,
    result,
    () => `${renderPlan(result.plan, segments)}${result.applied ? `applied to ${environment}\n` : ''}`,
  );
  if (dryRun && context.options.exitCode && hasChanges(result.plan, segments)) context.exitCode = EXIT.failure;
};

const format = (value: string): Format => {
  if (!isFormat(value)) throw new InvalidArgumentError('expected json, yaml or flagd');
  return value;
};

/** `flaglens export` and `flaglens apply`: the flag set as a file in Git. */
export function gitopsCommands(program: Command, wrap: Wrap): void {
  program
    .command('export')
    .description("write the environment's whole flag set (with each flag's version) as a file")
    .option('--format <format>', 'json, yaml or flagd (default: from the -o name, else json)', format)
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(wrap(exportSet));
  program
    .command('apply')
    .description(
      'make the environment match a flag set file (flags and segments): all or nothing, refused if one changed since the file was exported',
    )
    .argument('<file>', 'a file written by export (json, yaml or flagd); "-" for stdin')
    .option('--format <format>', 'json, yaml or flagd (default: from the file name; flagd is also recognised by content)', format)
    .option('--dry-run', 'print what would change and change nothing')
    .option('--prune', 'delete flags (and segments, when the file has any) the file does not list')
    .option('--exit-code', 'with --dry-run (required): exit 1 when something would change')
    .action(wrap(apply));
}
