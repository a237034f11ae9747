import { type Command, InvalidArgumentError } from 'commander';
import YAML from 'yaml';
import type { Expected } from '../api/client.js';
import { FLAG_SET_ANSWER, type FlagsetFile } from '../flagset/types.js';
import { output } from '../io.js';
import type { Action, Wrap } from './context.js';
import { parseDocument, readText } from './files.js';

/** A flag as `GET /flags/{key}` returns it (metadata fields appear when the server has them). */
interface StoredFlag {
  key: string;
  version: number;
  flag: Record<string, unknown>;
  updatedAt: string;
  updatedBy: string;
  [field: string]: unknown;
}

const STORED_FLAG: Expected = { what: 'a flag', fields: { key: 'string', version: 'number', flag: 'object' } };

const path = (key: string, suffix = '') => `/flags/${encodeURIComponent(key)}${suffix}`;

/** Fixed-width columns for a terminal; the last column is never padded. */
export function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** What a flag serves when no rule matches, in a few words: `v1`, `v1 90% / v2 10%`, `caller's default`. */
export function servesOf(flag: Record<string, unknown>): string {
  const fallthrough = flag.fallthrough as { variant?: string; split?: { arms: { variant: string; weight: number }[] } } | undefined;
  if (flag.enabled === false) return `off → ${typeof flag.offVariant === 'string' ? flag.offVariant : "caller's default"}`;
  if (fallthrough?.variant) return fallthrough.variant;
  if (fallthrough?.split) return fallthrough.split.arms.map((arm) => `${arm.variant} ${arm.weight / 100}%`).join(' / ');
  return "caller's default";
}

const list: Action<object> = async (_, context) => {
  const file = await context.client().request<FlagsetFile>('GET', '/flagset', { expect: FLAG_SET_ANSWER });
  const rows = Object.entries(file.flags).map(([key, flag]) => ({
    key,
    version: file.versions?.[key] ?? null,
    type: String(flag.type),
    kind: typeof flag.kind === 'string' ? flag.kind : null,
    owner: typeof flag.owner === 'string' ? flag.owner : null,
    tags: Array.isArray(flag.tags) ? (flag.tags as string[]) : [],
    rules: Array.isArray(flag.rules) ? flag.rules.length : 0,
    serves: servesOf(flag),
  }));
  output(context.io, context.options, { environment: file.environment, flags: rows }, () =>
    rows.length === 0
      ? `no flags in ${file.environment}\n`
      : table([
          ['KEY', 'VERSION', 'TYPE', 'KIND', 'OWNER', 'RULES', 'SERVES'],
          ...rows.map((row) => [
            row.key,
            String(row.version ?? ''),
            row.type,
            row.kind ?? '',
            row.owner ?? '',
            String(row.rules),
            row.serves,
          ]),
        ]),
  );
};

const get: Action<object> = async ([key = ''], context) => {
  const stored = await context.client().request<StoredFlag>('GET', path(key), { expect: STORED_FLAG });
  output(context.io, context.options, stored, () => {
    const { flag, key: _key, version, updatedAt, updatedBy, ...rest } = stored;
    const about = Object.entries(rest).filter(
      ([, value]) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0),
    );
    const header = [
      `${stored.key} version ${version}, changed ${updatedAt} by ${updatedBy}`,
      ...about.map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`),
    ];
    return `${header.join('\n')}\n---\n${YAML.stringify(flag, { aliasDuplicateObjects: false })}`;
  });
};

const set: Action<{ file: string; ifVersion?: number }> = async ([key = ''], context) => {
  const { file, ifVersion } = context.options;
  const input = parseDocument(await readText(context.io, file), file);
  const headers: Record<string, string> = ifVersion === undefined ? {} : { 'if-match': `"${ifVersion}"` };
  const stored = await context.client().request<StoredFlag>('PUT', path(key), { body: input, headers, expect: STORED_FLAG });
  const verb = ifVersion === undefined ? 'created' : 'updated';
  output(context.io, context.options, stored, () => `${verb} ${stored.key}: now version ${stored.version}\n`);
};

const rollback: Action<{ reason?: string }> = async ([key = ''], context) => {
  const body = context.options.reason === undefined ? {} : { reason: context.options.reason };
  const result = await context.client().request<StoredFlag & { changed: boolean }>('POST', path(key, '/rollback'), {
    body,
    expect: STORED_FLAG,
  });
  output(context.io, context.options, result, () =>
    result.changed
      ? `${result.key} is off: everyone gets its off variant (version ${result.version})\n`
      : `${result.key} was already off\n`,
  );
};

/** `GET /flags/stale`: the report of flags that look like debt, each with why and what to do. */
interface StaleReport {
  environment: string;
  days: number;
  checks: { evaluations: 'ok' | 'unavailable'; codeRefs: 'ok' | 'no_scans' };
  flags: { key: string; kind: string; owner: string | null; reasons: { code: string; message: string }[]; advice: string }[];
}

function renderStale(report: StaleReport): string {
  const lines = report.flags.flatMap((flag) => [
    `${flag.key} (${flag.kind}${flag.owner ? `, owner ${flag.owner}` : ''})`,
    ...flag.reasons.map((reason) => `  - ${reason.message}`),
    `  → ${flag.advice}`,
  ]);
  if (report.flags.length === 0) lines.push(`no stale flags in ${report.environment} over ${report.days} days`);
  if (report.checks.evaluations === 'unavailable') lines.push('note: evaluation counts were unavailable; "no evaluations" was not checked');
  if (report.checks.codeRefs === 'no_scans')
    lines.push('note: no code scan was pushed (flaglens code-refs --push); code references were not checked');
  return `${lines.join('\n')}\n`;
}

const stale: Action<{ days?: number }> = async (_, context) => {
  const report = await context.client().request<StaleReport>('GET', '/flags/stale', {
    query: { days: context.options.days },
    expect: { what: 'a stale report', fields: { flags: 'array', checks: 'object' } },
  });
  output(context.io, context.options, report, () => renderStale(report));
};

const lifecycle =
  (verb: 'archive' | 'restore'): Action<object> =>
  async ([key = ''], context) => {
    const result = await context.client().request<Record<string, unknown>>('POST', path(key, `/${verb}`));
    const done = verb === 'archive' ? 'archived: SDKs no longer receive it; its history stays' : 'restored: SDKs receive it again';
    output(context.io, context.options, result, () => `${key} ${done}\n`);
  };

/** An option parser for a whole number ≥ 1; `expected` is the usage error's wording. */
const wholeNumber = (expected: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(expected);
  return Number(value);
};
const days = wholeNumber('expected a whole number of days ≥ 1');
const version = wholeNumber('expected the version you edited, a whole number ≥ 1');

/** `flaglens flags …`. */
export function flagsCommand(program: Command, wrap: Wrap): void {
  const flags = program.command('flags').description('list, read, change, roll back, archive and restore flags');
  const onFlag = (name: string, description: string) => flags.command(name).description(description).argument('<key>');
  flags.command('list').description("the environment's flags with version, type and what they serve").action(wrap(list));
  onFlag('get', 'one flag: its definition, version and who changed it last').action(wrap(get));
  onFlag('set', 'create a flag, or update the version given with --if-version')
    .requiredOption('-f, --file <file>', 'the flag definition, JSON or YAML ("-" for stdin)')
    .option('--if-version <n>', 'the version you edited; refused (exit 3) if someone changed it since', version)
    .action(wrap(set));
  onFlag('rollback', 'the kill switch: turn the flag off so everyone gets its off variant')
    .option('--reason <text>', 'kept in the audit log')
    .action(wrap(rollback));
  flags
    .command('stale')
    .description('flags that look like debt, each with why and what to do')
    .option('--days <n>', 'how long a flag must have looked stale', days)
    .action(wrap(stale));
  onFlag('archive', 'stop serving a flag to SDKs, keeping its history').action(wrap(lifecycle('archive')));
  onFlag('restore', 'serve an archived flag again').action(wrap(lifecycle('restore')));
}
