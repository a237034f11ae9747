/** One Server-Sent Event as it came off the wire, with the time it was parsed. */
export interface StreamedEvent {
  event: string;
  data: string;
  id?: string;
  retry?: number;
  /** `performance.now()` when the event was parsed, to time how fast a change arrives. */
  at: number;
}

/**
 * Reads an event stream (`/api/v1/stream`, over HTTP or a route handler's `Response`) frame by frame;
 * enough of the SSE grammar for what the control plane sends.
 *
 * @example
 * const events = new EventReader((await fetch(`${plane.url}/api/v1/stream`, { headers })).body);
 * const { flagSet } = JSON.parse((await events.nextOf('flags')).data);
 */
export class EventReader {
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  private buffer = '';

  constructor(body: ReadableStream<Uint8Array> | null) {
    if (!body) throw new Error('the response has no body');
    this.reader = body.getReader();
  }

  /** The next event (a `retry:`-only frame counts as one named `retry`); rejects after `timeoutMs`. */
  async next(timeoutMs = 2_000): Promise<StreamedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const frame = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return parseFrame(frame);
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no event within ${timeoutMs} ms`)), Math.max(0, deadline - Date.now()));
      });
      const chunk = await Promise.race([this.reader.read(), timeout]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error('the stream ended');
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
    }
  }

  /** The next event called `name`, skipping others (heartbeats, mostly). */
  async nextOf(name: string, timeoutMs = 2_000): Promise<StreamedEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const event = await this.next(Math.max(1, deadline - Date.now()));
      if (event.event === name) return event;
    }
  }

  /** Resolves once the stream has ended (or errored), reading whatever is left. */
  async ended(timeoutMs = 2_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.next(Math.max(1, deadline - Date.now()));
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('no event')) throw error;
        return;
      }
    }
  }

  /** Stops reading and closes the stream. */
  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

function parseFrame(frame: string): StreamedEvent {
  const parsed: StreamedEvent = { event: 'message', data: '', at: performance.now() };
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') parsed.event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') parsed.id = value;
    else if (field === 'retry') parsed.retry = Number(value);
  }
  parsed.data = data.join('\n');
  if (parsed.retry !== undefined && data.length === 0) parsed.event = 'retry';
  return parsed;
}
