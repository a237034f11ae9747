import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verifyWebhookSignature } from '@flaglens/instrumentation/webhooks';
import { formatPage, parsePage } from './page.js';

export interface ReceiverOptions {
  /** The generic channel's signing secret (`whsec_…`), shown once when the channel was created. */
  readonly secret: string;
  /** Where pages and rejections are written; default `console.log`. */
  readonly print?: (text: string) => void;
}

const MAX_BODY_BYTES = 1024 * 1024;
// Enough to drop any retry of a recent page; the oldest keys go first.
const REMEMBERED_IDS = 10_000;

async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An HTTP server that takes flaglens generic webhooks on any path: a bad or missing `X-Flaglens-Signature`
 * gets 401, a repeat of a page already printed (same `X-Flaglens-Idempotency-Key`) gets 200 and is not printed
 * again, and every other page is printed. `GET /healthz` answers 200.
 */
export function createReceiver(options: ReceiverOptions): Server {
  const print = options.print ?? console.log;
  const seen = new Set<string>();
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const reply = (status: number, text: string) => response.writeHead(status, { 'content-type': 'text/plain' }).end(text);
    if (request.method === 'GET' && request.url === '/healthz') return reply(200, 'ok');
    if (request.method !== 'POST') return reply(405, 'POST a flaglens webhook here');
    const raw = await readBody(request);
    if (raw === undefined) return reply(413, 'body over 1 MiB');
    const header = request.headers['x-flaglens-signature'];
    if (!verifyWebhookSignature(options.secret, Array.isArray(header) ? header[0] : header, raw)) {
      print(`✗ rejected a request to ${request.url} from ${request.socket.remoteAddress}: bad or missing X-Flaglens-Signature (401)`);
      return reply(401, 'bad signature');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reply(400, 'not JSON');
    }
    const page = parsePage(body);
    if (typeof page === 'string') return reply(400, page);
    if (seen.has(page.id)) {
      print(`↺ repeat of page ${page.id} dropped (the control plane retried)`);
      return reply(200, 'repeat');
    }
    seen.add(page.id);
    if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
    print(formatPage(page));
    reply(200, 'ok');
  };
  return createServer((request, response) => {
    // A sender that hangs up half-way through its body (or any other failure) costs that request, not the receiver.
    handle(request, response).catch((error: unknown) => {
      print(`✗ request to ${request.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (response.headersSent) response.destroy();
      else response.writeHead(500, { 'content-type': 'text/plain' }).end('receiver error');
    });
  });
}
