import type { FlagTelemetry } from '../flag-telemetry.js';

// On globalThis under a registered symbol, so the register entry and the app share the instance
// even if they resolve two copies of this package.
const KEY = Symbol.for('flaglens.telemetry');
const slot = globalThis as { [KEY]?: FlagTelemetry };

/** Makes `telemetry` the one the module-level functions use. */
export function setCurrent(telemetry: FlagTelemetry | undefined): void {
  slot[KEY] = telemetry;
}

/** The telemetry `start()` created; throws if it has not run, since nothing would be recorded. */
export function current(): FlagTelemetry {
  const telemetry = slot[KEY];
  if (!telemetry) {
    throw new Error('flaglens: not started; run `node --import @flaglens/instrumentation/register` or call start() first');
  }
  return telemetry;
}
