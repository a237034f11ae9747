import { compareFlag } from '../compare/service';
import type { ControlPlane } from '../plane';
import type { CompareFn } from './evaluate';

const MINUTE_MS = 60_000;

/**
 * The engine's figures from the plane's own compare API (the body of `GET /flags/{key}/compare`), over the
 * rule's window ending now, served traffic only. The compare API works in whole minutes, so a window is
 * rounded up to one; the step is the whole window, since a rule needs the window's totals, not a chart.
 */
export function planeComparisons(
  plane: Pick<ControlPlane, 'db' | 'feed' | 'metrics' | 'metricsSource'>,
  now: () => number = Date.now,
): CompareFn {
  return async (flag, windowMs, environment) => {
    const minutes = Math.max(MINUTE_MS, Math.ceil(windowMs / MINUTE_MS) * MINUTE_MS);
    const nowMs = now();
    const response = await compareFlag(plane, environment, flag, {
      windowMs: minutes,
      stepMs: minutes,
      endMs: nowMs,
      nowMs,
      mode: 'served',
    });
    return response.summary;
  };
}
