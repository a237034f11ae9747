import { pollFlags, streamFlags } from './http.js';
import type { SyncTarget } from './sync.js';

/** How to reach the control plane and how patiently. */
export interface RemoteSettings {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly sdkKey: string | undefined;
  readonly pollIntervalMs: number;
  readonly heartbeatIntervalMs: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly authRetryMs: number;
  readonly requestTimeoutMs: number;
}

/**
 * Delay before reconnect number `attempt` (0-based): "full jitter", uniform in [0, min(cap, base·2^attempt)],
 * so a fleet of services whose control plane restarts does not reconnect in lockstep
 * (AWS Architecture Blog, "Exponential Backoff and Jitter").
 */
export function fullJitter(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30)));
}

/**
 * Keeps `target` in sync with the control plane: the SSE stream while it works; while it does
 * not, polling with `If-None-Match` plus stream reconnects with backoff. A rejected SDK key stops
 * polling and retries only every `authRetryMs`. Returns the function that stops everything.
 */
export function syncWithControlPlane(target: SyncTarget, settings: RemoteSettings): () => Promise<void> {
  const controller = new AbortController();
  const request = { fetch: settings.fetch, url: settings.url, sdkKey: settings.sdkKey, signal: controller.signal };
  const inflight = new Set<Promise<void>>();
  let failures = 0;
  let serverRetryMs: number | undefined;
  let streamTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  // Each polling run has its own number, so a poll that returns after polling stopped (or restarted) ends quietly.
  let pollRun = 0;
  let polling = false;
  let keyRejected = false;
  // Stream and poll problems are remembered apart, so a stream that stays unsupported while polls
  // succeed is reported once, not after every poll.
  const lastWarning = { stream: '', poll: '' };

  const track = (work: Promise<void>): void => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };
  const warnOnce = (channel: keyof typeof lastWarning, message: string): void => {
    if (message === lastWarning[channel]) return;
    lastWarning[channel] = message;
    target.log.warn(message);
  };
  const reached = (channel: keyof typeof lastWarning): void => {
    keyRejected = false;
    lastWarning[channel] = '';
  };

  function scheduleStream(delayMs: number): void {
    clearTimeout(streamTimer);
    if (controller.signal.aborted) return;
    streamTimer = setTimeout(() => track(connect()), delayMs).unref();
  }

  function rejectKey(status: number): void {
    stopPolling();
    target.setStatus('stale');
    if (!keyRejected) {
      keyRejected = true;
      target.log.error(
        `the control plane at ${settings.url} rejected the SDK key (HTTP ${status}); check sdkKey / FLAGLENS_SDK_KEY. ` +
          `Serving the last-known-good flag set and retrying every ${Math.round(settings.authRetryMs / 1000)} s`,
      );
    }
    target.unreachable(`the SDK key was rejected (HTTP ${status})`);
    scheduleStream(settings.authRetryMs);
  }

  async function connect(): Promise<void> {
    const outcome = await streamFlags(
      { ...request, lastEventId: target.etag, silenceMs: 2 * settings.heartbeatIntervalMs, connectTimeoutMs: settings.requestTimeoutMs },
      {
        onOpen: () => {
          reached('stream');
          reached('poll');
          stopPolling();
          target.setStatus('streaming');
          target.log.info(`streaming flags from ${settings.url}`);
        },
        onFlags: (event) => {
          failures = 0;
          if (event.etag === target.etag) target.confirm();
          else target.apply(event.flagSet, 'stream', event.etag);
        },
        onRetry: (ms) => {
          // A server sending `retry: 0` must not turn a crash loop into a reconnect storm.
          serverRetryMs = Math.max(ms, 100);
        },
        onProblem: (reason) => warnOnce('stream', `ignored a stream event: ${reason}`),
      },
    );
    if (outcome.kind === 'aborted') return;
    if (outcome.kind === 'auth') return rejectKey(outcome.status);
    const delay = fullJitter(failures, serverRetryMs ?? settings.retryBaseMs, settings.retryMaxMs);
    failures += 1;
    if (outcome.opened) target.setStatus('stale');
    warnOnce('stream', `flag stream unavailable (${outcome.reason}); polling every ${settings.pollIntervalMs / 1000} s and reconnecting`);
    startPolling();
    scheduleStream(delay);
  }

  function startPolling(): void {
    if (polling) return;
    polling = true;
    const run = ++pollRun;
    const poll = async (): Promise<void> => {
      const outcome = await pollFlags({ ...request, etag: target.etag, timeoutMs: settings.requestTimeoutMs });
      if (run !== pollRun || outcome.kind === 'aborted') return;
      if (outcome.kind === 'auth') return rejectKey(outcome.status);
      if (outcome.kind === 'failed') {
        target.setStatus('stale');
        warnOnce('poll', `cannot reach the control plane (${outcome.reason}); serving the last-known-good flag set`);
        target.unreachable(outcome.reason);
      } else {
        reached('poll');
        if (outcome.kind === 'set') target.apply(outcome.flagSet, 'poll', outcome.etag);
        else target.confirm();
        target.setStatus('polling');
      }
      pollTimer = setTimeout(() => track(poll()), settings.pollIntervalMs).unref();
    };
    track(poll());
  }

  function stopPolling(): void {
    polling = false;
    pollRun += 1;
    clearTimeout(pollTimer);
  }

  track(connect());
  return async () => {
    controller.abort();
    stopPolling();
    clearTimeout(streamTimer);
    while (inflight.size > 0) await Promise.allSettled([...inflight]);
  };
}
