import type { EvaluationDetails } from '../compile/details.js';
import type { FlagEvaluator, FlagSetListener } from '../evaluator.js';
import type { FlagType } from '../model/schema.js';
import type { Context } from '../operators/attribute.js';

/**
 * Where the client's flag set comes from right now.
 * - `connecting`: started, no answer from the control plane yet (a cached set may be in use).
 * - `streaming`: connected to the SSE stream; changes arrive as they happen.
 * - `polling`: the stream is down or unsupported; `GET /api/v1/flags` answers and is polled.
 * - `stale`: the control plane cannot be reached or rejects the SDK key, or the client is closed; the last-known-good set is served.
 * - `offline`: offline file mode; the set comes from `offlineFile`.
 */
export type FlagClientStatus = 'connecting' | 'streaming' | 'polling' | 'offline' | 'stale';

/** Where log lines go; `console` fits, and so do pino or winston loggers. */
export interface FlagClientLogger {
  /** Transitions worth knowing about: connected, fell back to polling. */
  info(message: string): void;
  /** Problems the client works around: control plane unreachable, a rejected or corrupt set. */
  warn(message: string): void;
  /** Problems that need a person: the SDK key is rejected. */
  error(message: string): void;
}

/** Options for {@link createFlagClient}; every one has a default. */
export interface FlagClientOptions {
  /** Control plane base URL, e.g. `https://flags.example.com`; defaults to `FLAGLENS_URL`. */
  url?: string;
  /** SDK key sent as `Authorization: Bearer <sdkKey>`; defaults to `FLAGLENS_SDK_KEY`. */
  sdkKey?: string;
  /** Last-known-good file: read at start, rewritten atomically after each new set from the control plane. */
  cacheFile?: string;
  /** Offline mode: serve this flag file (native JSON format) and follow its edits; the network is never used. */
  offlineFile?: string;
  /** How often to poll while the stream is down; default 30 000. */
  pollIntervalMs?: number;
  /** How long `ready()` waits for a first set before rejecting; default 5 000. */
  readyTimeoutMs?: number;
  /** The server's heartbeat interval; a stream silent for twice this is dead. Default 15 000. */
  heartbeatIntervalMs?: number;
  /** First stream reconnect delay when the server sends no `retry:`; default 1 000. */
  retryBaseMs?: number;
  /** Cap of the stream reconnect delay; default 30 000. */
  retryMaxMs?: number;
  /** Delay between attempts while the SDK key is rejected (401/403); default 60 000. */
  authRetryMs?: number;
  /** Timeout of one poll request; default 10 000. */
  requestTimeoutMs?: number;
  /** Quiet time after an offline file edit before it is re-read; default 100. */
  watchDebounceMs?: number;
  /** `fetch` to use, e.g. one with a proxy agent; defaults to the global one. */
  fetch?: typeof fetch;
  /** Where log lines go; defaults to `console` with a `[flaglens]` prefix. */
  logger?: FlagClientLogger;
}

/**
 * Keeps a service's flag set in sync with the control plane and evaluates against it in-process.
 * It is a `FlagSource`, so `new FlaglensProvider(client)` plugs it into OpenFeature.
 */
export interface FlagClient {
  /** The evaluator holding the current set; shared with the OpenFeature provider. */
  readonly evaluator: FlagEvaluator;
  /** Where the set comes from right now; see {@link FlagClientStatus}. */
  readonly status: FlagClientStatus;
  /**
   * When the set in use was last received or confirmed current (stream event, 200 or 304 poll,
   * offline file read); for a set read from `cacheFile`, when it was saved. `undefined` before any set.
   */
  readonly lastUpdated: Date | undefined;
  /** Evaluates a flag against the current set: synchronous, no network, never throws. */
  evaluate<T>(flagKey: string, context: Context | undefined, defaultValue: T, expectedType?: FlagType): EvaluationDetails<T>;
  /**
   * Resolves once a first valid set is in use: from the control plane, or from `cacheFile` once the
   * control plane has failed to answer, or from `offlineFile`. Rejects after `readyTimeoutMs` without
   * any set, or when closed first; syncing continues after a rejection and evaluation serves defaults meanwhile.
   */
  ready(): Promise<void>;
  /** Subscribes to set changes (including the first load) with the keys that changed; returns the unsubscribe function. */
  onChange(listener: FlagSetListener): () => void;
  /** Stops syncing: aborts requests, clears timers, stops watching; resolves when pending cache writes are done. */
  close(): Promise<void>;
}
