import type { Command } from 'commander';
import { CliError, EXIT } from '../exit.js';
import { renderChange } from '../flagset/render.js';
import type { Change } from '../flagset/types.js';
import { confirm, output } from '../io.js';
import type { Action, Wrap } from './context.js';

/** `GET /flags/{key}/promote?from=&to=`: both versions and what would change in the target. */
interface PromotionPreview {
  flag: string;
  from: { environment: string; version: number };
  to: { environment: string; version: number };
  changes: Change[];
}

function renderPreview(preview: PromotionPreview): string {
  const { flag, from, to, changes } = preview;
  const head = `${flag}: ${from.environment} version ${from.version} → ${to.environment} version ${to.version}`;
  if (changes.length === 0) return `${head}\nnothing to promote: ${to.environment} already serves the same\n`;
  return `${head}\n${changes.map((change) => `    ${renderChange(change)}`).join('\n')}\n`;
}

const promote: Action<{ from: string; to: string; yes?: boolean }> = async ([key = ''], context) => {
  const { from, to, yes } = context.options;
  if (from === to) throw new CliError('--from and --to name the same environment', EXIT.usage);
  const path = `/flags/${encodeURIComponent(key)}/promote`;
  const preview = await context.client().request<PromotionPreview>('GET', path, {
    query: { from, to },
    expect: { what: 'a promotion preview', fields: { changes: 'array', to: 'object' } },
  });
  if (preview.changes.length === 0) {
    output(context.io, context.options, { preview, promoted: false }, () => renderPreview(preview));
    return;
  }
  if (!yes) {
    if (!context.io.stdin.isTTY) throw new CliError('pass --yes to promote without a prompt (stdin is not a terminal)', EXIT.usage);
    context.io.stderr.write(renderPreview(preview));
    if (!(await confirm(context.io, `promote ${key} to ${to}?`))) throw new CliError('not promoted', EXIT.failure);
  }
  // If-Match on the version the preview showed: a change to the target since then is a 409, not overwritten.
  const result = await context.client().request<Record<string, unknown>>('POST', path, {
    body: { from, to },
    headers: { 'if-match': `"${preview.to.version}"` },
  });
  output(
    context.io,
    context.options,
    { preview, promoted: true, result },
    () => `${yes ? renderPreview(preview) : ''}promoted ${key} to ${to}\n`,
  );
};

/** `flaglens promote <flag> --from staging --to production`. */
export function promoteCommand(program: Command, wrap: Wrap): void {
  program
    .command('promote')
    .description("copy a flag's configuration from one environment to another, after showing the diff")
    .argument('<flag>')
    .requiredOption('--from <environment>', 'where the configuration comes from')
    .requiredOption('--to <environment>', 'where it goes')
    .option('-y, --yes', 'do not ask for confirmation (CI)')
    .action(wrap(promote));
}
