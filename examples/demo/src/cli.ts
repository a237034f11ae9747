#!/usr/bin/env node
/**
 * `npm start -- --scenario=latency-regression` (or `flaglens-demo …`): the whole loop on this machine. Exit 0
 * after Ctrl-C (SIGINT) or SIGTERM once every part has stopped; 1 when a part failed; 2 on a usage mistake.
 */
import { parseDemoArgs, USAGE, UsageError } from './args.js';
import { startDemo } from './demo.js';
import { createLog } from './log.js';

async function main(): Promise<number> {
  let options: ReturnType<typeof parseDemoArgs>;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`flaglens-demo: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    console.log(USAGE);
    return 0;
  }
  const log = createLog();
  const interrupt = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => interrupt.abort(signal));
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo(options, log, interrupt.signal);
  } catch (error) {
    if (interrupt.signal.aborted) return 0;
    log('demo', `${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const interrupted = new Promise<string>((resolve) => {
    if (interrupt.signal.aborted) resolve(String(interrupt.signal.reason));
    interrupt.signal.addEventListener('abort', () => resolve(String(interrupt.signal.reason)));
  });
  const [why, failed] = await Promise.race([interrupted.then((s) => [s, false] as const), demo.failed.then((s) => [s, true] as const)]);
  log('demo', `${why}: stopping traffic, service, receiver and control plane`);
  await demo.stop();
  log('demo', 'stopped');
  return failed ? 1 : 0;
}

process.exitCode = await main();
