import { type ParseArgsConfig, parseArgs } from 'node:util';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios.js';

/** What one run of the generator does; every field has a default (see {@link USAGE}). */
export interface TrafficOptions {
  readonly scenario: ScenarioName;
  /** Base URL of the credit-risk service. */
  readonly target: string;
  /** Requests per second. */
  readonly rate: number;
  /** Stop after this long (ms) … */
  readonly durationMs: number;
  /** … or after this many scoring requests, whichever comes first. */
  readonly requests: number;
  /** Distinct users; each keeps their variant, as the flag's split is sticky. */
  readonly users: number;
  /** Healthy traffic first; the scenario's fault or shift starts after this long (ms). */
  readonly regressAfterMs: number;
  /** Seed of the applicant generator and every random choice. */
  readonly seed: number;
  /** Time between progress lines (ms). */
  readonly progressMs: number;
}

export const USAGE = `flaglens-traffic [options]

  --scenario=<name>       ${SCENARIO_NAMES.join(' | ')} (default healthy)
  --target=<url>          the credit-risk service (default http://127.0.0.1:3001)
  --rate=<n>              requests per second (default 20)
  --duration=<d>          stop after this long: 90s, 10m, 1h (default 10m)
  --requests=<n>          stop after this many scoring requests (default: no limit)
  --users=<n>             distinct users (default 2000)
  --regress-after=<d>     healthy traffic first, then the scenario's fault (default 30s)
  --seed=<n>              seed of every random choice (default 1)
  --progress=<d>          time between progress lines on stderr (default 1s)
  --allow-remote          allow a target other than loopback
  --help`;

/** A command-line mistake: the message names the option; the CLI exits with 2. */
export class UsageError extends Error {}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;

/** `250ms`, `30s`, `10m`, `1h` → ms; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** `--<name>`: a number above 0 and at most `max`; `fallback` when not given. Throws {@link UsageError}. */
export function numberOption(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0 || value > max)
    throw new UsageError(`--${name} must be a number above 0 and at most ${max}`);
  return value;
}

/** `--<name>`: a duration (see {@link parseDuration}) in ms; `fallbackMs` when not given. Throws {@link UsageError}. */
export function durationOption(name: string, text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${name} must be a duration such as 30s, 10m or 1h (got ${JSON.stringify(text)})`);
  return ms;
}

/** `--scenario`: one of {@link SCENARIO_NAMES}, healthy when not given. Throws {@link UsageError} listing them. */
export function scenarioOption(text: string | undefined): ScenarioName {
  const scenario = text ?? 'healthy';
  if (!SCENARIO_NAMES.includes(scenario as ScenarioName)) {
    throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(', ')} (got ${JSON.stringify(scenario)})`);
  }
  return scenario as ScenarioName;
}

/** `node:util`'s `parseArgs`, strict and without positionals, its mistakes thrown as {@link UsageError}; `str(name)` reads a string option. */
export function readOptions(argv: readonly string[], options: NonNullable<ParseArgsConfig['options']>) {
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    values = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { values, str: (name: string) => values[name] as string | undefined };
}

/**
 * What a CLI's `main` starts from: the options `parse` reads from `argv`, or the exit code when there is nothing to
 * run — 0 after printing `usage` for `--help` (`parse` returned undefined), 2 after printing a {@link UsageError}.
 */
export function optionsOrExitCode<T extends object>(
  program: string,
  usage: string,
  parse: (argv: readonly string[]) => T | undefined,
  argv: readonly string[] = process.argv.slice(2),
): T | 0 | 2 {
  try {
    const options = parse(argv);
    if (options) return options;
    console.log(usage);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${program}: ${error.message}\n\n${usage}`);
    return 2;
  }
}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Parses the command line; `undefined` means `--help` was asked for. Throws {@link UsageError}. */
export function parseTrafficArgs(argv: readonly string[]): TrafficOptions | undefined {
  const { values, str } = readOptions(argv, {
    scenario: { type: 'string' },
    target: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    requests: { type: 'string' },
    users: { type: 'string' },
    'regress-after': { type: 'string' },
    seed: { type: 'string' },
    progress: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) return undefined;
  const scenario = scenarioOption(str('scenario'));
  const target = str('target') ?? 'http://127.0.0.1:3001';
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new UsageError(`--target must be an http(s) URL (got ${JSON.stringify(target)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--target must be an http(s) URL');
  if (!isLoopback(url.hostname) && !values['allow-remote']) {
    throw new UsageError(`--target ${url.host} is not a loopback address: pass --allow-remote to send traffic there`);
  }
  const seed = str('seed') ?? '1';
  if (!/^\d{1,9}$/.test(seed)) throw new UsageError('--seed must be a whole number');
  return {
    scenario,
    target: url.href.replace(/\/$/, ''),
    rate: numberOption('rate', str('rate'), 20, 1_000),
    durationMs: durationOption('duration', str('duration'), 10 * 60_000),
    requests: Math.floor(numberOption('requests', str('requests'), Number.POSITIVE_INFINITY, 1e9)),
    users: Math.floor(numberOption('users', str('users'), 2_000, 1e7)),
    regressAfterMs: durationOption('regress-after', str('regress-after'), 30_000),
    seed: Number(seed),
    progressMs: Math.max(durationOption('progress', str('progress'), 1_000), 100),
  };
}
