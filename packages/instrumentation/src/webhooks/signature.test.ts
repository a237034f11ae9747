import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './signature.js';

const secret = 'whsec_test';
const body = '{"version":1,"phase":"trigger"}';

describe('webhook signatures', () => {
  it('accepts what signWebhook signed, within the tolerance', () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, header, body, { nowSeconds: 1_700_000_100 })).toBe(true);
  });

  it('refuses another body, another secret, a stale timestamp and a malformed header', () => {
    const header = signWebhook(secret, body, 1_700_000_000);
    const now = { nowSeconds: 1_700_000_000 };
    expect(verifyWebhookSignature(secret, header, `${body} `, now)).toBe(false);
    expect(verifyWebhookSignature('whsec_other', header, body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, { nowSeconds: 1_700_000_301 })).toBe(false);
    expect(verifyWebhookSignature(secret, 't=1700000000,v1=abc', body, now)).toBe(false);
    expect(verifyWebhookSignature(secret, undefined, body, now)).toBe(false);
  });

  it('reads the timestamp as the digits that were signed, not as any number', () => {
    const mac = signWebhook(secret, body, 1_700_000_000).split('v1=')[1];
    const now = { nowSeconds: 1_700_000_000 };
    for (const t of ['1.7e9', '0x6553f100', ' 1700000000', '1700000000.0', '+1700000000']) {
      expect(verifyWebhookSignature(secret, `t=${t},v1=${mac}`, body, now), t).toBe(false);
    }
  });

  it('refuses a tolerance or clock that is not a number instead of accepting any timestamp', () => {
    const header = signWebhook(secret, body, 1_000);
    expect(() => verifyWebhookSignature(secret, header, body, { toleranceSeconds: Number.NaN })).toThrow(
      new RangeError('verifyWebhookSignature: toleranceSeconds must be a finite number ≥ 0, got NaN'),
    );
    expect(() => verifyWebhookSignature(secret, header, body, { toleranceSeconds: -1 })).toThrow(RangeError);
    expect(() => verifyWebhookSignature(secret, header, body, { nowSeconds: Number.NaN })).toThrow(/nowSeconds/);
  });
});
