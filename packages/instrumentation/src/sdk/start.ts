import type { FlagEvaluator } from '@flaglens/evaluator';
import { FlaglensProvider, type FlagSource } from '@flaglens/evaluator/openfeature';
import { OpenFeature } from '@openfeature/server-sdk';
import type { Instrumentation as OtelInstrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { FlagTelemetry, type FlagTelemetryOptions } from '../flag-telemetry.js';
import { collectProcessMetricsOnce } from '../health/process-metrics.js';
import { FlagLogRecordProcessor } from '../logs/log-processor.js';
import { type MetricsServer, type MetricsServerOptions, startMetricsServer } from '../metrics/http.js';
import { MetricPush } from '../metrics/push.js';
import { evaluationHook } from '../openfeature/evaluation-hook.js';
import { FlagSpanProcessor } from '../spans/processor.js';
import { setCurrent } from './current.js';
import { exportRequested } from './exporters-from-env.js';
import { flagsFromEnv } from './flags-from-env.js';
import { logExportFromEnv } from './log-export.js';
import { sliceLabelsFromEnv } from './slices-from-env.js';
import { traceExportFromEnv } from './trace-export.js';

/** Options for {@link start}; everything defaults from the environment. */
export interface StartOptions extends Partial<FlagTelemetryOptions> {
  /** Span processors to use after the flag processor, instead of the ones `OTEL_*` variables ask for. */
  readonly spanProcessors?: readonly SpanProcessor[];
  /** Log record processors to use after the flag log processor, instead of the ones `OTEL_*` variables ask for. */
  readonly logRecordProcessors?: readonly LogRecordProcessor[];
  /** Register prom-client's default process metrics in the metrics registry (once); default true. */
  readonly processMetrics?: boolean;
  /** Serve the registry on a port of its own; default off, or on `FLAGLENS_METRICS_PORT` when that is set. */
  readonly metricsServer?: MetricsServerOptions;
  /** OpenTelemetry instrumentations; default http, express and undici (fetch). */
  readonly instrumentations?: readonly OtelInstrumentation[];
  /** Set the flaglens OpenFeature provider (with the business-event tracker) as the default; default true. */
  readonly openFeature?: boolean;
  /** Environment to read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Time between metric pushes to `FLAGLENS_URL`, in ms; default 15,000. */
  readonly pushIntervalMs?: number;
  /** Receives the one start-up line and push failures; default `console.info`. */
  readonly log?: (line: string) => void;
}

interface Running {
  readonly sdk: NodeSDK;
  readonly telemetry: FlagTelemetry;
  readonly push: MetricPush | undefined;
  readonly metricsServer: Promise<MetricsServer | undefined>;
  /** Closes what start() opened for flags: the OpenFeature provider, which closes its source, or else the source itself. */
  readonly closeFlags: () => Promise<void>;
}

let running: Running | undefined;
let hookAdded = false;

/**
 * Starts the OpenTelemetry Node SDK with the flag span processor and the http, express and fetch
 * instrumentations, sets the flaglens OpenFeature provider, registers the metrics, and makes the
 * module-level functions (`routeInference`, `withAssignments`, ...) use this instance. Calling it
 * again returns the running instance. Logs one line saying what is on and what is off.
 *
 * @example
 * const flaglens = start({ flags: new FlagEvaluator(flagSet), routingFlags: ['ai-model'] });
 */
export function start(options: StartOptions = {}): FlagTelemetry {
  if (running) return running.telemetry;
  const env = options.env ?? process.env;
  const fromEnv = options.flags ? undefined : flagsFromEnv(env);
  const flags: FlagEvaluator | FlagSource = options.flags ?? (fromEnv as NonNullable<typeof fromEnv>).flags;
  // Slice labels fix the outcome counter's label names, so they come from the environment only when no metrics were passed.
  const slices = options.metrics ? undefined : sliceLabelsFromEnv(env);
  const telemetry = new FlagTelemetry({ ...options, flags, ...(slices ? { metrics: { sliceLabels: slices.sliceLabels } } : {}) });
  const traces = options.spanProcessors
    ? { processors: [...options.spanProcessors], description: 'traces → processors passed in code' }
    : traceExportFromEnv(env);
  const logs = options.logRecordProcessors ? { processors: [...options.logRecordProcessors], description: '' } : logExportFromEnv(env);
  const sdk = new NodeSDK({
    spanProcessors: [new FlagSpanProcessor(), ...traces.processors],
    // Always passed, so the SDK does not build its own exporters from the environment without our processor first.
    logRecordProcessors: [new FlagLogRecordProcessor(), ...logs.processors],
    instrumentations: [
      ...(options.instrumentations ?? [new HttpInstrumentation(), new ExpressInstrumentation(), new UndiciInstrumentation()]),
    ],
    // Left undefined, the SDK would export metrics and logs to localhost:4318 even with no collector there.
    ...(exportRequested(env, 'METRICS') ? {} : { metricReaders: [] }),
  });
  sdk.start();
  let closeFlags = async (): Promise<void> => {
    if (fromEnv && 'close' in fromEnv.flags) await fromEnv.flags.close?.();
  };
  if (options.openFeature ?? true) {
    const provider = new FlaglensProvider(flags, { tracker: telemetry.tracker });
    OpenFeature.setProvider(provider);
    if (!hookAdded) OpenFeature.addHooks(evaluationHook(() => running?.telemetry));
    hookAdded = true;
    closeFlags = () => provider.onClose();
  }
  const log = options.log ?? console.info;
  const push = metricPushFromEnv(env, telemetry, options.pushIntervalMs, log);
  push.push?.start();
  if (options.processMetrics ?? true) collectProcessMetricsOnce(telemetry.metrics.registry);
  const serverOptions = options.metricsServer ?? metricsServerFromEnv(env);
  const metricsServer = serverOptions ? serveMetrics(telemetry, serverOptions, log) : Promise.resolve(undefined);
  running = { sdk, telemetry, push: push.push, metricsServer, closeFlags };
  setCurrent(telemetry);
  const metricsLine = `metrics in ${options.metrics ? 'the given' : "prom-client's default"} registry`;
  const served = serverOptions ? `metrics served on port ${serverOptions.port ?? 9464}` : undefined;
  const parts = [
    fromEnv?.description ?? 'flags passed in code',
    traces.description,
    logs.processors.length > 0 ? logs.description : undefined,
    slices?.description,
  ];
  log(['flaglens: started', ...parts, metricsLine, served, push.description].filter(Boolean).join('; '));
  return telemetry;
}

/** Flushes and stops what {@link start} started: spans are exported, metrics pushed a last time, the flag source closed. Safe to call twice. */
export async function shutdown(): Promise<void> {
  const current = running;
  if (!current) return;
  running = undefined;
  setCurrent(undefined);
  await Promise.allSettled([
    current.sdk.shutdown(),
    current.closeFlags(),
    current.push?.stop(),
    current.metricsServer.then((server) => server?.close()),
  ]);
}

function metricsServerFromEnv(env: NodeJS.ProcessEnv): MetricsServerOptions | undefined {
  const port = env.FLAGLENS_METRICS_PORT;
  if (!port) return undefined;
  return { port: Number(port), ...(env.FLAGLENS_METRICS_HOST ? { host: env.FLAGLENS_METRICS_HOST } : {}) };
}

/** Starts the metrics server; a port in use is logged, not thrown, since the service itself still works. */
function serveMetrics(
  telemetry: FlagTelemetry,
  options: MetricsServerOptions,
  log: (line: string) => void,
): Promise<MetricsServer | undefined> {
  return startMetricsServer({ registry: telemetry.metrics.registry, ...options }).then(
    (server) => server,
    (error: unknown) => {
      log(`flaglens: metrics server not started (${error instanceof Error ? error.message : String(error)})`);
      return undefined;
    },
  );
}

function metricPushFromEnv(
  env: NodeJS.ProcessEnv,
  telemetry: FlagTelemetry,
  intervalMs: number | undefined,
  log: (line: string) => void,
): { push: MetricPush | undefined; description: string } {
  const url = env.FLAGLENS_URL;
  const sdkKey = env.FLAGLENS_SDK_KEY;
  if (!url) return { push: undefined, description: 'metric push off' };
  if (!sdkKey) return { push: undefined, description: 'metric push off (FLAGLENS_URL set without FLAGLENS_SDK_KEY)' };
  const push = new MetricPush({
    url,
    sdkKey,
    registry: telemetry.metrics.registry,
    ...(intervalMs === undefined ? {} : { intervalMs }),
    // One line per outage, not one per attempt.
    onError: (reason, failures) => {
      if (failures === 1) log(`flaglens: metric push to ${url} failing (${reason}); retrying with backoff`);
    },
  });
  return { push, description: `metrics pushed to ${url}/api/v1/ingest` };
}
