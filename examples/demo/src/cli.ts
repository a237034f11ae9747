#!/usr/bin/env node
/**
 * `npm start -- --scenario=latency-regression` (or `flaglens-demo …`): the whole loop on this machine. Exit 0
 * after Ctrl-C (SIGINT), SIGTERM or SIGHUP once every part has stopped; 1 when a part failed; 2 on a usage mistake.
 * It also stops when its parent exits (npm killed without its children), so it never runs on unseen.
 */
import { whenParentExits } from '@flaglens/dashboard/process';
import { optionsOrExitCode } from '@flaglens/example-traffic';
import { parseDemoArgs, USAGE } from './args.js';
import { startDemo } from './demo.js';
import { createLog } from './log.js';

async function main(): Promise<number> {
  const options = optionsOrExitCode('flaglens-demo', USAGE, parseDemoArgs);
  if (typeof options === 'number') return options;
  const log = createLog();
  const interrupt = new AbortController();
  const stopFor = (why: string) => {
    if (interrupt.signal.aborted) log('demo', `${why}: already stopping (each part gets SIGKILL after its grace period)`);
    else interrupt.abort(why);
  };
  // Handled for the whole run: a second Ctrl-C (or npm passing the first on again) must not kill the demo while it
  // stops its parts, which run in their own process groups and would be left running.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stopFor(signal));
  whenParentExits(() => stopFor('parent exited'));
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
