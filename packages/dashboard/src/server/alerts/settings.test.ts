import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../plane';
import { alertSettingsFromEnv } from './settings';

const env = (vars: Record<string, string>) => vars as NodeJS.ProcessEnv;

describe('alert engine settings', () => {
  it('reads durations with their unit and defaults when unset', () => {
    expect(alertSettingsFromEnv(env({ FLAGLENS_ALERT_INTERVAL: '750ms', FLAGLENS_WEBHOOK_TIMEOUT: '3s' }))).toMatchObject({
      intervalMs: 750,
      delivery: { timeoutMs: 3_000 },
    });
    expect(alertSettingsFromEnv(env({}))).toMatchObject({ intervalMs: 15_000, delivery: { timeoutMs: 10_000 } });
    expect(alertSettingsFromEnv(env({ FLAGLENS_ALERTS: 'off', FLAGLENS_ALERT_INTERVAL: 'nonsense' }))).toBe(false);
  });

  it.each(['15', '0s', '1.5s', '15 seconds', '-1s'])('refuses FLAGLENS_ALERT_INTERVAL=%s at start, naming it', (value) => {
    expect(() => configFromEnv(env({ FLAGLENS_ALERT_INTERVAL: value }))).toThrow(/FLAGLENS_ALERT_INTERVAL must be a positive duration/);
  });

  it('refuses a webhook timeout without a unit, naming it', () => {
    expect(() => alertSettingsFromEnv(env({ FLAGLENS_WEBHOOK_TIMEOUT: '5000' }))).toThrow(/FLAGLENS_WEBHOOK_TIMEOUT/);
  });
});
