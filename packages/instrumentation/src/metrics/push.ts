import { randomUUID } from 'node:crypto';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Registry } from 'prom-client';

/** Options for {@link MetricPush}. */
export interface MetricPushOptions {
  /** Control plane base URL; pushes go to `{url}/api/v1/ingest`. */
  readonly url: string;
  /** SDK key, sent as a bearer token. */
  readonly sdkKey: string;
  /** The registry whose text is pushed. */
  readonly registry: Registry;
  /** Time between pushes while the control plane answers, in ms; default 15,000. */
  readonly intervalMs?: number;
  /** Longest wait between attempts while it does not, in ms; default 300,000. */
  readonly maxBackoffMs?: number;
  /** Per-request timeout in ms; default 10,000. */
  readonly timeoutMs?: number;
  /** Called with a short reason and the count of consecutive failures when a push fails. */
  readonly onError?: (reason: string, consecutiveFailures: number) => void;
  /** Identifies this process to the control plane; default a random UUID per start. */
  readonly instance?: string;
}

/**
 * Pushes the registry, in Prometheus text format, to the control plane's ingest endpoint on a timer.
 * Every push carries the registry's cumulative values, and the control plane turns them into deltas.
 * So a failed push needs no buffer: the next successful one carries what it missed, and memory does
 * not grow however long the control plane is away. While it is away, attempts back off
 * exponentially up to `maxBackoffMs`, with jitter so a fleet does not retry in step.
 */
export class MetricPush {
  readonly #endpoint: string;
  readonly #options: MetricPushOptions;
  readonly #intervalMs: number;
  readonly #maxBackoffMs: number;
  // The control plane keeps running totals per instance; a new id per process start means a
  // restart begins new totals instead of looking like every counter was reset.
  readonly #instance: string;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = true;

  constructor(options: MetricPushOptions) {
    this.#endpoint = new URL('/api/v1/ingest', options.url).toString();
    this.#options = options;
    this.#intervalMs = options.intervalMs ?? 15_000;
    this.#maxBackoffMs = options.maxBackoffMs ?? 300_000;
    this.#instance = options.instance ?? randomUUID();
  }

  /** Consecutive failed pushes so far. */
  get failures(): number {
    return this.#failures;
  }

  /** Starts pushing on the timer; the timer does not keep the process alive. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(this.#intervalMs);
  }

  /** Stops the timer and makes one last push so the final counts arrive; resolves whatever the outcome. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.pushOnce();
  }

  /** Pushes once now; resolves to whether the control plane accepted it. Never throws. */
  async pushOnce(): Promise<boolean> {
    try {
      const pushTime = Date.now();
      const body = await this.#options.registry.metrics();
      // The push's own HTTP call must not show up as a span in the service's traces.
      const response = await context.with(suppressTracing(context.active()), () =>
        fetch(this.#endpoint, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${this.#options.sdkKey}`,
            'content-type': this.#options.registry.contentType,
            'x-flaglens-instance': this.#instance,
            // When the registry was read: lets the control plane order pushes and drop repeats.
            'x-flaglens-push-time': String(pushTime),
          },
          body,
          redirect: 'error',
          signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
        }),
      );
      await response.arrayBuffer();
      if (!response.ok) return this.#failed(`HTTP ${response.status}`);
      this.#failures = 0;
      return true;
    } catch (error) {
      return this.#failed(error instanceof Error ? error.message : String(error));
    }
  }

  /** The wait before the next attempt: the interval, doubled per consecutive failure, capped, with ±20% jitter. */
  nextDelayMs(random: () => number = Math.random): number {
    const base = Math.min(this.#intervalMs * 2 ** this.#failures, this.#maxBackoffMs);
    return Math.round(base * (0.8 + 0.4 * random()));
  }

  #failed(reason: string): false {
    this.#failures++;
    this.#options.onError?.(reason, this.#failures);
    return false;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(async () => {
      await this.pushOnce();
      if (!this.#stopped) this.#schedule(this.nextDelayMs());
    }, delayMs);
    this.#timer.unref();
  }
}
