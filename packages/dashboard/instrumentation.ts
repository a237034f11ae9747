/**
 * Runs once when a Next.js server starts: migrate the store and print the first admin token before the
 * first request, instead of on it. Skipped while `next build` collects pages, which must not open a database.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { configFromEnv, getControlPlane } = await import('./src/server/plane');
  try {
    configFromEnv();
  } catch (error) {
    // A malformed variable (e.g. PROMETHEUS_URL) is fixed by the operator, not by retrying: stop with its message.
    console.error(`flaglens: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  await getControlPlane();
}
