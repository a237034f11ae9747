import type { AlertEngineOptions } from './engine';
import { durationMs } from './rule';

/**
 * A duration setting with its unit (`500ms`, `15s`, `1m`, `1h`), or its default when unset or empty. Anything
 * else throws naming the variable: a bare `15` would otherwise silently mean the default, not 15 ms or 15 s.
 */
function duration(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const ms = /^\d{1,7}(ms|s|m|h)$/.test(raw) ? durationMs(raw) : 0;
  if (ms <= 0) throw new Error(`${name} must be a positive duration with its unit, such as 500ms, 15s or 1m; got ${JSON.stringify(raw)}`);
  return ms;
}

/** Base of the links in notifications: `FLAGLENS_URL` without trailing slashes; empty gives relative links. */
export const publicUrlFromEnv = (env: NodeJS.ProcessEnv = process.env) => (env.FLAGLENS_URL ?? '').replace(/\/+$/, '');

/** Whether webhooks may target loopback and private addresses: `FLAGLENS_WEBHOOK_ALLOW_PRIVATE=1` (tests, internal receivers). */
export const allowPrivateWebhooks = (env: NodeJS.ProcessEnv = process.env) => env.FLAGLENS_WEBHOOK_ALLOW_PRIVATE === '1';

/**
 * The alert engine's settings from the environment, or false when `FLAGLENS_ALERTS=off`:
 * `FLAGLENS_ALERT_INTERVAL` (default 15s), `FLAGLENS_WEBHOOK_TIMEOUT` (10s), `FLAGLENS_WEBHOOK_ALLOW_PRIVATE`, `FLAGLENS_URL`.
 * A malformed duration throws naming its variable; `configFromEnv` runs this at start, so the server stops with it.
 */
export function alertSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AlertEngineOptions | false {
  if (env.FLAGLENS_ALERTS === 'off') return false;
  return {
    intervalMs: duration(env, 'FLAGLENS_ALERT_INTERVAL', 15_000),
    publicUrl: publicUrlFromEnv(env),
    delivery: { timeoutMs: duration(env, 'FLAGLENS_WEBHOOK_TIMEOUT', 10_000), allowPrivate: allowPrivateWebhooks(env) },
  };
}
