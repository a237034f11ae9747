import { resolve } from 'node:path';
import { type AlertEngine, type AlertEngineOptions, startAlertEngine } from './alerts/engine';
import { alertSettingsFromEnv } from './alerts/settings';
import { planeComparisons } from './alerts/source';
import { ensureAdminToken } from './auth/bootstrap';
import { promoteProtectedRole } from './auth/policy';
import type { Database } from './db/database';
import { migrate } from './db/migrate';
import { openPglite } from './db/pglite';
import { openPostgres } from './db/postgres';
import { readFlagSet } from './flags/service';
import { sliceLabelsFromEnv } from './ingest/slices';
import { embeddedMetricsSource } from './metrics/embedded';
import { parsePrometheusUrl, prometheusMetricsSource } from './metrics/prometheus';
import type { MetricsSource } from './metrics/source';
import { type ChangeFeed, inProcessFeed } from './stream/feed';
import { openStreamHub, type StreamHub, type StreamOptions } from './stream/hub';
import { openPostgresFeed } from './stream/postgres-feed';

/** The server's state: its store, the feed that announces changes, and the SSE streams it fans them out to. */
export interface ControlPlane {
  db: Database;
  feed: ChangeFeed;
  streams: StreamHub;
  /** The alert engine, when this plane runs one (see PlaneConfig.alerts). */
  alerts?: AlertEngine;
  /** Where the comparison reads per-variant metrics: the embedded store, or Prometheus with `PROMETHEUS_URL`. */
  metrics: MetricsSource;
  metricsSource: 'embedded' | 'prometheus';
  close(): Promise<void>;
}

export interface PlaneConfig {
  /** PostgreSQL when set; PGlite otherwise. */
  databaseUrl?: string;
  /** PGlite's data folder; undefined keeps PGlite in memory (tests). */
  dataDir?: string;
  stream?: StreamOptions;
  /** Prometheus's HTTP API (`PROMETHEUS_URL`): the metrics source when set; the embedded store otherwise. */
  prometheusUrl?: string;
  /** Slice labels (`FLAGLENS_SLICE_LABELS`) the Prometheus source keeps; default the ingest's defaults. */
  sliceLabels?: readonly string[];
  /** Runs the alert engine with these options; absent or false runs none (most tests). */
  alerts?: AlertEngineOptions | false;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): PlaneConfig {
  // The data folder is chosen at run time; the ignore comment keeps Next's file tracing from bundling the cwd.
  const alerts = alertSettingsFromEnv(env);
  // Read per request; checked here too, so a bad value stops the server at start with a message naming it.
  promoteProtectedRole(env);
  const sliceLabels = sliceLabelsFromEnv(env);
  const config: PlaneConfig = env.DATABASE_URL
    ? { databaseUrl: env.DATABASE_URL, alerts, sliceLabels }
    : { dataDir: resolve(/*turbopackIgnore: true*/ env.FLAGLENS_DATA_DIR || '.flaglens'), alerts, sliceLabels };
  // Checked here, at start, so a malformed PROMETHEUS_URL stops the server with a message naming it.
  if (env.PROMETHEUS_URL) {
    parsePrometheusUrl(env.PROMETHEUS_URL);
    config.prometheusUrl = env.PROMETHEUS_URL;
  }
  return config;
}

/** Opens the store, migrates it, creates the first admin token when there is none, and opens the feed. */
export async function openControlPlane(config: PlaneConfig, announce: (line: string) => void = console.log): Promise<ControlPlane> {
  // Before the database opens, so a bad URL is the first and only error.
  const prometheus = config.prometheusUrl === undefined ? undefined : parsePrometheusUrl(config.prometheusUrl);
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl) : await openPglite(config.dataDir);
  try {
    await migrate(db);
    const adminToken = await ensureAdminToken(db);
    if (adminToken) announce(`flaglens admin token: ${adminToken}  (shown once; store it)`);
    const feed = config.databaseUrl ? await openPostgresFeed(db, config.databaseUrl) : inProcessFeed();
    const streams = openStreamHub(feed, (environment) => readFlagSet({ db, feed }, environment), config.stream);
    const plane: ControlPlane = {
      db,
      feed,
      streams,
      metrics: prometheus ? prometheusMetricsSource(prometheus, { sliceLabels: config.sliceLabels }) : embeddedMetricsSource(db),
      metricsSource: prometheus ? 'prometheus' : 'embedded',
      async close() {
        await plane.alerts?.close();
        streams.close();
        await feed.close();
        await db.close();
      },
    };
    // The engine reads figures through the plane's own compare API unless the caller brings its own (tests).
    if (config.alerts)
      plane.alerts = startAlertEngine(plane, config.databaseUrl, { compare: planeComparisons(plane, config.alerts.now), ...config.alerts });
    return plane;
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
