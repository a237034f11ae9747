/**
 * The generic webhook signature of the flaglens control plane, for receivers (and the plane, which signs with
 * it): `X-Flaglens-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`. Its own
 * entry point, `@flaglens/instrumentation/webhooks`, loads nothing but `node:crypto`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header a generic webhook carries: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'x-flaglens-signature';

/** Signs a body for the generic format; `unixSeconds` is the moment of sending. */
export function signWebhook(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/**
 * For receivers: checks `X-Flaglens-Signature` against the raw body with the channel's secret. Refuses a
 * timestamp more than `toleranceSeconds` away from now, so a captured request cannot be replayed later.
 * Throws a RangeError for a tolerance or `nowSeconds` that is not a finite number ≥ 0 (a configuration
 * mistake, not a bad request).
 *
 * @example
 * if (!verifyWebhookSignature(secret, req.headers['x-flaglens-signature'], rawBody)) return res.writeHead(401).end();
 */
export function verifyWebhookSignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  options: { toleranceSeconds?: number; nowSeconds?: number } = {},
): boolean {
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  // NaN would make every timestamp look fresh, so a replay window of forever: refuse it loudly.
  for (const [name, value] of [
    ['toleranceSeconds', tolerance],
    ['nowSeconds', now],
  ] as const) {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`verifyWebhookSignature: ${name} must be a finite number ≥ 0, got ${value}`);
  }
  if (!header) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  // The digits as signed: `1.7e9` or `0x…` name the same second but are not what the sender signed.
  const t = parts.get('t');
  const given = parts.get('v1');
  if (!t || !/^\d{1,15}$/.test(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  if (Math.abs(now - Number(t)) > tolerance) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
