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
  if (!header) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > (options.toleranceSeconds ?? 300)) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}
