import type { RouteHandler } from '@/src/server/http/endpoint';

export const ORIGIN = 'http://flaglens.test';

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is; `body` is JSON-encoded with a JSON content type otherwise. */
  rawBody?: string;
  headers?: Record<string, string>;
  /** Aborts the request, as Next.js does when the client goes away. */
  signal?: AbortSignal;
}

/** Calls a route handler in-process with a real Request, as Next.js would. */
export function call<Params>(handler: RouteHandler<Params>, method: string, path: string, params: Params, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  const request = new Request(new URL(path, ORIGIN), { method, headers, body, signal: options.signal });
  return handler(request, { params: Promise.resolve(params) });
}

/** The `{ error: { code } }` of an error response, or undefined. */
export async function errorCode(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { error?: { code?: string } };
  return body.error?.code;
}
