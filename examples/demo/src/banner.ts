import type { DemoOptions } from './args.js';
import { FLAG } from './seed.js';

/** What the person watching should look for, by scenario. */
function story(options: DemoOptions): string[] {
  const widen = `v2 widens 10% → 25% → 50% → 100%, one stage every ${options.hold} or so while it holds up`;
  switch (options.scenario) {
    case 'healthy':
      return [widen];
    case 'input-drift':
      return [widen, `after ${options.regressAfter} the applicants shift: watch both models' accuracy on the comparison page`];
    case 'srm-bug':
      return [widen, `after ${options.regressAfter} a client bug re-sends v2's requests: see the sample-ratio test on the comparison page`];
    default:
      return [
        widen,
        `after ${options.regressAfter} v2 regresses (${options.scenario}): the rollout holds, the alert fires,`,
        'the page arrives at the receiver (printed below) and the flag rolls back to v1',
      ];
  }
}

/** The box the demo prints once everything runs: where to look, and the token to sign in with. */
export function banner(options: DemoOptions, planeUrl: string, adminToken: string, stateFile: string): string {
  const rows = [
    `flaglens demo · scenario ${options.scenario}`,
    '',
    `dashboard    ${planeUrl}`,
    `sign in with ${adminToken}`,
    `comparison   ${planeUrl}/flags/${FLAG}/compare`,
    `flag page    ${planeUrl}/flags/${FLAG}`,
    '',
    ...story(options),
    '',
    `service http://127.0.0.1:${options.ports.service} · receiver http://127.0.0.1:${options.ports.receiver}`,
    `token and keys kept in ${stateFile} (0600) · Ctrl-C stops everything`,
  ];
  const width = Math.max(...rows.map((row) => row.length));
  const line = '═'.repeat(width + 2);
  return [`╔${line}╗`, ...rows.map((row) => `║ ${row.padEnd(width)} ║`), `╚${line}╝`].join('\n');
}
