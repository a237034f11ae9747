import { checkDeclaredLength, readCapped } from '../http/body';
import { ApiError, badRequest } from '../http/errors';

/** Largest push accepted: ~10,000 series of prom-client text, far above one service's flaglens metrics. */
export const INGEST_BODY_LIMIT_BYTES = 1024 * 1024;

/** Header naming the pushing process; a process restart should bring a new one (a random UUID per start). */
export const INSTANCE_HEADER = 'x-flaglens-instance';
/** Optional header: when the pusher read its registry, epoch ms. Timestamps in the exposition win over it. */
export const PUSH_TIME_HEADER = 'x-flaglens-push-time';

// The LabelGuard's value shape, a bit longer: host names and UUIDs fit, free text does not.
const INSTANCE = /^[A-Za-z0-9_.:/@+-]{1,128}$/;

/** A push as read from HTTP, before anything is parsed. */
export interface PushRequest {
  instance: string;
  /** The push-time header's value, when sent. */
  pushTimeMs: number | undefined;
  text: string;
}

/** Accepts the text format as prom-client's registry labels it: `text/plain; version=0.0.4`. */
function checkContentType(header: string | null): void {
  const [mediaType = '', ...parameters] = (header ?? '').split(';').map((part) => part.trim().toLowerCase());
  const version = parameters.find((parameter) => parameter.startsWith('version='))?.slice('version='.length);
  if (mediaType === 'text/plain' && (version === undefined || version === '0.0.4')) return;
  throw new ApiError(
    415,
    'unsupported_media_type',
    'a push must be the Prometheus text format: Content-Type: text/plain; version=0.0.4 (OpenMetrics is not accepted)',
    { contentType: header },
  );
}

/** Reads a push's headers and body: 413 over 1 MiB, 415 for another format, 400 for bad headers or UTF-8. */
export async function readPush(request: Request): Promise<PushRequest> {
  checkDeclaredLength(request, INGEST_BODY_LIMIT_BYTES, 'a push');
  checkContentType(request.headers.get('content-type'));
  const instance = request.headers.get(INSTANCE_HEADER);
  if (instance === null) throw new ApiError(400, 'missing_instance', `a push must name its process in ${INSTANCE_HEADER}`);
  if (!INSTANCE.test(instance)) {
    throw new ApiError(400, 'invalid_instance', `${INSTANCE_HEADER} must be 1 to 128 of A-Z a-z 0-9 _ . : / @ + -`, { instance });
  }
  const pushTime = request.headers.get(PUSH_TIME_HEADER);
  if (pushTime !== null && !/^\d{1,16}$/.test(pushTime)) {
    throw new ApiError(400, 'invalid_push_time', `${PUSH_TIME_HEADER} must be epoch milliseconds`, { pushTime });
  }
  const bytes = await readCapped(request, INGEST_BODY_LIMIT_BYTES, 'a push');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badRequest('a push must be UTF-8 text');
  }
  return { instance, pushTimeMs: pushTime === null ? undefined : Number(pushTime), text };
}
