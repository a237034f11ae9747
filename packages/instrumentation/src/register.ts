/**
 * `node --import @flaglens/instrumentation/register app.js`: starts flaglens and OpenTelemetry from
 * the environment before the application loads, and flushes spans when the process runs out of work.
 */
import { register } from 'node:module';
import { shutdown, start } from './sdk/start.js';

// OpenTelemetry's loader hook lets the instrumentations patch modules an ESM application imports;
// without it only require()d modules are patched.
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
start();
process.once('beforeExit', () => {
  void shutdown();
});
