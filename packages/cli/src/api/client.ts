import { CliError, EXIT } from '../exit.js';
import { apiFailure } from './errors.js';

/** Where the control plane is and who is calling. */
export interface Connection {
  url: string;
  token: string;
  /** Sent as `?environment=` on every management call. */
  environment: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** What a successful answer holds, checked so another server's page or JSON is named as such. */
  expect?: Expected;
}

/** A successful answer's kind, in words (`a flag set`), and the type of each field it must have. */
export interface Expected {
  what: string;
  fields: Record<string, 'object' | 'array' | 'number' | 'string'>;
}

const hasType = (value: unknown, type: Expected['fields'][string]): boolean =>
  type === 'array' ? Array.isArray(value) : type === 'object' ? typeof value === 'object' && value !== null : typeof value === type;

const isExpected = (body: unknown, expected: Expected): boolean =>
  typeof body === 'object' &&
  body !== null &&
  Object.entries(expected.fields).every(([field, type]) => hasType((body as Record<string, unknown>)[field], type));

// Long enough for an apply of a large set on a busy server, short enough that a hung CI job fails.
const TIMEOUT_MS = 60_000;

/** The control plane's `/api/v1`, with the token and environment on every call and errors in words. */
export class ControlPlaneClient {
  constructor(readonly connection: Connection) {}

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(`api/v1${path}`, this.connection.url.endsWith('/') ? this.connection.url : `${this.connection.url}/`);
    url.searchParams.set('environment', this.connection.environment);
    for (const [name, value] of Object.entries(options.query ?? {})) if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.connection.token}`,
      accept: 'application/json',
      ...options.headers,
    };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
      throw new CliError(`cannot reach the control plane at ${this.connection.url}: ${cause}`, EXIT.unreachable);
    }
    const text = await response.text();
    let body: unknown;
    let json = true;
    try {
      body = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = false;
    }
    if (!response.ok) throw apiFailure(method, path, response.status, body);
    if (!json || (options.expect && !isExpected(body, options.expect))) {
      const type = response.headers.get('content-type')?.split(';')[0] ?? 'untyped';
      const what = json ? `JSON that is not ${options.expect?.what}` : `a ${type} page, not JSON`;
      const asked = `${method} ${url.pathname}`;
      throw new CliError(`${this.connection.url} answered ${asked} with ${what}: is it the flaglens control plane?`, EXIT.unreachable);
    }
    return body as T;
  }
}

const DEFAULT_URL = 'http://localhost:3000';

/** The connection from `--url`/`--token`/`--env`, else `FLAGLENS_URL`/`FLAGLENS_TOKEN`/`FLAGLENS_ENV`. */
export function connectionOf(options: { url?: string; token?: string; env?: string }, env: NodeJS.ProcessEnv): Connection {
  const token = options.token ?? env.FLAGLENS_TOKEN;
  if (!token) throw new CliError('no token: set FLAGLENS_TOKEN or pass --token (a management token from the Tokens page)', EXIT.auth);
  const url = options.url ?? env.FLAGLENS_URL ?? DEFAULT_URL;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new CliError(`the control plane URL ${JSON.stringify(url)} is not an http(s) URL`, EXIT.usage);
  }
  return { url, token, environment: options.env ?? env.FLAGLENS_ENV ?? 'production' };
}
