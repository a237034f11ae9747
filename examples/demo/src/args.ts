import { resolve } from 'node:path';
import {
  durationOption,
  numberOption,
  readOptions,
  SCENARIO_NAMES,
  type ScenarioName,
  scenarioOption,
  UsageError,
} from '@flaglens/example-traffic';

export { UsageError };

/** What the demo starts, and where. */
export interface DemoOptions {
  readonly scenario: ScenarioName;
  /** Control plane, credit-risk service and webhook receiver ports (loopback). */
  readonly ports: { readonly plane: number; readonly service: number; readonly receiver: number };
  /** The demo's folder: embedded store, admin token and keys (0600). */
  readonly dir: string;
  /** Delete the demo's folder first: a brand-new control plane. */
  readonly fresh: boolean;
  /** Traffic requests per second, how long it runs, and when the scenario's fault starts. */
  readonly rate: number;
  readonly duration: string;
  readonly regressAfter: string;
  /** Minimum hold of each rollout stage. */
  readonly hold: string;
}

export const USAGE = `npm start -- [options]     (or: flaglens-demo [options])

  --scenario=<name>     traffic: ${SCENARIO_NAMES.join(' | ')} (default healthy)
  --regress-after=<d>   healthy traffic first, then the scenario's fault (default 45s)
  --rate=<n>            requests per second (default 20)
  --duration=<d>        how long the traffic runs (default 1h)
  --hold=<d>            minimum hold of each rollout stage (default 30s)
  --port=<n>            control plane (default 3000); --service-port (3001), --receiver-port (3002)
  --dir=<path>          the demo's folder (default .flaglens-demo)
  --fresh               delete the demo's folder first
  --help`;

function port(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 1 || value > 65_535)
    throw new UsageError(`--${name} must be a port number (got ${JSON.stringify(text)})`);
  return value;
}

/** A duration option kept as written: the demo hands it on to the traffic generator and the rollout plan. */
function duration(name: string, text: string | undefined, fallback: string): string {
  durationOption(name, text ?? fallback, 0);
  return text ?? fallback;
}

/** Parses the command line (`undefined` for `--help`); throws {@link UsageError} naming the option. */
export function parseDemoArgs(argv: readonly string[], cwd = process.cwd()): DemoOptions | undefined {
  const { values, str } = readOptions(argv, {
    scenario: { type: 'string' },
    'regress-after': { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    hold: { type: 'string' },
    port: { type: 'string' },
    'service-port': { type: 'string' },
    'receiver-port': { type: 'string' },
    dir: { type: 'string' },
    fresh: { type: 'boolean' },
    help: { type: 'boolean' },
  });
  if (values.help) return undefined;
  const ports = {
    plane: port('port', str('port'), 3000),
    service: port('service-port', str('service-port'), 3001),
    receiver: port('receiver-port', str('receiver-port'), 3002),
  };
  if (new Set(Object.values(ports)).size < 3) throw new UsageError('--port, --service-port and --receiver-port must differ');
  return {
    scenario: scenarioOption(str('scenario')),
    ports,
    dir: resolve(cwd, str('dir') ?? '.flaglens-demo'),
    fresh: values.fresh === true,
    rate: numberOption('rate', str('rate'), 20, 1_000),
    duration: duration('duration', str('duration'), '1h'),
    regressAfter: duration('regress-after', str('regress-after'), '45s'),
    hold: duration('hold', str('hold'), '30s'),
  };
}
