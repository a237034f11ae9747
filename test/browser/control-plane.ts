import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { adminTokenOf, startControlPlane } from '@flaglens/dashboard/testing';

const DASHBOARD_DIR = dirname(createRequire(import.meta.url).resolve('@flaglens/dashboard/package.json'));

/** A built control plane on a free loopback port, with a throwaway PGlite folder and its first admin token. */
export interface RunningControlPlane {
  url: string;
  adminToken: string;
  stop(): Promise<void>;
}

/** Starts the production build (turbo builds the dashboard before `test`; by hand: `npm run build -w @flaglens/dashboard`). */
export async function startBuiltControlPlane(): Promise<RunningControlPlane> {
  // The same folder `next start` reads: FLAGLENS_NEXT_DIST_DIR (see next.config.ts), else .next.
  const distDir = process.env.FLAGLENS_NEXT_DIST_DIR || '.next';
  if (!existsSync(join(DASHBOARD_DIR, distDir, 'BUILD_ID'))) {
    throw new Error(`no production build in ${DASHBOARD_DIR}/${distDir}: run npm run build -w @flaglens/dashboard first`);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'flaglens-browser-'));
  // An empty DATABASE_URL keeps a PostgreSQL URL from the environment from replacing the throwaway PGlite.
  const plane = await startControlPlane({ FLAGLENS_DATA_DIR: dataDir, DATABASE_URL: '' }).catch((error: unknown) => {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  });
  return {
    url: plane.url,
    adminToken: adminTokenOf(plane),
    async stop() {
      await plane.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
