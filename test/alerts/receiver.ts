import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';

/**
 * Checks `X-Flaglens-Signature: t=<unix>,v1=<hex>` as the dashboard's README documents it:
 * HMAC-SHA256 with the channel's secret over `t + "." + rawBody`, and `t` within `toleranceSeconds` of now.
 * Written from the documented format, not imported, so the test holds the plane to its contract.
 */
export function verifySignature(secret: string, header: string | undefined, rawBody: string, toleranceSeconds = 300): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) return false;
  const t = Number(match[1]);
  if (Math.abs(Date.now() / 1000 - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

/** One request the receiver got, with when it arrived (Date.now) and its verdict on the signature. */
export interface Delivery {
  arrivedMs: number;
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: Record<string, unknown>;
  signatureValid: boolean;
}

export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** The generic channel's secret, known once the channel is created. */
  setSecret(secret: string): void;
  /** Stops listening, as a receiver that is down would: connections are refused until `up()`. */
  down(): Promise<void>;
  /** Listens again on the same port. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/** A real HTTP receiver on 127.0.0.1 that keeps every delivery and answers 200. */
export async function startReceiver(): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  let secret = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(rawBody) as Record<string, unknown>;
      } catch {
        // Kept as an empty body; the test's assertions say what was wrong.
      }
      const header = request.headers['x-flaglens-signature'];
      const signatureValid = verifySignature(secret, Array.isArray(header) ? header[0] : header, rawBody);
      deliveries.push({ arrivedMs: Date.now(), headers: request.headers, rawBody, body, signatureValid });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('receiver has no port');
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${address.port}/hooks/flaglens`,
    deliveries,
    setSecret: (value) => {
      secret = value;
    },
    down: stop,
    async up() {
      server.listen(address.port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: () => (server.listening ? stop() : Promise.resolve()),
  };
}
