import { createParser } from 'eventsource-parser';
import { type FlagsEvent, FlagsPath, parseFlagsEvent, StreamEvent, StreamPath } from './protocol.js';

/** What every SDK request needs. */
export interface SdkRequest {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly sdkKey: string | undefined;
  /** Aborted when the client closes. */
  readonly signal: AbortSignal;
}

/** Result of one poll; failures are values, never exceptions. */
export type PollOutcome =
  | { kind: 'set'; flagSet: unknown; etag: string | undefined }
  | { kind: 'not-modified' }
  | { kind: 'auth'; status: number }
  | { kind: 'failed'; reason: string }
  | { kind: 'aborted' };

/** How a stream ended; `opened` tells whether it got as far as a 200 event stream. */
export type StreamOutcome = { kind: 'auth'; status: number } | { kind: 'failed'; reason: string; opened: boolean } | { kind: 'aborted' };

/** Callbacks of a running stream; they must not throw. */
export interface StreamHandlers {
  onOpen(): void;
  onFlags(event: FlagsEvent): void;
  onRetry(ms: number): void;
  onProblem(reason: string): void;
}

const isAuthFailure = (status: number): boolean => status === 401 || status === 403;

function endpoint(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

function headers(sdkKey: string | undefined, extra: Record<string, string | undefined>): Record<string, string> {
  const all: Record<string, string> = {};
  if (sdkKey) all.Authorization = `Bearer ${sdkKey}`;
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) all[name] = value;
  return all;
}

/** Names a network failure by its cause (`ECONNREFUSED`) rather than undici's generic "fetch failed". */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  return error.message;
}

async function discard(response: Response): Promise<void> {
  // Leaving a body unread would hold its socket until garbage collection.
  await response.body?.cancel().catch(() => {});
}

/** `GET /api/v1/flags` with `If-None-Match`, bounded by `timeoutMs`. */
export async function pollFlags(request: SdkRequest & { etag: string | undefined; timeoutMs: number }): Promise<PollOutcome> {
  const signal = AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]);
  try {
    const response = await request.fetch(endpoint(request.url, FlagsPath), {
      headers: headers(request.sdkKey, { Accept: 'application/json', 'If-None-Match': request.etag }),
      signal,
    });
    if (response.status === 304) {
      await discard(response);
      return { kind: 'not-modified' };
    }
    if (isAuthFailure(response.status)) {
      await discard(response);
      return { kind: 'auth', status: response.status };
    }
    if (!response.ok) {
      await discard(response);
      return { kind: 'failed', reason: `${FlagsPath} answered ${response.status}` };
    }
    const text = await response.text();
    try {
      return { kind: 'set', flagSet: JSON.parse(text), etag: response.headers.get('etag') ?? undefined };
    } catch {
      return { kind: 'failed', reason: `${FlagsPath} answered with a body that is not JSON` };
    }
  } catch (error) {
    if (request.signal.aborted) return { kind: 'aborted' };
    return { kind: 'failed', reason: signal.aborted ? `${FlagsPath} timed out after ${request.timeoutMs} ms` : describeFailure(error) };
  }
}

/** Far above any real flag set; bounds memory if a broken server never ends an event. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/**
 * Runs one `GET /api/v1/stream` until it ends, feeding events to `handlers`. The connection is
 * dropped when the response headers take longer than `connectTimeoutMs`, or when nothing, not
 * even a heartbeat, arrives for `silenceMs`.
 */
export async function streamFlags(
  request: SdkRequest & { lastEventId: string | undefined; silenceMs: number; connectTimeoutMs: number },
  handlers: StreamHandlers,
): Promise<StreamOutcome> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  request.signal.addEventListener('abort', abort, { once: true });
  let silentFor = 0;
  let watchdog: NodeJS.Timeout | undefined;
  const heard = (withinMs = request.silenceMs): void => {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      silentFor = withinMs;
      controller.abort();
    }, withinMs).unref();
  };
  let opened = false;
  try {
    heard(Math.min(request.connectTimeoutMs, request.silenceMs));
    const response = await request.fetch(endpoint(request.url, StreamPath), {
      headers: headers(request.sdkKey, { Accept: 'text/event-stream', 'Cache-Control': 'no-cache', 'Last-Event-ID': request.lastEventId }),
      signal: controller.signal,
    });
    if (isAuthFailure(response.status)) {
      await discard(response);
      return { kind: 'auth', status: response.status };
    }
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok || !type.includes('text/event-stream') || !response.body) {
      await discard(response);
      return { kind: 'failed', reason: `${StreamPath} answered ${response.status} ${type || 'without a content type'}`, opened };
    }
    opened = true;
    heard();
    handlers.onOpen();
    const parser = createParser({
      onEvent: ({ event, data }) => {
        if (event !== StreamEvent.FLAGS) return;
        const parsed = parseFlagsEvent(data);
        if (parsed.ok) handlers.onFlags(parsed.event);
        else handlers.onProblem(parsed.reason);
      },
      onRetry: handlers.onRetry,
      maxBufferSize: MAX_EVENT_CHARS,
    });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      heard();
      parser.feed(decoder.decode(chunk, { stream: true }));
    }
    return { kind: 'failed', reason: 'the server closed the stream', opened };
  } catch (error) {
    if (request.signal.aborted) return { kind: 'aborted' };
    const reason = silentFor > 0 ? `no answer on the stream for ${silentFor} ms` : describeFailure(error);
    return { kind: 'failed', reason, opened };
  } finally {
    clearTimeout(watchdog);
    request.signal.removeEventListener('abort', abort);
    controller.abort();
  }
}
