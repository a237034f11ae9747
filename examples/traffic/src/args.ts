import { parseArgs } from 'node:util';
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

function positive(name: string, text: string | undefined, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || value <= 0 || value > max)
    throw new UsageError(`--${name} must be a number above 0 and at most ${max}`);
  return value;
}

function duration(name: string, text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs;
  const ms = parseDuration(text);
  if (ms === undefined) throw new UsageError(`--${name} must be a duration such as 30s, 10m or 1h (got ${JSON.stringify(text)})`);
  return ms;
}

const isLoopback = (host: string) => host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/** Parses the command line; `undefined` means `--help` was asked for. Throws {@link UsageError}. */
export function parseTrafficArgs(argv: readonly string[]): TrafficOptions | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
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
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) return undefined;
  const str = (name: string) => values[name] as string | undefined;
  const scenario = str('scenario') ?? 'healthy';
  if (!SCENARIO_NAMES.includes(scenario as ScenarioName)) {
    throw new UsageError(`--scenario must be one of ${SCENARIO_NAMES.join(', ')} (got ${JSON.stringify(scenario)})`);
  }
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
    scenario: scenario as ScenarioName,
    target: url.href.replace(/\/$/, ''),
    rate: positive('rate', str('rate'), 20, 1_000),
    durationMs: duration('duration', str('duration'), 10 * 60_000),
    requests: Math.floor(positive('requests', str('requests'), Number.POSITIVE_INFINITY, 1e9)),
    users: Math.floor(positive('users', str('users'), 2_000, 1e7)),
    regressAfterMs: duration('regress-after', str('regress-after'), 30_000),
    seed: Number(seed),
    progressMs: Math.max(duration('progress', str('progress'), 1_000), 100),
  };
}
