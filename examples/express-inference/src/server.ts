/**
 * Entry point: `node --import @flaglens/instrumentation/register dist/server.js`.
 * Loads the models `npm run train` wrote (or `MODELS_FILE`) and listens on `PORT` (default 3000)
 * at `HOST` (default 0.0.0.0). Flags come from the register entry: `FLAGLENS_FLAGS_FILE`, or
 * `FLAGLENS_URL` with `FLAGLENS_SDK_KEY`. `FAULT_INJECTION=1` serves `/admin/faults` (demos and tests only).
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { shutdown } from '@flaglens/instrumentation';
import { createApp } from './app.js';
import { loadModels, readSavedModels } from './models.js';

const modelsFile = process.env.MODELS_FILE ?? fileURLToPath(new URL('../models/risk-models.json.gz', import.meta.url));
const saved = readSavedModels(modelsFile);
const { v1, v2 } = loadModels(saved);
const app = createApp({ models: [v1, v2], info: { heldOutAccuracy: saved.heldOut }, faultInjection: process.env.FAULT_INJECTION === '1' });

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '0.0.0.0';
const server = app.listen(port, host, () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(
    `express-inference: listening on http://${host}:${bound} (models ${v1.name} ${saved.heldOut.v1.toFixed(3)}, ${v2.name} ${saved.heldOut.v2.toFixed(3)} held-out accuracy)`,
  );
});

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  void shutdown()
    .catch(() => {})
    .finally(() => process.exit(0));
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
