import { configFromEnv, getControlPlane } from './plane';

/**
 * Opens the control plane when a server starts: migrations and the first admin token before the
 * first request. A malformed variable (e.g. PROMETHEUS_URL) is fixed by the operator, not by
 * retrying, so the process stops with its message.
 */
export async function startControlPlane(): Promise<void> {
  try {
    configFromEnv();
  } catch (error) {
    console.error(`flaglens: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  await getControlPlane();
}
