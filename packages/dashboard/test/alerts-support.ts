import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compareVariants } from '@/src/server/analysis';
import type { Comparison, VariantWindow } from '@/src/server/analysis/types';
import { verifyWebhookSignature } from '@/src/server/webhooks/signature';

/** A two-variant window: `v1` control and `v2` candidate, with the given requests and errors each. */
export function errorWindow(control: [number, number], candidate: [number, number], slices?: VariantWindow['slices'][]): VariantWindow[] {
  return [
    { variant: 'v1', weightBasisPoints: 5000, requests: control[0], errors: { timeout: control[1] }, slices: slices?.[0] },
    { variant: 'v2', weightBasisPoints: 5000, requests: candidate[0], errors: { timeout: candidate[1] }, slices: slices?.[1] },
  ];
}

/** A real comparison from the analysis library, as the compare API would compute it. */
export const comparisonOf = (variants: VariantWindow[]): Comparison => compareVariants({ control: 'v1', variants });

/** What a receiver got: the parsed body and whether the signature held. */
export interface Received {
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
  signatureValid: boolean;
}

/**
 * A webhook receiver on 127.0.0.1 that verifies `X-Flaglens-Signature` and deduplicates by idempotency key, as
 * the README tells receivers to. `down()` closes it (connections refused) and `up()` reopens it on the same port.
 */
export async function openReceiver() {
  let secret = '';
  const all: Received[] = [];
  const seen = new Set<string>();
  const unique: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = req.headers['x-flaglens-signature'];
      const received: Received = {
        headers: req.headers,
        body: JSON.parse(raw) as Record<string, unknown>,
        signatureValid: verifyWebhookSignature(secret, typeof signature === 'string' ? signature : undefined, raw),
      };
      all.push(received);
      // PagerDuty's dedup_key names the incident, so its trigger and resolve differ by event_action.
      const key = String(req.headers['x-flaglens-idempotency-key'] ?? `pagerduty:${received.body.dedup_key}:${received.body.event_action}`);
      if (!seen.has(key)) {
        seen.add(key);
        unique.push(received);
      }
      res.writeHead(received.signatureValid || !signature ? 200 : 401).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    all,
    unique,
    setSecret(value: string) {
      secret = value;
    },
    async down() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async up() {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A clock tests move by hand; the engine's timestamps and retry schedule follow it. */
export function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}
