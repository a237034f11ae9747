import { ApiError } from './errors';

/** Largest request body accepted; a flag set with model configs is far below this. */
export const BODY_LIMIT_BYTES = 256 * 1024;

const tooLarge = (limit: number, what: string) => new ApiError(413, 'payload_too_large', `${what} exceeds ${limit} bytes`);

function isJsonType(contentType: string | null): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

/** 413 at once when the declared Content-Length is already over the limit. */
export function checkDeclaredLength(request: Request, limit: number, what = 'request body'): void {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) throw tooLarge(limit, what);
}

/** Reads a request body, 413 as soon as it passes the limit. */
export async function readCapped(request: Request, limit: number, what = 'request body'): Promise<Uint8Array> {
  // Servers hand route handlers an empty stream rather than no body, so emptiness is known only after reading.
  if (request.body === null) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Counting while reading, because Content-Length may be absent (chunked) or wrong.
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit, what);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * Reads a JSON request body: 413 over the limit ({@link BODY_LIMIT_BYTES} unless `limit` says otherwise),
 * 415 unless the content type is JSON, 400 when it does not parse. With `optional`, an empty body reads
 * as undefined, whatever its content type.
 */
export async function readJson(request: Request, options: { optional?: boolean; limit?: number } = {}): Promise<unknown> {
  const limit = options.limit ?? BODY_LIMIT_BYTES;
  checkDeclaredLength(request, limit);
  const bytes = await readCapped(request, limit);
  if (options.optional && bytes.byteLength === 0) return undefined;
  if (!isJsonType(request.headers.get('content-type'))) {
    throw new ApiError(415, 'unsupported_media_type', 'request body must be application/json');
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new ApiError(400, 'invalid_json', 'request body is not valid JSON');
  }
}

/** Narrows a parsed body to a JSON object, or says what was expected. */
export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError(400, 'invalid_request', `${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}
