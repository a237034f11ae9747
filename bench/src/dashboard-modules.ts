import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createServer } from 'vite';

// The in-process benchmarks (ingest, compare) call the control plane's route handlers directly, so
// they time the handler and the store without HTTP; the dashboard is a Next app with no JS build
// of its own, so its TypeScript is loaded through Vite's SSR loader (with its `@/` alias), as
// its own tests load it.

/** Loads the dashboard's modules by path inside the app; `close()` when done. */
export interface DashboardModules {
  load<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

export async function dashboardModules(): Promise<DashboardModules> {
  const require = createRequire(import.meta.url);
  const dashboard = dirname(require.resolve('@flaglens/dashboard/package.json'));
  const vite = await createServer({
    configFile: join(dashboard, 'vitest.config.ts'),
    root: dashboard,
    logLevel: 'error',
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: 'custom',
  });
  return {
    load: async <T>(path: string) => (await vite.ssrLoadModule(path)) as unknown as T,
    close: () => vite.close(),
  };
}

/** What a scratch database needs from the dashboard's PostgreSQL module. */
export interface PostgresModule {
  openPostgres(url: string, options?: { max?: number }): Promise<{ query(sql: string): Promise<unknown>; close(): Promise<void> }>;
}

/** Runs `work` on a throwaway database next to the one `url` names, dropped afterwards. */
export async function withScratchPostgres<T>(postgres: PostgresModule, url: string, work: (scratchUrl: string) => Promise<T>): Promise<T> {
  const name = `flaglens_bench_${process.pid}_${Date.now()}`;
  const admin = await postgres.openPostgres(url, { max: 1 });
  try {
    await admin.query(`create database ${name}`);
    const scratch = new URL(url);
    scratch.pathname = `/${name}`;
    try {
      return await work(scratch.toString());
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
    }
  } finally {
    await admin.close();
  }
}
