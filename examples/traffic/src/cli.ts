#!/usr/bin/env node
/**
 * `flaglens-traffic --scenario=latency-regression --duration=5m`: traffic for the credit-risk service with a
 * named scenario; progress on stderr, a summary line on stdout, exit 0 when done, 1 when the service failed
 * the run, 2 on a usage mistake. Ctrl-C (SIGINT) or SIGTERM stops it cleanly.
 */
import { optionsOrExitCode, parseTrafficArgs, USAGE } from './args.js';
import { type ProgressMark, progressLine } from './progress.js';
import { runTraffic } from './run.js';
import { scenarioOf } from './scenarios.js';

async function main(): Promise<number> {
  const options = optionsOrExitCode('flaglens-traffic', USAGE, parseTrafficArgs);
  if (typeof options === 'number') return options;
  const stop = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
  const scenario = scenarioOf(options.scenario);
  const change = scenario.name === 'healthy' ? '' : `; after ${options.regressAfterMs / 1_000}s: ${scenario.description}`;
  console.error(`flaglens-traffic: ${scenario.name} → ${options.target} at ${options.rate} req/s${change}`);
  let mark: ProgressMark = { sent: 0, elapsedMs: 0 };
  try {
    const stats = await runTraffic(options, {
      signal: stop.signal,
      onProgress: (s) => {
        console.error(progressLine(s, mark));
        mark = { sent: s.sent, elapsedMs: s.elapsedMs };
      },
    });
    console.log(`flaglens-traffic: done: ${progressLine(stats)}`);
    return 0;
  } catch (error) {
    console.error(`flaglens-traffic: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

process.exitCode = await main();
