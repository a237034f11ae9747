import { type FlagSet, flagsFrame, HEARTBEAT_FRAME, HEARTBEAT_INTERVAL_MS, retryFrame } from '@flaglens/evaluator';
import type { ChangeFeed } from './feed';

export interface StreamOptions {
  /** Heartbeat period; the wire contract's 15 s unless a test needs it shorter. */
  heartbeatMs?: number;
  /** A client whose unsent bytes pass this is dropped; it reconnects and gets the whole set. */
  maxQueuedBytes?: number;
}

/** Reads an environment's whole set and its ETag, as `GET /api/v1/flags` serves them. */
export type ReadFlagSet = (environment: string) => Promise<{ set: FlagSet; etag: string }>;

/** The process's SSE fan-out: one feed subscription and one set read per change, whatever the number of clients. */
export interface StreamHub {
  /** One client's event stream; it ends when `signal` aborts, the reader cancels or the hub closes. */
  open(environment: string, signal?: AbortSignal): ReadableStream<Uint8Array>;
  /** Open streams, across environments. */
  clientCount(): number;
  close(): void;
}

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
  /** The ETag of the last set this client was sent. */
  etag?: string;
  leave(): void;
}

interface Audience {
  clients: Set<Client>;
  current?: { etag: string; frame: Uint8Array };
  reading: boolean;
  /** A change arrived while a read was under way: that read may predate it, so read again. */
  stale: boolean;
}

// Several sets' worth: a healthy client drains each frame long before the next change.
const MAX_QUEUED_BYTES = 1 << 20;
const READ_RETRY_MS = 1_000;
// The wire contract's first frame; the flaglens client takes it as the base of its reconnect backoff.
const RETRY_MS = 1_000;
const encoder = new TextEncoder();
const HEARTBEAT = encoder.encode(HEARTBEAT_FRAME);
const RETRY = encoder.encode(retryFrame(RETRY_MS));

export function openStreamHub(feed: ChangeFeed, readSet: ReadFlagSet, options: StreamOptions = {}): StreamHub {
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_INTERVAL_MS;
  const maxQueuedBytes = options.maxQueuedBytes ?? MAX_QUEUED_BYTES;
  const audiences = new Map<string, Audience>();
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;

  // An AbortError, so Next.js ends the response without logging a failed pipe.
  function drop(client: Client, reason: string): void {
    client.controller.error(new DOMException(reason, 'AbortError'));
    client.leave();
  }

  function send(client: Client, bytes: Uint8Array): void {
    try {
      client.controller.enqueue(bytes);
    } catch {
      // Already closed or cancelled: its leave() is on its way.
      return;
    }
    // A slow reader's bytes pile up in its queue; past the bound it costs memory and never catches up.
    // Only what was still unread before this frame counts: one large set must not drop a reader that
    // simply had no read pending at the moment it was queued.
    const backlog = -(client.controller.desiredSize ?? 0) - bytes.byteLength;
    if (backlog > maxQueuedBytes) drop(client, 'the client fell too far behind');
  }

  function sendCurrent(audience: Audience): void {
    const current = audience.current;
    if (!current) return;
    for (const client of audience.clients) {
      if (client.etag === current.etag) continue;
      client.etag = current.etag;
      send(client, current.frame);
    }
  }

  // One read per change for the whole audience; changes arriving meanwhile collapse into one more read.
  async function refresh(environment: string, audience: Audience): Promise<void> {
    if (audience.reading) {
      audience.stale = true;
      return;
    }
    audience.reading = true;
    do {
      audience.stale = false;
      try {
        const { set, etag } = await readSet(environment);
        if (audience.current?.etag !== etag) audience.current = { etag, frame: encoder.encode(flagsFrame({ etag, flagSet: set })) };
        sendCurrent(audience);
      } catch (error) {
        console.error('flaglens: reading the flag set for the stream failed', error);
        // A client still waiting for its first set would hear only heartbeats: let it reconnect or poll.
        for (const client of audience.clients) if (client.etag === undefined) drop(client, 'the flag set could not be read');
        audience.stale = true;
        await new Promise((resolve) => setTimeout(resolve, READ_RETRY_MS).unref());
      }
    } while (audience.stale && !closed && audiences.get(environment) === audience);
    audience.reading = false;
  }

  function beat(): void {
    for (const audience of audiences.values()) for (const client of audience.clients) send(client, HEARTBEAT);
  }

  const unsubscribe = feed.subscribe((change) => {
    const audience = audiences.get(change.environment);
    if (audience) void refresh(change.environment, audience);
  });
  const unsubscribeResync = feed.onResync(() => {
    for (const [environment, audience] of audiences) void refresh(environment, audience);
  });

  function join(environment: string, client: Client): void {
    let audience = audiences.get(environment);
    if (!audience) {
      audience = { clients: new Set(), reading: false, stale: false };
      audiences.set(environment, audience);
    }
    audience.clients.add(client);
    send(client, RETRY);
    if (!heartbeat) heartbeat = setInterval(beat, heartbeatMs).unref();
    // While clients listen, the feed keeps `current` up to date; a read under way serves newcomers too.
    if (audience.reading) return;
    if (audience.current) sendCurrent(audience);
    else void refresh(environment, audience);
  }

  function part(environment: string, client: Client): void {
    const audience = audiences.get(environment);
    if (!audience?.clients.delete(client)) return;
    if (audience.clients.size === 0) audiences.delete(environment);
    if (audiences.size === 0) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  }

  return {
    open(environment, signal) {
      let leave = () => {};
      return new ReadableStream<Uint8Array>(
        {
          start(controller) {
            let left = false;
            leave = () => {
              if (left) return;
              left = true;
              signal?.removeEventListener('abort', leave);
              part(environment, client);
              try {
                controller.close();
              } catch {
                // Errored or cancelled already.
              }
            };
            const client: Client = { controller, leave: () => leave() };
            if (closed || signal?.aborted) return leave();
            signal?.addEventListener('abort', leave, { once: true });
            join(environment, client);
          },
          cancel: () => leave(),
        },
        // Counted in bytes and never pre-filled, so desiredSize is minus the bytes still unsent.
        { highWaterMark: 0, size: (chunk) => chunk.byteLength },
      );
    },
    clientCount() {
      let count = 0;
      for (const audience of audiences.values()) count += audience.clients.size;
      return count;
    },
    close() {
      closed = true;
      unsubscribe();
      unsubscribeResync();
      for (const audience of [...audiences.values()]) for (const client of [...audience.clients]) client.leave();
    },
  };
}
