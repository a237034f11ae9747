/**
 * The wire contract between a FlagClient and the control plane's SDK endpoints.
 * Deliberately simple: flag sets are small (kilobytes), so the server always sends the
 * whole set and never a diff. A client that misses an event loses nothing, because the next
 * event (or the set sent on reconnect) carries everything.
 *
 * Both endpoints take `Authorization: Bearer <sdkKey>`; a bad or missing key gets 401
 * (unknown key) or 403 (key not allowed), which the client treats as a configuration error.
 *
 * **`GET /api/v1/flags`**: `200` with the environment's flag set `{ flags, segments }` in the
 * native format as JSON and an `ETag` header; `If-None-Match` with the current ETag gets `304`.
 *
 * **`GET /api/v1/stream`**: `200` with `Content-Type: text/event-stream`, then:
 * 1. `retry: 1000` once (SHOULD; generic EventSource clients reconnect after it, the flaglens
 *    client uses it as the base of its own backoff).
 * 2. On connect, always one {@link FlagsEvent} with the current set.
 * 3. After every change, one {@link FlagsEvent} with the whole new set (not a diff).
 * 4. A heartbeat every {@link HEARTBEAT_INTERVAL_MS}: `event: heartbeat` + `data: {}`, or an
 *    SSE comment line (`: heartbeat`). Any bytes count as liveness; a stream silent for twice
 *    the interval is treated as dead and reconnected.
 *
 * Each `flags` event SHOULD carry `id: <etag>`. The client sends the etag of the set it holds as
 * `Last-Event-ID` when it (re)connects. Honouring it is optional and only informational (e.g. to
 * log how stale clients are): the server MUST still send the on-connect `flags` event, because
 * that event is how the client learns its set is current. A client holding that etag already
 * only records the confirmation; it does not re-validate.
 *
 * The stream must reach the client unbuffered: no compression, and `X-Accel-Buffering: no` behind
 * nginx. Any answer other than a 200 event stream (404 while streaming is not built, 5xx) makes
 * the client poll `GET /api/v1/flags` and retry the stream with backoff; 401/403 make it back off
 * for a minute. {@link flagsFrame}, {@link HEARTBEAT_FRAME} and {@link retryFrame} produce the exact bytes.
 *
 * @example
 * retry: 1000
 *
 * event: flags
 * id: "v42"
 * data: {"etag":"\"v42\"","flagSet":{"flags":{"ai-model":{...}},"segments":{}}}
 *
 * event: heartbeat
 * data: {}
 */

/** Path of the flag set endpoint, relative to the control plane's URL. */
export const FlagsPath = '/api/v1/flags';

/** Path of the Server-Sent Events stream; see the module comment for the event sequence. */
export const StreamPath = '/api/v1/stream';

/** SSE event names the client understands; others are ignored, so the server may add more. */
export const StreamEvent = {
  /** The whole flag set; `data` is a {@link FlagsEvent} as JSON. */
  FLAGS: 'flags',
  /** Liveness only; `data` is `{}` and is ignored. */
  HEARTBEAT: 'heartbeat',
} as const;

/** How often the server sends a heartbeat; the client gives up on a stream silent for twice this. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

/** Payload of a `flags` event. */
export interface FlagsEvent {
  /**
   * Opaque version of the set: exactly the `ETag` header value `GET /api/v1/flags` returns for
   * this set (quotes included), so a client that falls back to polling gets a 304 straight away.
   */
  etag: string;
  /** The environment's whole flag set in the native format, as `GET /api/v1/flags` returns it. */
  flagSet: unknown;
}

/** Reads a `flags` event's data; returns a reason instead of throwing on a malformed payload. */
export function parseFlagsEvent(data: string): { ok: true; event: FlagsEvent } | { ok: false; reason: string } {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch {
    return { ok: false, reason: 'flags event data is not JSON' };
  }
  if (typeof payload !== 'object' || payload === null) return { ok: false, reason: 'flags event data is not an object' };
  const { etag, flagSet } = payload as Record<string, unknown>;
  if (typeof etag !== 'string') return { ok: false, reason: 'flags event has no string "etag"' };
  if (flagSet === undefined) return { ok: false, reason: 'flags event has no "flagSet"' };
  return { ok: true, event: { etag, flagSet } };
}

/** The SSE frame of a `flags` event, ready to write to the response (server side). */
export function flagsFrame(event: FlagsEvent): string {
  // JSON.stringify escapes newlines, so the payload always fits on one `data:` line.
  return `event: ${StreamEvent.FLAGS}\nid: ${event.etag}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The SSE frame of a heartbeat (server side). */
export const HEARTBEAT_FRAME = `event: ${StreamEvent.HEARTBEAT}\ndata: {}\n\n`;

/** The SSE frame that sets the client's reconnect delay; send it first (server side). */
export function retryFrame(ms: number): string {
  return `retry: ${Math.round(ms)}\n\n`;
}
