import { resolve } from 'node:path';
import { ensureAdminToken } from './auth/bootstrap';
import type { Database } from './db/database';
import { migrate } from './db/migrate';
import { openPglite } from './db/pglite';
import { openPostgres } from './db/postgres';
import { readFlagSet } from './flags/service';
import { type ChangeFeed, inProcessFeed } from './stream/feed';
import { openStreamHub, type StreamHub, type StreamOptions } from './stream/hub';
import { openPostgresFeed } from './stream/postgres-feed';

/** The server's state: its store, the feed that announces changes, and the SSE streams it fans them out to. */
export interface ControlPlane {
  db: Database;
  feed: ChangeFeed;
  streams: StreamHub;
  close(): Promise<void>;
}

export interface PlaneConfig {
  /** PostgreSQL when set; PGlite otherwise. */
  databaseUrl?: string;
  /** PGlite's data folder; undefined keeps PGlite in memory (tests). */
  dataDir?: string;
  stream?: StreamOptions;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlaneConfig {
  // The data folder is chosen at run time; the ignore comment keeps Next's file tracing from bundling the cwd.
  return env.DATABASE_URL
    ? { databaseUrl: env.DATABASE_URL }
    : { dataDir: resolve(/*turbopackIgnore: true*/ env.FLAGLENS_DATA_DIR || '.flaglens') };
}

/** Opens the store, migrates it, creates the first admin token when there is none, and opens the feed. */
export async function openControlPlane(config: PlaneConfig, announce: (line: string) => void = console.log): Promise<ControlPlane> {
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dataDir);
  try {
    await migrate(db);
    const adminToken = await ensureAdminToken(db);
    if (adminToken) announce(`flaglens admin token: ${adminToken}  (shown once; store it)`);
    const feed = config.databaseUrl ? await openPostgresFeed(db, config.databaseUrl) : inProcessFeed();
    const streams = openStreamHub(feed, (environment) => readFlagSet({ db, feed }, environment), config.stream);
    return {
      db,
      feed,
      streams,
      async close() {
        streams.close();
        await feed.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}

// On globalThis because Next bundles instrumentation and each route separately: module state is per bundle.
const CURRENT = Symbol.for('flaglens.controlPlane');
type Holder = { [CURRENT]?: Promise<ControlPlane> };

/** The process's control plane, opened from the environment on first use. */
export function getControlPlane(): Promise<ControlPlane> {
  const holder = globalThis as Holder;
  if (!holder[CURRENT]) {
    const opening = openControlPlane(configFromEnv());
    holder[CURRENT] = opening;
    // A failed start is not cached: the next request tries again (the database may just be late).
    opening.catch(() => {
      if (holder[CURRENT] === opening) delete holder[CURRENT];
    });
  }
  return holder[CURRENT];
}

/** Makes `plane` the process's control plane (tests, and embedders that open their own). */
export function useControlPlane(plane: ControlPlane): void {
  (globalThis as Holder)[CURRENT] = Promise.resolve(plane);
}
