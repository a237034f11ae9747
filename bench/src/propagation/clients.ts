import { type Agent, get, type IncomingMessage } from 'node:http';

/** One SSE connection that notes when each `flags` event's etag first arrived. */
export interface StreamClient {
  /** The etag of the last `flags` event. */
  latest(): string | undefined;
  /** Arrival time (`performance.now()`) of the first `flags` event with `etag`. */
  arrivals: Map<string, number>;
  close(): void;
}

/**
 * Raw `node:http` rather than fetch: with a thousand streams in one process, the client's own
 * parsing sits inside every measurement, so it does the least it can — split frames, read `id:`.
 */
export function connectClient(url: string, sdkKey: string, agent: Agent, onFlags: (client: StreamClient) => void): Promise<StreamClient> {
  return new Promise((resolve, reject) => {
    const arrivals = new Map<string, number>();
    let latest: string | undefined;
    let buffer = '';
    const client: StreamClient = { latest: () => latest, arrivals, close: () => request.destroy() };
    const request = get(
      url,
      { agent, headers: { authorization: `Bearer ${sdkKey}`, accept: 'text/event-stream' } },
      (response: IncomingMessage) => {
        if (response.statusCode !== 200) {
          response.resume();
          reject(new Error(`stream answered ${response.statusCode}`));
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const at = performance.now();
          buffer += chunk;
          for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (!frame.startsWith('event: flags\n')) continue;
            const etag = /^id: (.*)$/m.exec(frame)?.[1];
            if (etag === undefined) continue;
            latest = etag;
            if (!arrivals.has(etag)) arrivals.set(etag, at);
            onFlags(client);
          }
        });
        response.on('error', () => {});
        resolve(client);
      },
    );
    request.on('error', reject);
  });
}

/** Opens `count` clients, `batch` at a time so the server's listen backlog never overflows. */
export async function connectClients(count: number, batch: number, open: () => Promise<StreamClient>): Promise<StreamClient[]> {
  const clients: StreamClient[] = [];
  while (clients.length < count) {
    const size = Math.min(batch, count - clients.length);
    clients.push(...(await Promise.all(Array.from({ length: size }, open))));
  }
  return clients;
}
