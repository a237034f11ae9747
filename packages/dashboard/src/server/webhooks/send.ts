import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isPrivateAddress } from './address';
import type { WebhookRequest } from './formats';

/** One attempt's outcome, recorded in the delivery log. Never thrown: a failed call is a value. */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The start of the response body, for the delivery log. */
  responseSnippet: string;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** Bytes of response read before the connection is cut: a receiver must not make us buffer without end. */
  maxResponseBytes: number;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

// The address check runs on the address actually connected to, so DNS rebinding between validation and
// delivery cannot point a webhook at a private host.
function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: object, callback: LookupCallback) => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = !allowPrivate && addresses.some((a) => isPrivateAddress(a.address));
      if (refused) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), []);
      const wantsAll = 'all' in options && options.all === true;
      const first = addresses[0];
      if (wantsAll || !first) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Sends one webhook request: POST, a hard timeout over the whole exchange, redirects not followed (a 3xx is a
 * failure), private addresses refused unless allowed, the response read up to a cap. Success is any 2xx.
 */
export function sendWebhook(request: WebhookRequest, options: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    // Declared first: a request refused before it starts (bad URL, private address) finishes with no timer yet.
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const fail = (error: string, statusCode: number | null = null) => finish({ ok: false, statusCode, error, responseSnippet: '' });
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return fail('invalid URL');
    }
    // An IP literal never goes through lookup, so it is checked here.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !options.allowPrivate && isPrivateAddress(host)) return fail(`${host} is a private address`);
    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
    if (!transport) return fail('only http and https are allowed');
    timer = setTimeout(() => {
      req.destroy();
      fail(`timed out after ${options.timeoutMs} ms`);
    }, options.timeoutMs);
    const req = transport.request(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      lookup: guardedLookup(options.allowPrivate),
      agent: false,
    });
    req.on('error', (error) => fail(error.message));
    req.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxResponseBytes) chunks.push(chunk);
        else response.destroy();
      });
      const done = () => {
        const snippet = Buffer.concat(chunks).toString('utf8').slice(0, 512);
        const ok = statusCode >= 200 && statusCode < 300;
        const error = ok
          ? null
          : statusCode >= 300 && statusCode < 400
            ? `redirect to ${response.headers.location ?? '?'} not followed`
            : `HTTP ${statusCode}`;
        finish({ ok, statusCode, error, responseSnippet: snippet });
      };
      response.on('end', done);
      response.on('close', done);
      response.on('error', done);
    });
    req.end(request.body);
  });
}
