import { FlagValidationError } from '@flaglens/evaluator';
import { sqlState } from '../db/database';

/** An error the client can act on: it becomes `{ error: { code, message, details } }` with `status`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export const badRequest = (message: string, details?: unknown) => new ApiError(400, 'invalid_request', message, details);
export const unauthorized = (message = 'a valid token or session is required') => new ApiError(401, 'unauthorized', message);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const notFound = (message: string) => new ApiError(404, 'not_found', message);
export const conflict = (code: string, message: string, details?: unknown) => new ApiError(409, code, message, details);

/** A JSON response that no cache may keep: flag state and tokens change under the client. */
export function json(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const response = Response.json(body, { status, headers });
  if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
  return response;
}

/** The one place an error becomes HTTP: typed errors keep their status; anything else is a bare 500. */
export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) {
    const headers: HeadersInit = error.status === 401 ? { 'www-authenticate': 'Bearer realm="flaglens"' } : {};
    return json(error.status, { error: { code: error.code, message: error.message, details: error.details } }, headers);
  }
  if (error instanceof FlagValidationError) {
    return json(400, { error: { code: 'invalid_flag', message: error.message, details: { issues: error.issues } } });
  }
  // PostgreSQL broke a deadlock (40P01) or a serialization conflict (40001) by rolling this transaction back.
  const state = sqlState(error);
  if (state === '40P01' || state === '40001') {
    const message = 'a concurrent change got in the way and nothing was written; send the request again';
    return json(409, { error: { code: 'concurrent_change', message, details: null } });
  }
  // The cause goes to the server log only: a stack trace or SQL text would tell a client too much.
  console.error('flaglens: unexpected error', error);
  return json(500, { error: { code: 'internal', message: 'internal error', details: null } });
}
