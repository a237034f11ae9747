/**
 * Runs once when a Next.js server starts: migrate the store and print the first admin token before the
 * first request, instead of on it. Skipped while `next build` collects pages, which must not open a database.
 * The Node-only work lives in src/server/startup.ts, imported only under the Node.js runtime.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startControlPlane } = await import('./src/server/startup');
  await startControlPlane();
}
