import type { AlertEngineOptions } from './engine';
import { durationMs } from './rule';

const duration = (raw: string | undefined, fallback: number) => (raw && /^\d+(ms|s|m|h)$/.test(raw) ? durationMs(raw) : fallback);

/** Whether webhooks may target loopback and private addresses: `FLAGLENS_WEBHOOK_ALLOW_PRIVATE=1` (tests, internal receivers). */
export const allowPrivateWebhooks = (env: NodeJS.ProcessEnv = process.env) => env.FLAGLENS_WEBHOOK_ALLOW_PRIVATE === '1';

/**
 * The alert engine's settings from the environment, or false when `FLAGLENS_ALERTS=off`:
 * `FLAGLENS_ALERT_INTERVAL` (default 15s), `FLAGLENS_WEBHOOK_TIMEOUT` (10s), `FLAGLENS_WEBHOOK_ALLOW_PRIVATE`, `FLAGLENS_URL`.
 */
export function alertSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AlertEngineOptions | false {
  if (env.FLAGLENS_ALERTS === 'off') return false;
  return {
    intervalMs: duration(env.FLAGLENS_ALERT_INTERVAL, 15_000),
    publicUrl: (env.FLAGLENS_URL ?? '').replace(/\/+$/, ''),
    delivery: { timeoutMs: duration(env.FLAGLENS_WEBHOOK_TIMEOUT, 10_000), allowPrivate: allowPrivateWebhooks(env) },
  };
}
