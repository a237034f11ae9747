import type { EvaluationDetails } from '../compile/details.js';
import { FlagEvaluator } from '../evaluator.js';
import type { FlagType } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';
import { readCache, writeCache } from './cache.js';
import { describeFailure } from './http.js';
import { followFlagFile } from './offline.js';
import { HEARTBEAT_INTERVAL_MS } from './protocol.js';
import { syncWithControlPlane } from './remote.js';
import type { Origin, SyncTarget } from './sync.js';
import type { FlagClient, FlagClientLogger, FlagClientOptions, FlagClientStatus } from './types.js';

const consoleLogger: FlagClientLogger = {
  info: (message) => console.info(`[flaglens] ${message}`),
  warn: (message) => console.warn(`[flaglens] ${message}`),
  error: (message) => console.error(`[flaglens] ${message}`),
};

/** Wraps a user-supplied logger so that a failing one cannot break syncing. */
function guarded(logger: FlagClientLogger): FlagClientLogger {
  const call = (write: (message: string) => void) => (message: string) => {
    try {
      write.call(logger, message);
    } catch {
      // Losing a log line is better than losing the flag set.
    }
  };
  return { info: call(logger.info), warn: call(logger.warn), error: call(logger.error) };
}

const positive = (value: number | undefined, fallback: number): number =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;

/** A promise settled from outside, once; its rejection is never unhandled even if nobody asks for it. */
function settleOnce() {
  let resolve: () => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/**
 * Creates a client that keeps this service's flag set in sync with the control plane (or an
 * offline file) and evaluates in-process. It starts syncing at once; nothing it does throws into
 * the app, and its timers do not keep the process alive.
 *
 * @example
 * const flags = createFlagClient({ url: 'https://flags.example.com', sdkKey, cacheFile: '.flaglens/flags.json' });
 * await flags.ready();
 * const { value: model } = flags.evaluate('ai-model', { targetingKey: userId }, 'gpt-small');
 */
export function createFlagClient(options: FlagClientOptions = {}): FlagClient {
  const log = guarded(options.logger ?? consoleLogger);
  const evaluator = new FlagEvaluator();
  const readiness = settleOnce();
  const url = options.url ?? process.env.FLAGLENS_URL;
  const { cacheFile, offlineFile } = options;
  let status: FlagClientStatus = 'connecting';
  let etag: string | undefined;
  let savedEtag: string | undefined;
  let lastUpdated: Date | undefined;
  let lastRejection: string | undefined;
  let lastProblem: string | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  let cacheWrites = Promise.resolve();
  let stop: () => Promise<void> | void = () => {};

  const describe = (origin: Origin): string =>
    ({ stream: 'the stream', poll: 'GET /api/v1/flags', cache: `the cache file ${cacheFile}`, file: `the offline file ${offlineFile}` })[
      origin
    ];

  function save(flagSet: unknown, nextEtag: string | undefined, at: Date): void {
    if (!cacheFile || (nextEtag !== undefined && nextEtag === savedEtag)) return;
    savedEtag = nextEtag;
    cacheWrites = cacheWrites
      .then(() => writeCache(cacheFile, flagSet, nextEtag, at))
      .catch((error: unknown) => log.warn(`cannot write the flag cache ${cacheFile}: ${describeFailure(error)}`));
  }

  const target: SyncTarget = {
    get etag() {
      return etag;
    },
    log,
    apply(flagSet, origin, nextEtag) {
      if (closed) return false;
      try {
        evaluator.load(flagSet);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const rejection = `${origin}:${nextEtag}:${message}`;
        // A server or file stuck on one bad set would otherwise log it on every poll.
        if (rejection !== lastRejection) {
          lastRejection = rejection;
          log.warn(
            `rejected the flag set from ${describe(origin)}${nextEtag ? ` (etag ${nextEtag})` : ''}: ${message}; keeping the previous set`,
          );
        }
        lastProblem = `the flag set from ${describe(origin)} is invalid: ${message}`;
        return false;
      }
      etag = nextEtag;
      lastUpdated = new Date();
      if (origin === 'stream' || origin === 'poll') save(flagSet, nextEtag, lastUpdated);
      if (origin === 'cache') savedEtag = nextEtag;
      // A cached set may be out of date; it satisfies ready() only once the control plane fails to answer.
      else readiness.resolve();
      return true;
    },
    confirm() {
      if (!evaluator.ready) return;
      lastUpdated = new Date();
      readiness.resolve();
    },
    setStatus(next) {
      if (!closed) status = next;
    },
    unreachable(reason) {
      lastProblem = reason;
      if (evaluator.ready) readiness.resolve();
    },
  };

  const readyTimeoutMs = positive(options.readyTimeoutMs, 5_000);
  const readyTimer = setTimeout(() => {
    if (evaluator.ready) return readiness.resolve();
    readiness.reject(
      new Error(
        `flaglens: no flag set after ${readyTimeoutMs} ms (${lastProblem ?? 'no answer yet'}); evaluations serve defaults until one arrives`,
      ),
    );
  }, readyTimeoutMs).unref();
  void readiness.promise.then(
    () => clearTimeout(readyTimer),
    () => clearTimeout(readyTimer),
  );

  async function start(): Promise<void> {
    if (offlineFile) {
      if (url) log.info(`offlineFile is set, so ${url} is not contacted`);
      stop = followFlagFile(target, offlineFile, positive(options.watchDebounceMs, 100));
      return;
    }
    if (!url) {
      lastProblem = 'neither url (FLAGLENS_URL) nor offlineFile is set';
      log.error(`${lastProblem}: no flag set will be loaded`);
      status = 'stale';
      readiness.reject(new Error(`flaglens: ${lastProblem}`));
      return;
    }
    if (cacheFile) {
      const read = await readCache(cacheFile);
      if (!read.ok) log.warn(`ignoring the flag cache ${cacheFile}: ${read.reason}`);
      else if (read.cached && target.apply(read.cached.flagSet, 'cache', read.cached.etag)) lastUpdated = read.cached.savedAt;
    }
    if (closed) return;
    stop = syncWithControlPlane(target, {
      fetch: options.fetch ?? globalThis.fetch,
      url,
      sdkKey: options.sdkKey ?? process.env.FLAGLENS_SDK_KEY,
      pollIntervalMs: positive(options.pollIntervalMs, 30_000),
      heartbeatIntervalMs: positive(options.heartbeatIntervalMs, HEARTBEAT_INTERVAL_MS),
      retryBaseMs: positive(options.retryBaseMs, 1_000),
      retryMaxMs: positive(options.retryMaxMs, 30_000),
      authRetryMs: positive(options.authRetryMs, 60_000),
      requestTimeoutMs: positive(options.requestTimeoutMs, 10_000),
    });
  }
  const started = start().catch((error: unknown) => log.error(`flag client failed to start: ${describeFailure(error)}`));

  return {
    evaluator,
    get status() {
      return status;
    },
    get lastUpdated() {
      return lastUpdated;
    },
    evaluate<T>(flagKey: string, context: Context | undefined, defaultValue: T, expectedType?: FlagType): EvaluationDetails<T> {
      return evaluator.evaluate(flagKey, context, defaultValue, expectedType);
    },
    ready: () => readiness.promise,
    onChange: (listener) => evaluator.onChange(listener),
    close() {
      closing ??= (async () => {
        closed = true;
        status = 'stale';
        clearTimeout(readyTimer);
        readiness.reject(new Error('flaglens: the flag client was closed before a flag set was loaded'));
        await started;
        await stop();
        await cacheWrites;
      })();
      return closing;
    },
  };
}
