/**
 * Runs once when a Next.js server starts: migrate the store and print the first admin token before the
 * first request, instead of on it. Skipped while `next build` collects pages, which must not open a database.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs' || process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getControlPlane } = await import('./src/server/plane');
  await getControlPlane();
}
